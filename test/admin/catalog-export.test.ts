/**
 * Our own catalog, out and in (issue 14): the demo catalog exported from one instance over
 * GET /admin/export and imported into an empty one over POST /admin/import, then compared where
 * it matters — what /user.tabs shows employees — and run again (nothing changes), changed by one
 * title (one row changes); and `bun run catalog:import` on a file. Refusals: catalog-import.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asc, eq } from "drizzle-orm";
import type { CatalogExport } from "../../src/admin/import/catalog-document.ts";
import type { CatalogImportReport } from "../../src/admin/import/catalog-report.ts";
import { schema } from "../../src/db/index.ts";
import { seedDemoCatalog } from "../../src/demo/index.ts";
import type { TestApp } from "../support/app.ts";
import { COUNTS, counts, exportOf, importInto, NOW, newApp, PERNRS, reportOf } from "./catalog-support.ts";
import { catalogDump, createRule, expectOk, STARTUP_TIMEOUT_MS } from "./support.ts";

const ALL = Object.values(COUNTS).reduce((a, b) => a + b, 0);

/** What an employee sees, by titles (ids differ between instances). */
async function pageOf(t: TestApp, pernr: string, platform: string) {
  const response = await t.request(`/user.tabs?platform=${platform}`, { token: pernr });
  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    sidebar: Array<{ title: string; sections: Array<{ title: string; url: string }> }>;
    cards: Array<{ title: string; sections: Array<{ title: string }> }>;
    banners: Array<{ title: string }>;
  };
  return {
    sidebar: body.sidebar.map((g) => [g.title, g.sections.map((s) => `${s.title} ${s.url}`)]),
    cards: body.cards.map((c) => [c.title, c.sections.map((s) => s.title)]),
    banners: body.banners.map((b) => b.title),
  };
}

