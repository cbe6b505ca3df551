/**
 * End to end: an LK2 catalog imported through POST /admin/import/lk2 (and, with PostgreSQL, read
 * from an LK2 database built from its schema), then /user.tabs for demo employees shows what
 * LK2's own logic (python3, test/lk2/lk2_reference.py) shows them.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { isNotNull } from "drizzle-orm";
import postgres from "postgres";
import { schema } from "../../src/db/index.ts";
import { type Evidence, type Platform, requestExtras } from "../../src/evidence/schema.ts";
import { type Lk2Export, type Lk2ImportReport, readLk2Database } from "../../src/lk2/index.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { LK2_CATALOG, LK2_DDL } from "./catalog.ts";
import { demoEmployees, runLk2Reference } from "./support.ts";

const NOW = new Date("2025-05-17T09:30:00Z");
const EMPLOYEES = demoEmployees(120);

interface Shown {
  sidebar: Array<[number, number[]]>;
  cards: Array<[number, number[]]>;
  banners: number[];
}

/** What /user.tabs shows each employee, in LK2 ids; and what LK2 shows them. */
async function compare(t: TestApp): Promise<{ ours: Shown[]; theirs: Shown[] }> {
  const lk2 = async (
    table:
      | typeof schema.sidebarGroups
      | typeof schema.cardGroups
      | typeof schema.sections
      | typeof schema.banners,
  ) =>
    new Map(
      (await t.db.select({ id: table.id, lk2Id: table.lk2Id }).from(table).where(isNotNull(table.lk2Id))).map(
        (r) => [r.id, r.lk2Id as number],
      ),
    );
  const groups = await lk2(schema.sidebarGroups);
  const cards = await lk2(schema.cardGroups);
  const sections = await lk2(schema.sections);
  const banners = await lk2(schema.banners);
  const evidence: Evidence[] = [];
  const ours: Shown[] = [];
  for (const [i, employee] of EMPLOYEES.entries()) {
    const platform = (["web", "ios", "android"] as Platform[])[i % 3] as Platform;
    evidence.push({ ...employee, ...requestExtras(NOW, t.ctx.config.timeZone, platform) });
    const response = await t.request(`/user.tabs?platform=${platform}`, { token: employee.personnel_number });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      sidebar: Array<{ id: number; sections: Array<{ id: number }> }>;
      cards: Array<{ id: number; sections: Array<{ id: number }> }>;
      banners: Array<{ id: number }>;
    };
    ours.push({
      sidebar: body.sidebar.map((g) => [
        groups.get(g.id) ?? -g.id,
        g.sections.map((s) => sections.get(s.id) ?? -s.id),
      ]),
      cards: body.cards.map((g) => [
        cards.get(g.id) ?? -g.id,
        g.sections.map((s) => sections.get(s.id) ?? -s.id),
      ]),
      banners: body.banners.map((b) => banners.get(b.id) ?? -b.id),
    });
  }
  const reference = runLk2Reference({ export: LK2_CATALOG, employees: evidence });
  return { ours, theirs: reference.tabs ?? [] };
}

async function importOver(
  t: TestApp,
  body: unknown,
  dryRun = false,
): Promise<{ status: number; report: Lk2ImportReport }> {
  const response = await t.admin(`/admin/import/lk2${dryRun ? "" : "?dry_run=false"}`, {
    method: "POST",
    json: body,
  });
  return { status: response.status, report: (await response.json()) as Lk2ImportReport };
}

function strip({ personnel_number, ...rest }: Evidence) {
  const { today: _t, now: _n, platform: _p, ...employee } = rest;
  return { personnel_number, ...employee };
}

