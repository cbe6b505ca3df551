import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEMO_EMPLOYEES } from "../../src/evidence/mock-sap/directory.ts";
import {
  type Client,
  client,
  createDatabase,
  createProbe,
  type Database,
  type Instance,
  PROBE_SECTION,
  setProbe,
  startInstance,
  waitForProbe,
} from "../support/service-instances.ts";

/**
 * Two real service processes on one PostgreSQL database: what is changed through one is what
 * the other serves. The bound is generous (5 s, the periodic check's interval) — this checks
 * that it happens; bench/catalog-propagation.ts measures how fast.
 */
const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) {
  console.log("two-process propagation test skipped: it needs a real shared PostgreSQL; set DATABASE_URL");
}

const ADMIN_TOKEN = `two-process-admin-${crypto.randomUUID()}`;
const EMPLOYEE = DEMO_EMPLOYEES[0]?.pernr ?? "00217542";
const BOUND_MS = 5_000;

describe.skipIf(!baseUrl)("two service processes on one PostgreSQL", () => {
  let database: Database;
  const instances: Instance[] = [];
  let viaA: Client;
  let viaB: Client;

  beforeAll(async () => {
    database = await createDatabase(baseUrl as string, "lk_t_procs");
    // One after another: each migrates the fresh database on start.
    for (const name of ["A", "B"]) {
      instances.push(await startInstance(name, { databaseUrl: database.url, adminToken: ADMIN_TOKEN }));
    }
    const [a, b] = instances as [Instance, Instance];
    viaA = client(a, ADMIN_TOKEN);
    viaB = client(b, ADMIN_TOKEN);
  }, 120_000);

  afterAll(async () => {
    for (const instance of instances) await instance.stop();
    await database?.drop();
  }, 30_000);

  /** On failure, the services' own words (warnings and errors) say why. */
  const explained = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      const logs = instances.map((i) => `--- ${i.name} (pid ${i.pid}):\n${i.output()}`).join("\n");
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${logs}`);
    }
  };

  test(
    "B serves a catalog created through A, and each later edit of its rule",
    () =>
      explained(async () => {
        const probe = await createProbe(viaA);
        expect(await viaB.sectionTitles(EMPLOYEE).catch(() => [])).not.toContain(PROBE_SECTION);
        await waitForProbe(viaB, EMPLOYEE, false, BOUND_MS, 20);
        let version = 1;
        for (const visible of [true, false, true]) {
          const changed = await setProbe(viaA, probe.ruleId, version, visible);
          version = changed.version;
          await waitForProbe(viaB, EMPLOYEE, visible, BOUND_MS, 20);
          expect((await viaB.sectionTitles(EMPLOYEE)).includes(PROBE_SECTION)).toBe(visible);
          expect(await viaB.catalogVersion()).toBeGreaterThanOrEqual(changed.catalogVersion);
        }
      }),
    60_000,
  );
});
