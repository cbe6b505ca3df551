import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { loadConfig } from "../../src/config.ts";
import {
  type ComposedEvidenceSource,
  createEvidenceSource,
  type MockSap,
  startMockSap,
} from "../../src/evidence/index.ts";
import { createApp } from "../../src/http/index.ts";
import { createMemoryLogger } from "../../src/log.ts";
import { createMetrics } from "../../src/metrics.ts";
import { createTestApp, type TestApp } from "../support/app.ts";

/**
 * /readyz as an operator reads it: database, catalog version, SAP (circuit, last success) and
 * Redis, over the real evidence stack in front of a mock SAP.
 */
interface Ready {
  status: string;
  database: boolean;
  catalog_version: number | null;
  sap: {
    status: string;
    circuit: string;
    last_success_at: string | null;
    last_failure_at: string | null;
    demo: boolean;
  } | null;
  redis: string;
}

const sources: ComposedEvidenceSource[] = [];
async function evidenceFor(sap: MockSap, env: Record<string, string> = {}) {
  const source = await createEvidenceSource({
    config: loadConfig({ SAP_BASE_URL: sap.url, SAP_TIMEOUT_MS: "2000", ...env }),
    logger: createMemoryLogger(),
    metrics: createMetrics(),
    tuning: {
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      failureThreshold: 2,
      cooldownMs: 60_000,
    },
  });
  sources.push(source);
  return source;
}

let sap: MockSap;
let t: TestApp;
beforeAll(async () => {
  sap = await startMockSap({ size: 100 });
  t = await createTestApp({ evidence: await evidenceFor(sap) });
});
afterAll(async () => {
  await t.close();
  for (const source of sources) await source.close();
  await sap.close();
});

const ready = async (app: { request: (path: string) => Promise<Response> } = t) => {
  const response = await app.request("/readyz");
  return { status: response.status, body: (await response.json()) as Ready };
};
const tabs = (pernr: string) => t.request("/user.tabs?platform=web", { token: pernr });

describe("/readyz", () => {
  test("ready: database, catalog version, SAP circuit closed with its last success, Redis not configured", async () => {
    const before = await ready();
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ status: "ready", database: true, redis: "not_configured" });
    expect(before.body.catalog_version).toBe(t.ctx.catalog.snapshot?.catalogVersion ?? -1);
    expect(before.body.sap).toMatchObject({
      status: "up",
      circuit: "closed",
      last_success_at: null,
      demo: false,
    });

    expect((await tabs("00000001")).status).toBe(200);
    const after = await ready();
    expect(Date.parse(after.body.sap?.last_success_at ?? "")).toBeGreaterThan(Date.now() - 60_000);
  });

  test("SAP down: ready but degraded (200), the circuit opens, stale evidence still serves", async () => {
    sap.setFaults({ failureRate: 1, failureStatuses: [503] });
    try {
      expect((await tabs("00000002")).status).toBe(503);
      const failing = await ready();
      expect(failing.status).toBe(200);
      expect(failing.body.status).toBe("degraded");
      expect(failing.body.sap).toMatchObject({ status: "failing", circuit: "closed" });
      expect(failing.body.sap?.last_failure_at).toBeString();

      expect((await tabs("00000003")).status).toBe(503);
      const open = await ready();
      expect(open.status).toBe(200);
      expect(open.body.sap).toMatchObject({ status: "failing", circuit: "open" });
      // The employee seen before SAP went down is still served (from the cache).
      expect((await tabs("00000001")).status).toBe(200);
    } finally {
      sap.setFaults({ failureRate: 0 });
    }
  });

  test("Redis configured but unreachable: degraded; reachable: connected", async () => {
    const away = await evidenceFor(sap, { REDIS_URL: "redis://127.0.0.1:1" });
    const withAway = createApp({ ...t.ctx, evidence: away });
    const degraded = await ready({ request: (p) => withAway.handle(new Request(`http://localhost${p}`)) });
    expect(degraded.status).toBe(200);
    expect(degraded.body).toMatchObject({ status: "degraded", redis: "disconnected" });

    const local = await evidenceFor(sap, { REDIS_URL: "redis://127.0.0.1:6379" });
    const withLocal = createApp({ ...t.ctx, evidence: local });
    const connected = await ready({ request: (p) => withLocal.handle(new Request(`http://localhost${p}`)) });
    expect(connected.body).toMatchObject({ status: "ready", redis: "connected" });
  });

  test("no catalog snapshot, or no database: 503 not_ready", async () => {
    const noSnapshot = createApp({
      ...t.ctx,
      catalog: { snapshot: null } as unknown as TestApp["ctx"]["catalog"],
    });
    const first = await ready({ request: (p) => noSnapshot.handle(new Request(`http://localhost${p}`)) });
    expect(first.status).toBe(503);
    expect(first.body).toMatchObject({ status: "not_ready", database: true, catalog_version: null });

    const noDatabase = createApp({ ...t.ctx, database: { ...t.ctx.database, ping: async () => false } });
    const second = await ready({ request: (p) => noDatabase.handle(new Request(`http://localhost${p}`)) });
    expect(second.status).toBe(503);
    expect(second.body).toMatchObject({ status: "not_ready", database: false });
  });

  test("a database that hangs does not hold the probe past its timeout", async () => {
    const hanging = createApp({
      ...t.ctx,
      database: { ...t.ctx.database, ping: () => new Promise<boolean>(() => {}) },
    });
    const started = performance.now();
    const answer = await ready({ request: (p) => hanging.handle(new Request(`http://localhost${p}`)) });
    expect(answer.status).toBe(503);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