describe("an LK2 export imported over HTTP", () => {
  let t: TestApp;
  let shown: { ours: Shown[]; theirs: Shown[] };
  let first: Lk2ImportReport;

  beforeAll(async () => {
    t = await createTestApp({ employees: EMPLOYEES.map(strip), clock: () => NOW });
    const imported = await importOver(t, LK2_CATALOG);
    expect(imported.status).toBe(200);
    first = imported.report;
    await t.ctx.catalog.reload();
    shown = await compare(t);
  });
  afterAll(() => t.close());

  test("the report: translated, refused with its construct and place, mapped, skipped, unused", () => {
    expect(first.dry_run).toBe(false);
    expect(first.rules.refused).toEqual([
      expect.objectContaining({ lk2_id: 200, name: "uses_lambda", construct: "lambda", line: 1, column: 2 }),
    ]);
    expect(first.rules.translated.length).toBe(LK2_CATALOG.rule.length - 2); // less the refused and the one not executable
    expect(first.rules.not_executable.map((r) => r.lk2_id)).toEqual([94]);
    expect(first.components.skipped).toEqual([
      expect.objectContaining({
        kind: "section",
        lk2_id: 42,
        reason: expect.stringContaining("no platform"),
      }),
    ]);
    expect(first.unused_rules.map((r) => r.lk2_id)).toContain(201);
    expect(first.unused_rules.map((r) => r.lk2_id)).not.toContain(1);
    expect(first.changes.rules).toEqual({ created: LK2_CATALOG.rule.length, updated: 0, unchanged: 0 });
  });

  test("sidebar and banners: what LK2 shows each employee", () => {
    expect(shown.ours.map((s) => ({ sidebar: s.sidebar, banners: s.banners }))).toEqual(
      shown.theirs.map((s) => ({ sidebar: s.sidebar, banners: s.banners })),
    );
    // the catalog gives employees different pages: the comparison is not of empty answers
    expect(new Set(shown.theirs.map((s) => JSON.stringify(s))).size).toBeGreaterThan(10);
  });

  test("cards: a visible section is in its card group whether or not its sidebar group is visible (contract of 2026-12-01)", () => {
    // First, that any difference is only that change of the contract (src/catalog's buildTabs
    // hiding a section's card with its sidebar group), then the contract itself.
    const themeOf = new Map(LK2_CATALOG.tab.map((row) => [row.id, row.tab_theme_id]));
    const unexplained = shown.ours.flatMap((ours, i) => {
      const theirs = shown.theirs[i] as Shown;
      const sidebar = new Set(theirs.sidebar.map(([id]) => id));
      const hiddenGroup = (tab: number) => !sidebar.has(themeOf.get(tab) ?? -1);
      const expected = theirs.cards
        .map(([id, tabs]): [number, number[]] => [id, tabs.filter((tab) => !hiddenGroup(tab))])
        .filter(([, tabs]) => tabs.length > 0);
      return JSON.stringify(ours.cards) === JSON.stringify(theirs.cards) ||
        JSON.stringify(ours.cards) === JSON.stringify(expected)
        ? []
        : [EMPLOYEES[i]?.personnel_number];
    });
    expect(unexplained).toEqual([]);
    expect(shown.ours.map((s) => s.cards)).toEqual(shown.theirs.map((s) => s.cards));
  });

  test("audited as lk2-import, with a revision per rule; a second run changes nothing and duplicates nothing", async () => {
    const audit = await t.db.select().from(schema.auditLog);
    expect(new Set(audit.map((entry) => entry.actor))).toEqual(new Set(["lk2-import"]));
    const components = first.components.mapped.length;
    expect(audit.length).toBe(LK2_CATALOG.rule.length + components);
    expect((await t.db.select().from(schema.ruleRevisions)).length).toBe(LK2_CATALOG.rule.length);

    const again = await importOver(t, LK2_CATALOG);
    expect(again.status).toBe(200);
    expect(again.report.changes).toEqual({
      rules: { created: 0, updated: 0, unchanged: LK2_CATALOG.rule.length },
      components: { created: 0, updated: 0, unchanged: components },
    });
    expect(again.report.catalog_version).toBe(first.catalog_version);
    expect((await t.db.select().from(schema.rules)).length).toBe(LK2_CATALOG.rule.length);
    expect((await t.db.select().from(schema.auditLog)).length).toBe(audit.length);
  });

  test("a changed LK2 row updates its copy; a dry run reports it and writes nothing", async () => {
    const changed: Lk2Export = {
      ...LK2_CATALOG,
      tab: LK2_CATALOG.tab.map((row) =>
        row.id === 30 ? { ...row, title: "Расчётный листок (новый)" } : row,
      ),
    };
    const dry = await importOver(t, changed, true);
    expect(dry.report.dry_run).toBe(true);
    expect(dry.report.changes.components.updated).toBe(1);
    const before = (await t.db.select().from(schema.auditLog)).length;
    expect(before).toBe((await t.db.select().from(schema.auditLog)).length);
    const real = await importOver(t, changed);
    expect(real.report.changes.components).toMatchObject({ created: 0, updated: 1 });
    expect((await t.db.select().from(schema.sections)).length).toBe(
      first.components.mapped.filter((c) => c.kind === "section").length,
    );
  });
});

