/**
 * The rules routes doing what they are for: create, read, change, delete, validate, revisions
 * and rollback. Refusals are in rules.error.test.ts, hostile input in rules.security.test.ts,
 * the trial at save in trial.test.ts.
 */
import { describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { schema } from "../../src/db/index.ts";
import { createRule, expectOk, putRule, type RuleAnswer, useTestApp } from "./support.ts";

const t = useTestApp();

interface Revision {
  version: number;
  name: string;
  title: string;
  kind: string;
  expression: string;
  app_codes: string[];
  enabled: boolean;
  author: string;
  created_at: string;
}

describe("rules: create, read, change", () => {
  test("POST creates version 1 with id, timestamps, ETag, Location and the catalog version", async () => {
    const before = t.ctx.catalog.snapshot?.catalogVersion ?? 0;
    const response = await t.admin("/admin/rules", {
      method: "POST",
      json: { name: "is_moscow", title: "Moscow staff", expression: 'region === "R077"' },
    });
    const rule = await expectOk<RuleAnswer>(response.clone(), 201);
    expect(rule).toMatchObject({
      name: "is_moscow",
      title: "Moscow staff",
      kind: "expression",
      expression: 'region === "R077"',
      app_codes: [],
      enabled: true,
      depends_on: [],
      version: 1,
    });
    expect(rule.id).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(rule.created_at))).toBe(false);
    expect(response.headers.get("etag")).toBe('"1"');
    expect(response.headers.get("location")).toBe(`/admin/rules/${rule.id}`);
    expect(Number(response.headers.get("x-catalog-version"))).toBeGreaterThan(before);
  });

  test("GET lists rules by name and answers one with its ETag", async () => {
    await createRule(t, { name: "a_first", title: "A", expression: "is_manager" });
    const list = await expectOk<RuleAnswer[]>(t.admin("/admin/rules"));
    const names = list.map((r) => r.name);
    expect(names).toEqual([...names].sort());
    const one = list.find((r) => r.name === "a_first");
    const response = await t.admin(`/admin/rules/${one?.id}`);
    expect(await expectOk<RuleAnswer>(response.clone())).toEqual(one as RuleAnswer);
    expect(response.headers.get("etag")).toBe('"1"');
  });

  test("names and titles are trimmed", async () => {
    const rule = await createRule(t, {
      name: "  is_trimmed  ",
      title: "  Trimmed staff  ",
      expression: "is_manager",
    });
    expect(rule.name).toBe("is_trimmed");
    expect(rule.title).toBe("Trimmed staff");
  });

  test("PUT with If-Match makes a new version; fields it leaves out keep their values", async () => {
    const rule = await createRule(t, {
      name: "is_part_time",
      title: "Part time",
      expression: "true",
      enabled: false,
    });
    const response = await putRule(t, rule.id, 1, {
      name: "is_part_time",
      title: "Part-time staff",
      expression: 'employment_type === "part_time"',
    });
    const changed = await expectOk<RuleAnswer>(response.clone());
    expect(changed).toMatchObject({ version: 2, title: "Part-time staff", enabled: false });
    expect(response.headers.get("etag")).toBe('"2"');
    expect(Date.parse(changed.updated_at)).toBeGreaterThanOrEqual(Date.parse(rule.updated_at));
    // The ETag form of If-Match works too.
    const again = await t.admin(`/admin/rules/${rule.id}`, {
      method: "PUT",
      headers: { "if-match": '"2"' },
      json: { name: "is_part_time", title: "Part-time staff", enabled: true },
    });
    expect(await expectOk<RuleAnswer>(again)).toMatchObject({ version: 3, enabled: true });
  });

  test("a rule that refers to another stores depends_on; the referred rule may then be edited", async () => {
    const base = await createRule(t, {
      name: "is_retail",
      title: "Retail",
      expression: 'orgunit_path.includes("50000100")',
    });
    const derived = await createRule(t, {
      name: "is_retail_manager",
      title: "x",
      expression: "is_retail && is_manager",
    });
    expect(derived.depends_on).toEqual(["is_retail"]);
    const [row] = await t.db.select().from(schema.rules).where(eq(schema.rules.id, derived.id));
    expect(row?.dependsOn).toEqual(["is_retail"]);
    await expectOk(putRule(t, base.id, 1, { name: "is_retail", title: "Retail", expression: "true" }));
  });

  test("kind lk1 takes app codes instead of an expression; the unused field is stored empty", async () => {
    const rule = await createRule(t, {
      name: "has_vacation_app",
      title: "LK1",
      kind: "lk1",
      app_codes: ["vacation"],
      expression: "leftover",
    });
    expect(rule).toMatchObject({ kind: "lk1", app_codes: ["vacation"], expression: "" });
    const switched = await expectOk<RuleAnswer>(
      putRule(t, rule.id, 1, {
        name: "has_vacation_app",
        title: "LK1",
        kind: "expression",
        expression: 'apps.includes("vacation")',
      }),
    );
    expect(switched).toMatchObject({
      kind: "expression",
      app_codes: [],
      expression: 'apps.includes("vacation")',
    });
  });

  test("a rename is fine while no rule refers to the name", async () => {
    const rule = await createRule(t, { name: "old_name", title: "x", expression: "true" });
    const renamed = await expectOk<RuleAnswer>(putRule(t, rule.id, 1, { name: "new_name", title: "x" }));
    expect(renamed.name).toBe("new_name");
  });

  test("DELETE removes an unused rule, answering it as it was; its revisions go too", async () => {
    const rule = await createRule(t, { name: "doomed", title: "x", expression: "true" });
    const response = await t.admin(`/admin/rules/${rule.id}`, {
      method: "DELETE",
      headers: { "if-match": "1" },
    });
    expect(await expectOk<RuleAnswer>(response)).toEqual(rule);
    expect((await t.admin(`/admin/rules/${rule.id}`)).status).toBe(404);
    const revisions = await t.db
      .select()
      .from(schema.ruleRevisions)
      .where(eq(schema.ruleRevisions.ruleId, rule.id));
    expect(revisions).toEqual([]);
  });
});

