/**
 * The pure core of the catalog import (src/admin/import/catalog-diff.ts, catalog-rules.ts,
 * catalog-keys.ts) on small plain catalogs: keys, what a changed key field does, and the rule
 * checks and trial choices that HTTP tests reach only through the demo catalog.
 */
import { describe, expect, test } from "bun:test";
import { type CurrentCatalog, diffCatalog, toCatalogExport } from "../../src/admin/import/catalog-diff.ts";
import type { CatalogExport, CatalogRule } from "../../src/admin/import/catalog-document.ts";
import { parseCatalogExport } from "../../src/admin/import/catalog-document.ts";
import { componentKeys } from "../../src/admin/import/catalog-keys.ts";
import { checkImportedRules } from "../../src/admin/import/catalog-rules.ts";

const AT = "2026-01-01T00:00:00.000Z";
const meta = { version: 1, created_at: AT, updated_at: AT };

const ours: CurrentCatalog = {
  rules: [
    {
      id: 1,
      name: "managers",
      title: "M",
      kind: "expression",
      expression: "is_manager",
      appCodes: [],
      enabled: true,
      dependsOn: [],
      version: 1,
    },
    {
      id: 2,
      name: "moscow_managers",
      title: "MM",
      kind: "expression",
      expression: 'managers && region === "R077"',
      appCodes: [],
      enabled: true,
      dependsOn: ["managers"],
      version: 1,
    },
  ],
  sidebarGroups: [
    { id: 10, ...meta, title: "Главная", icon: null, order: 0, rule_id: null },
    { id: 11, ...meta, title: "Главная", icon: null, order: 10, rule_id: 1 },
  ],
  cardGroups: [{ id: 20, ...meta, title: "Быстрые", order: 0, rule_id: null }],
  sections: [
    {
      id: 30,
      ...meta,
      title: "Новости",
      url: "/news",
      icon: null,
      order: 0,
      sidebar_group_id: 11,
      card_group_id: 20,
      platforms: null,
      rule_id: 2,
    },
  ],
  banners: [],
};
const exported = toCatalogExport(ours, { exportedAt: new Date(AT), catalogVersion: 7 });

const withRules = (rules: CatalogRule[]): CatalogExport => ({ ...exported, rules });
const rule = (name: string, expression: string, enabled = true): CatalogRule => ({
  name,
  title: name,
  kind: "expression",
  expression,
  app_codes: [],
  enabled,
});

describe("keys", () => {
  test("a title that repeats is numbered in order, skipping numbers already taken", () => {
    const titles = ["A", "A #2", "A", "B"].map((title) => ({ title }));
    expect(componentKeys("sidebar_group", titles)).toEqual(["A", "A #2", "A #3", "B"]);
    expect(componentKeys("section", [{ url: "/x" }, { url: "/x" }])).toEqual(["/x", "/x #2"]);
  });

  test("the export names the second group of a title `#2`, and the document parses back", () => {
    expect(exported.sections[0]).toMatchObject({
      sidebar_group: "Главная #2",
      card_group: "Быстрые",
      rule: "moscow_managers",
    });
    expect(parseCatalogExport(JSON.parse(JSON.stringify(exported)))).toEqual(exported);
  });
});