describe("an LK2 import refused", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  test("not an export: 422 with the error shape, nothing written", async () => {
    const response = await t.admin("/admin/import/lk2?dry_run=false", {
      method: "POST",
      json: { rule: [{ id: "x" }] },
    });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { code: string; details: unknown[] } };
    expect(body.error.code).toBe("validation_failed");
    expect((await t.db.select().from(schema.rules)).length).toBe(0);
  });

  test("without an admin token: 401", async () => {
    const response = await t.request("/admin/import/lk2", { method: "POST", json: LK2_CATALOG });
    expect(response.status).toBe(401);
  });

  test("dry run by default: reports, writes nothing", async () => {
    const response = await t.admin("/admin/import/lk2", { method: "POST", json: LK2_CATALOG });
    expect(response.status).toBe(200);
    const report = (await response.json()) as Lk2ImportReport;
    expect(report.dry_run).toBe(true);
    expect(report.changes.rules.created).toBe(LK2_CATALOG.rule.length);
    expect((await t.db.select().from(schema.rules)).length).toBe(0);
    expect((await t.db.select().from(schema.auditLog)).length).toBe(0);
  });
});

const base = process.env.DATABASE_URL;
if (!base) {
  console.log("LK2 database import test skipped: it reads an LK2 PostgreSQL database; set DATABASE_URL");
}

describe.if(Boolean(base))("an LK2 PostgreSQL database imported", () => {
  const name = `lk2_src_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const url = new URL(base ?? "postgres://localhost/none");
  url.pathname = `/${name}`;
  let t: TestApp;

  beforeAll(async () => {
    const admin = postgres(base ?? "", { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    await admin.end();
    const lk2 = postgres(url.toString(), { max: 1, onnotice: () => {} });
    await lk2.unsafe(LK2_DDL);
    for (const table of ["rule", "tab_theme", "group_theme", "tab", "banner"] as const) {
      const rows = LK2_CATALOG[table] as Array<Record<string, unknown>>;
      if (rows.length > 0) await lk2`INSERT INTO ${lk2(table)} ${lk2(rows)}`;
    }
    await lk2.end();
    t = await createTestApp({ employees: EMPLOYEES.map(strip), clock: () => NOW });
  });
  afterAll(async () => {
    await t?.close();
    const admin = postgres(base ?? "", { max: 1, onnotice: () => {} });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  test("read from the database it is the same export; imported, /user.tabs shows what LK2 shows", async () => {
    const read = await readLk2Database(url.toString());
    expect(read.rule.length).toBe(LK2_CATALOG.rule.length);
    const imported = await importOver(t, read);
    expect(imported.status).toBe(200);
    await t.ctx.catalog.reload();
    const { ours, theirs } = await compare(t);
    expect(ours.map((s) => ({ sidebar: s.sidebar, banners: s.banners }))).toEqual(
      theirs.map((s) => ({ sidebar: s.sidebar, banners: s.banners })),
    );
  });
});