describe("the catalog exported from one instance and imported into another", () => {
  let a: TestApp;
  let b: TestApp;
  let exported: CatalogExport;
  let imported: CatalogImportReport;

  beforeAll(async () => {
    [a, b] = await Promise.all([newApp(), newApp()]);
    expect(await seedDemoCatalog(a.db, NOW)).toBe(true);
    await a.ctx.catalog.reload();
    exported = await exportOf(a);
  }, STARTUP_TIMEOUT_MS);
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  test("the export: the whole catalog, versioned, linked by names and keys, not ids", async () => {
    expect(exported.format).toBe("lk-catalog");
    expect(exported.format_version).toBe(1);
    expect({
      rules: exported.rules.length,
      sidebar_groups: exported.sidebar_groups.length,
      card_groups: exported.card_groups.length,
      sections: exported.sections.length,
      banners: exported.banners.length,
    }).toEqual(COUNTS);
    const text = JSON.stringify(exported);
    expect(text).not.toMatch(/"(id|rule_id|sidebar_group_id|card_group_id|lk2_id)"/);
    expect(exported.rules.find((r) => r.name === "lk1_payslip")).toEqual({
      name: "lk1_payslip",
      title: "LK1: расчётный листок",
      kind: "lk1",
      expression: "",
      app_codes: ["payslip"],
      enabled: true,
    });
    expect(exported.sections.find((s) => s.url === "/payslip")).toMatchObject({
      title: "Расчётный листок",
      sidebar_group: "Зарплата и документы",
      card_group: "Быстрые действия",
      rule: "lk1_payslip",
    });
    const survey = exported.banners.find((banner) => banner.title === "Опрос вовлечённости 2026");
    expect(survey?.starts_at).toBe(new Date(NOW.getTime() - 7 * 86_400_000).toISOString());
    // It fits the admin API's body limit (256 KiB) with room to spare.
    expect(text.length).toBeLessThan(128 * 1024);
  });

  test("a dry run into an empty instance reports everything as created and writes nothing", async () => {
    const before = await catalogDump(b.db);
    const report = await reportOf(b, exported);
    expect(report.dry_run).toBe(true);
    expect(report.changes).toEqual({
      rules: counts(COUNTS.rules, 0, 0),
      sidebar_groups: counts(COUNTS.sidebar_groups, 0, 0),
      card_groups: counts(COUNTS.card_groups, 0, 0),
      sections: counts(COUNTS.sections, 0, 0),
      banners: counts(COUNTS.banners, 0, 0),
    });
    expect(report.created).toContainEqual({ kind: "section", key: "/payslip" });
    expect(report.refused).toEqual([]);
    expect(report.catalog_version).toBeNull();
    // The trial at save ran for every enabled rule, as creating each by hand would.
    expect(report.trial.ran).toBe(true);
    expect(report.trial.rules.length).toBe(exported.rules.filter((r) => r.enabled).length);
    expect(await catalogDump(b.db)).toEqual(before);
  });

  test("a real run creates everything in one audited change: one version bump, a revision per rule", async () => {
    const [{ version: before } = { version: 0 }] = await b.db.select().from(schema.catalogState);
    const response = await importInto(b, exported, true);
    imported = await expectOk<CatalogImportReport>(response);
    expect(imported.dry_run).toBe(false);
    expect(imported.changes.rules).toEqual(counts(COUNTS.rules, 0, 0));
    expect(imported.changes.sections).toEqual(counts(COUNTS.sections, 0, 0));
    expect(imported.catalog_version).toBe(before + 1);
    expect(response.headers.get("x-catalog-version")).toBe(String(before + 1));
    const audit = await b.db.select().from(schema.auditLog);
    expect(audit.length).toBe(ALL);
    expect(new Set(audit.map((entry) => `${entry.actor} ${entry.action}`))).toEqual(
      new Set(["admin-token create"]),
    );
    expect((await b.db.select().from(schema.ruleRevisions)).length).toBe(COUNTS.rules);
  });

  test("/user.tabs gives every employee the same page on both instances", async () => {
    await b.ctx.catalog.reload();
    const pages = { a: [] as unknown[], b: [] as unknown[] };
    for (const [i, pernr] of PERNRS.entries()) {
      const platform = ["web", "ios", "android"][i % 3] as string;
      pages.a.push(await pageOf(a, pernr, platform));
      pages.b.push(await pageOf(b, pernr, platform));
    }
    expect(pages.b).toEqual(pages.a);
    // Not a comparison of empty pages: employees see different things.
    expect(new Set(pages.a.map((page) => JSON.stringify(page))).size).toBeGreaterThan(10);
  });

  test("exported again from the copy it is the same document", async () => {
    const again = await exportOf(b);
    const { exported_at: _a, catalog_version: _v, ...content } = exported;
    expect(again).toEqual({
      ...content,
      exported_at: again.exported_at,
      catalog_version: again.catalog_version,
    });
  });

  test("imported again it changes nothing: all unchanged, no version bump, no row written", async () => {
    const before = await catalogDump(b.db);
    const report = await reportOf(b, exported, true);
    expect(report.changes).toEqual({
      rules: counts(0, 0, COUNTS.rules),
      sidebar_groups: counts(0, 0, COUNTS.sidebar_groups),
      card_groups: counts(0, 0, COUNTS.card_groups),
      sections: counts(0, 0, COUNTS.sections),
      banners: counts(0, 0, COUNTS.banners),
    });
    expect(report.trial.rules).toEqual([]);
    expect(report.catalog_version).toBe(imported.catalog_version);
    expect(await catalogDump(b.db)).toEqual(before);
  });

  test("a changed title updates only that row, audited; ours not in the export are left alone", async () => {
    const extra = await createRule(b, { name: "b_only", title: "Только здесь", expression: "is_manager" });
    const changed: CatalogExport = {
      ...exported,
      sections: exported.sections.map((s) => (s.url === "/payslip" ? { ...s, title: "Расчётный лист" } : s)),
      rules: exported.rules.map((r) => (r.name === "women" ? { ...r, title: "Женщины" } : r)),
    };
    const dry = await reportOf(b, changed);
    expect(dry.updated.map(({ kind, key, fields }) => ({ kind, key, fields }))).toEqual([
      { kind: "rule", key: "women", fields: ["title"] },
      { kind: "section", key: "/payslip", fields: ["title"] },
    ]);
    expect(dry.absent).toEqual([{ kind: "rule", key: "b_only", id: extra.id }]);

    const before = await catalogDump(b.db);
    const report = await reportOf(b, changed, true);
    expect(report.changes.sections).toEqual(counts(0, 1, COUNTS.sections - 1));
    expect(report.changes.rules).toEqual(counts(0, 1, COUNTS.rules - 1));
    expect(report.catalog_version).toBe((before.state[0]?.version ?? 0) + 1);
    const after = await catalogDump(b.db);
    const changedRows = (rows: Array<{ id: number }>, old: Array<{ id: number }>) =>
      rows.filter((row, i) => JSON.stringify(row) !== JSON.stringify(old[i]));
    expect(changedRows(after.sections, before.sections)).toEqual([
      expect.objectContaining({ url: "/payslip", title: "Расчётный лист", version: 2 }),
    ]);
    expect(changedRows(after.rules, before.rules)).toEqual([
      expect.objectContaining({ name: "women", title: "Женщины", version: 2 }),
    ]);
    expect(after.rules.find((r) => r.name === "b_only")).toEqual(
      before.rules.find((r) => r.name === "b_only"),
    );
    for (const table of ["sidebarGroups", "cardGroups", "banners"] as const) {
      expect(after[table]).toEqual(before[table]);
    }
    const entries = after.audit.slice(before.audit.length);
    expect(entries.map((e) => [e.actor, e.action, e.entity])).toEqual([
      ["admin-token", "update", "rule"],
      ["admin-token", "update", "section"],
    ]);
    expect(entries[1]?.before).toMatchObject({ title: "Расчётный листок" });
    expect(entries[1]?.after).toMatchObject({ title: "Расчётный лист" });
    const revisions = after.revisions.slice(before.revisions.length);
    expect(revisions).toEqual([expect.objectContaining({ name: "women", version: 2, title: "Женщины" })]);
  });
});

