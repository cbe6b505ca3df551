/**
 * A catalog import refused (issue 14): not an export, a rule that fails the static check or the
 * trial at save, one of our own rules that the import would break — each refused whole over
 * HTTP with the error shape, nothing written, while a dry run lists what it would refuse. And
 * the OpenAPI document describes both routes from the one schema.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { CatalogExport } from "../../src/admin/import/catalog-document.ts";
import { seedDemoCatalog } from "../../src/demo/index.ts";
import type { TestApp } from "../support/app.ts";
import { COUNTS, counts, exportOf, importInto, NOW, newApp, reportOf } from "./catalog-support.ts";
import { createRule, expectRefused, STARTUP_TIMEOUT_MS } from "./support.ts";

describe("a catalog import refused", () => {
  let t: TestApp;
  let document: CatalogExport;

  beforeAll(async () => {
    t = await newApp();
    await seedDemoCatalog(t.db, NOW);
    document = await exportOf(t);
  }, STARTUP_TIMEOUT_MS);
  afterAll(() => t?.close());

  test("not an export: 422 with the error shape, nothing written", async () => {
    const refused = (body: unknown) =>
      expectRefused(t, () => importInto(t, body, true), 422, "validation_failed");
    await refused({ ...document, format_version: 2 });
    const orphan = await refused({
      ...document,
      sections: [{ ...document.sections[0], sidebar_group: "Нет такой группы" }],
    });
    expect(orphan.details).toContainEqual(
      expect.objectContaining({
        path: "sections.0.sidebar_group",
        message: expect.stringContaining("Нет такой"),
      }),
    );
    const badLink = await refused({
      ...document,
      banners: [{ ...document.banners[0], link: "javascript:alert(1)" }],
    });
    expect(badLink.details).toContainEqual(expect.objectContaining({ path: "banners.0.link" }));
    await refused({ ...document, rules: [...document.rules, { ...document.rules[0] }] });
  });

  test("without an admin token: 401, and the export too", async () => {
    expect((await t.request("/admin/export")).status).toBe(401);
    expect((await t.request("/admin/import", { method: "POST", json: document })).status).toBe(401);
  });

  test("a rule that fails the check: listed by a dry run, the real run refused whole (422)", async () => {
    const broken: CatalogExport = {
      ...document,
      rules: document.rules.map((r) =>
        r.name === "is_cashier" ? { ...r, expression: "roles.includes(" } : r,
      ),
      sections: document.sections.map((s) => ({ ...s, title: `${s.title}!` })),
    };
    const dry = await reportOf(t, broken);
    expect(dry.refused).toEqual([
      expect.objectContaining({ rule: "is_cashier", code: "invalid_rule", line: 1 }),
    ]);
    expect(dry.changes.sections.updated).toBe(COUNTS.sections);
    const error = await expectRefused(t, () => importInto(t, broken, true), 422, "invalid_rule");
    expect(error.details).toContainEqual(expect.objectContaining({ rule: "is_cashier" }));
  });

  test("a rule the trial at save refuses (throws for everyone): 422 rule_trial_failed, nothing written", async () => {
    const hostile: CatalogExport = {
      ...document,
      rules: [
        ...document.rules,
        {
          name: "typo",
          title: "Опечатка",
          kind: "expression",
          expression: 'roles.include("cashier")',
          app_codes: [],
          enabled: true,
        },
      ],
    };
    const dry = await reportOf(t, hostile);
    expect(dry.trial.rules).toEqual(["typo"]);
    expect(dry.refused).toEqual([expect.objectContaining({ rule: "typo", code: "rule_trial_failed" })]);
    await expectRefused(t, () => importInto(t, hostile, true), 422, "rule_trial_failed");
    // Disabled, it goes live nowhere, so it is not tried, and the import goes through.
    const disabled = {
      ...hostile,
      rules: hostile.rules.map((r) => (r.name === "typo" ? { ...r, enabled: false } : r)),
    };
    expect((await reportOf(t, disabled, true)).changes.rules).toEqual(counts(1, 0, COUNTS.rules));
  });

  test("one of our rules not in the export would break: 409, nothing written", async () => {
    await createRule(t, { name: "ours_on_men", title: "Наше", expression: "men && is_manager" });
    const disablesMen: CatalogExport = {
      ...document,
      rules: document.rules.map((r) => (r.name === "men" ? { ...r, enabled: false } : r)),
    };
    expect(document.rules.some((r) => r.expression.includes("men &&") || /\bmen\b/.test(r.expression))).toBe(
      false,
    );
    const error = await expectRefused(t, () => importInto(t, disablesMen, true), 409, "conflict");
    expect(error.details).toEqual([expect.objectContaining({ rule: "ours_on_men", code: "conflict" })]);
  });
});

describe("the OpenAPI document", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await newApp();
  }, STARTUP_TIMEOUT_MS);
  afterAll(() => t?.close());

  test("describes the export's answer and the import's body with the same schema, and the report", async () => {
    type Schema = { properties: Record<string, { const?: unknown }>; required: string[] };
    type Content = { content?: { "application/json"?: { schema?: Schema } } };
    type Operation = { requestBody?: Content; responses?: Record<string, Content> };
    const openapi = (await (await t.request("/swagger/json")).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const schemaOf = (part: Content | undefined): Schema => {
      const found = part?.content?.["application/json"]?.schema;
      if (!found) throw new Error("no JSON schema there");
      return found;
    };
    const exportRoute = openapi.paths["/admin/export"]?.get;
    const importRoute = openapi.paths["/admin/import"]?.post;
    const exported = schemaOf(exportRoute?.responses?.["200"]);
    expect(schemaOf(importRoute?.requestBody)).toEqual(exported);
    expect(exported.properties.format?.const).toBe("lk-catalog");
    expect(exported.required).toEqual(
      expect.arrayContaining([
        "format",
        "format_version",
        "rules",
        "sidebar_groups",
        "card_groups",
        "sections",
        "banners",
      ]),
    );
    const report = schemaOf(importRoute?.responses?.["200"]);
    expect(Object.keys(report.properties)).toEqual(
      expect.arrayContaining(["dry_run", "changes", "created", "updated", "absent", "refused", "trial"]),
    );
  });
});