describe("the diff", () => {
  test("the export against the catalog it came from: everything unchanged, nothing absent", () => {
    const diff = diffCatalog(exported, ours);
    for (const kind of Object.values(diff)) {
      expect(kind.created.length + kind.updated.length + kind.absent.length).toBe(0);
    }
  });

  test("a changed key field is a new component; the old one is absent; what named it follows", () => {
    const renamed: CatalogExport = {
      ...exported,
      sidebar_groups: exported.sidebar_groups.map((g, i) => (i === 1 ? { ...g, title: "Менеджерам" } : g)),
      sections: exported.sections.map((s) => ({ ...s, sidebar_group: "Менеджерам" })),
    };
    const diff = diffCatalog(renamed, ours);
    expect(diff.sidebar_group.created.map((g) => g.key)).toEqual(["Менеджерам"]);
    expect(diff.sidebar_group.absent.map((g) => [g.key, g.id])).toEqual([["Главная #2", 11]]);
    expect(diff.section.updated.map((s) => [s.key, s.id, s.fields])).toEqual([
      ["/news", 30, ["sidebar_group"]],
    ]);
  });

  test("an instant with an offset is the same instant; an lk1 rule's expression is stored empty", () => {
    const banner = { title: "B", image_url: "/b.png", link: null, order: 0, platforms: null, ends_at: null };
    const current: CurrentCatalog = {
      ...ours,
      banners: [{ id: 40, ...meta, ...banner, starts_at: "2026-03-01T00:00:00.000Z", rule_id: null }],
    };
    const document: CatalogExport = {
      ...exported,
      banners: [{ ...banner, starts_at: "2026-03-01T03:00:00+03:00", rule: null }],
      rules: [...exported.rules, { ...rule("lk1_x", "ignored"), kind: "lk1", app_codes: ["x"] }],
    };
    const diff = diffCatalog(document, current);
    expect(diff.banner.unchanged.map((b) => b.id)).toEqual([40]);
    expect(diff.rule.created.map((r) => r.entry)).toEqual([
      { name: "lk1_x", title: "lk1_x", kind: "lk1", expression: "", app_codes: ["x"], enabled: true },
    ]);
  });
});

describe("the rules' checks", () => {
  const verdicts = (document: CatalogExport) => {
    const diff = diffCatalog(document, ours);
    return checkImportedRules(diff.rule, ours.rules);
  };

  test("a cycle through the document is refused, naming both rules", () => {
    const found = verdicts(withRules([rule("managers", "moscow_managers"), ...exported.rules.slice(1)]));
    expect(found.refused.map((r) => [r.rule, r.code])).toEqual([
      ["managers", "invalid_rule"],
      ["moscow_managers", "invalid_rule"],
    ]);
    expect(found.refused[0]?.message).toContain("cycle");
  });

  test("an enabled rule may read only enabled rules; a disabled one may read any", () => {
    const disabled = [rule("managers", "is_manager", false), ...exported.rules.slice(1)];
    expect(verdicts(withRules(disabled)).refused.map((r) => r.rule)).toEqual(["moscow_managers"]);
    const both = disabled.map((r) => ({ ...r, enabled: false }));
    expect(verdicts(withRules(both)).refused).toEqual([]);
  });

  test("one of ours that the document leaves out is checked against what the document makes", () => {
    // moscow_managers is not in the document, and the document disables the rule it reads.
    const found = verdicts(withRules([rule("managers", "is_manager", false)]));
    expect(found.refused).toEqual([expect.objectContaining({ rule: "moscow_managers", code: "conflict" })]);
  });

  test("tried: new and changed logic, with the rules it reads; not a rule whose title alone changes", () => {
    const document = withRules([
      { ...exported.rules[0], title: "Руководители" } as CatalogRule,
      rule("moscow_managers", 'managers && region === "R050"'),
      rule("new_one", "moscow_managers || is_manager"),
      rule("off", "is_manager", false),
    ]);
    const found = verdicts(document);
    expect(found.refused).toEqual([]);
    expect(found.trials.map((t) => [t.rule, t.candidate.dependencies.map((d) => d.name).sort()])).toEqual([
      ["new_one", ["managers", "moscow_managers"]],
      ["moscow_managers", ["managers"]],
    ]);
    // depends_on is what it reads itself; the trial gets what that reads too.
    expect(found.checks.get("new_one")?.rules).toEqual(["moscow_managers"]);
    // The rule not written yet has an id of its own for the trial; saved ones keep theirs.
    const tried = found.trials[0]?.candidate;
    expect(tried?.rule.id).toBeLessThan(0);
    expect(tried?.dependencies.find((d) => d.name === "managers")?.id).toBe(1);
  });
});