describe("bun run catalog:import", () => {
  let t: TestApp;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    const source = await newApp();
    await seedDemoCatalog(source.db, NOW);
    const document = await exportOf(source);
    await source.close();
    dir = mkdtempSync(join(tmpdir(), "lk-catalog-"));
    file = join(dir, "export.json");
    writeFileSync(file, JSON.stringify(document));
    t = await newApp();
  }, STARTUP_TIMEOUT_MS);
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("imports a file, audited as catalog-import (main function, on this test's database)", async () => {
    const { runCatalogImport } = await import("../../src/admin/import/catalog-cli.ts");
    const lines: string[] = [];
    const output = { out: (text: string) => lines.push(text), err: (text: string) => lines.push(text) };
    // The test closes its own database; the command's close must not.
    const open = async () => ({ ...t.ctx.database, close: async () => {} });
    expect(await runCatalogImport(["--from", file, "--dry-run"], open, output)).toBe(0);
    expect(lines.join("\n")).toContain("dry run: nothing written");
    expect(await t.db.select().from(schema.rules)).toEqual([]);

    lines.length = 0;
    expect(await runCatalogImport(["--from", file, "--json"], open, output)).toBe(0);
    const report = JSON.parse(lines.join("\n")) as CatalogImportReport;
    expect(report.changes.sections).toEqual(counts(COUNTS.sections, 0, 0));
    expect(report.trial.ran).toBe(false);
    const actors = await t.db.selectDistinct({ actor: schema.auditLog.actor }).from(schema.auditLog);
    expect(actors).toEqual([{ actor: "catalog-import" }]);
    const revisions = await t.db
      .select()
      .from(schema.ruleRevisions)
      .where(eq(schema.ruleRevisions.author, "catalog-import"))
      .orderBy(asc(schema.ruleRevisions.id));
    expect(revisions.length).toBe(COUNTS.rules);

    lines.length = 0;
    expect(await runCatalogImport(["--from", join(dir, "missing.json")], open, output)).toBe(1);
    expect(lines.join("\n")).toContain("cannot read");
  });

  test("as a script: usage errors exit 2; a dry run on an empty embedded database prints the report", () => {
    const script = join(import.meta.dir, "../../src/admin/import/catalog-cli.ts");
    const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PGLITE_DIR: "memory://" };
    const usage = Bun.spawnSync([process.execPath, "run", script], { env, stderr: "pipe" });
    expect(usage.exitCode).toBe(2);
    expect(usage.stderr.toString()).toContain("--from");
    const dry = Bun.spawnSync([process.execPath, "run", script, "--from", file, "--dry-run", "--json"], {
      env,
      stdout: "pipe",
      stderr: "pipe",
    });
    expect({ exit: dry.exitCode, stderr: dry.exitCode === 0 ? "" : dry.stderr.toString() }).toEqual({
      exit: 0,
      stderr: "",
    });
    const report = JSON.parse(dry.stdout.toString()) as CatalogImportReport;
    expect(report.dry_run).toBe(true);
    expect(report.changes.rules).toEqual(counts(COUNTS.rules, 0, 0));
  });
});