describe("rules: validate as you type", () => {
  test("a valid expression: what it reads and which rules it uses", async () => {
    await createRule(t, { name: "is_store_staff", title: "x", expression: "store_id !== null" });
    const result = await expectOk(
      t.admin("/admin/rules/validate", {
        method: "POST",
        json: { expression: 'is_store_staff && region === "R077"' },
      }),
    );
    expect(result).toMatchObject({
      valid: true,
      errors: [],
      variables: ["region"],
      rules: ["is_store_staff"],
    });
  });

  test("an invalid one is still 200, with line and column", async () => {
    const result = await expectOk<{
      valid: boolean;
      errors: Array<{ message: string; line: number; column: number }>;
    }>(
      t.admin("/admin/rules/validate", {
        method: "POST",
        json: { expression: "is_manager &&\n  regoin === 1" },
      }),
    );
    expect(result.valid).toBe(false);
    expect(result.errors[0]).toMatchObject({ line: 2, column: 3 });
    expect(result.errors[0]?.message).toContain("regoin");
  });

  test("a cycle through the rule being edited is reported when its name is given", async () => {
    await createRule(t, { name: "cyc_a", title: "x", expression: "is_manager" });
    await createRule(t, { name: "cyc_b", title: "x", expression: "cyc_a" });
    const result = await expectOk<{ valid: boolean }>(
      t.admin("/admin/rules/validate", { method: "POST", json: { expression: "cyc_b", name: "cyc_a" } }),
    );
    expect(result.valid).toBe(false);
  });
});

describe("rules: revisions and rollback", () => {
  test("every change is a revision with its author; rollback makes a new version equal to the old one", async () => {
    const rule = await createRule(t, {
      name: "is_veteran",
      title: "Veterans",
      expression: 'hire_date < "2010-01-01"',
    });
    await expectOk(
      putRule(t, rule.id, 1, {
        name: "is_veteran",
        title: "Old hands",
        expression: 'hire_date < "2005-01-01"',
      }),
    );
    await expectOk(putRule(t, rule.id, 2, { name: "is_veteran", title: "Old hands", enabled: false }));

    const revisions = await expectOk<Revision[]>(t.admin(`/admin/rules/${rule.id}/revisions`));
    expect(revisions.map((r) => r.version)).toEqual([3, 2, 1]);
    expect(revisions[2]).toMatchObject({
      title: "Veterans",
      expression: 'hire_date < "2010-01-01"',
      enabled: true,
      author: "admin-token",
      kind: "expression",
      app_codes: [],
    });

    const restored = await expectOk<RuleAnswer>(
      t.admin(`/admin/rules/${rule.id}/rollback`, { method: "POST", json: { version: 1 } }),
    );
    expect(restored).toMatchObject({
      version: 4,
      title: "Veterans",
      expression: 'hire_date < "2010-01-01"',
      enabled: true,
    });
    const after = await expectOk<Revision[]>(t.admin(`/admin/rules/${rule.id}/revisions`));
    expect(after.map((r) => r.version)).toEqual([4, 3, 2, 1]);
    expect(after[0]).toMatchObject({ title: "Veterans", enabled: true });
  });
});
