/**
 * The rules routes refusing what they must: bad bodies, bad names, invalid expressions, stale or
 * missing If-Match, changes that would break what uses a rule, unknown ids. Every refused request
 * also proves the database is exactly as before (expectRefused).
 */
import { describe, expect, test } from "bun:test";
import { translateDatabaseError } from "../../src/admin/database-errors.ts";
import { schema } from "../../src/db/index.ts";
import { AppError } from "../../src/errors.ts";
import {
  catalogDump,
  createComponent,
  createRule,
  expectOk,
  expectRefused,
  postRule,
  postRuleRaw,
  putRule,
  type RuleAnswer,
  useTestApp,
  VALID_RULE as valid,
} from "./support.ts";

const t = useTestApp();
const post = (json: unknown) => () => postRule(t, json);
const postRaw = (body: string) => () => postRuleRaw(t, body);

describe("malformed and ill-typed bodies", () => {
  test("malformed JSON is 400", async () => {
    await expectRefused(t, postRaw('{"name": "x",'), 400, "bad_request");
  });

  test("an empty body is 400", async () => {
    await expectRefused(t, postRaw(""), 400, "bad_request");
  });

  test("wrong types, missing fields and unknown fields are 422 naming the field", async () => {
    const wrongType = await expectRefused(t, post({ ...valid, enabled: "yes" }), 422, "validation_failed");
    expect(JSON.stringify(wrongType.details)).toContain("enabled");
    const missing = await expectRefused(
      t,
      post({ name: "is_x", expression: "true" }),
      422,
      "validation_failed",
    );
    expect(JSON.stringify(missing.details)).toContain("title");
    const unknown = await expectRefused(t, post({ ...valid, priority: 5 }), 422, "validation_failed");
    expect(unknown.message).toContain("priority");
    await expectRefused(t, post([valid]), 422, "validation_failed");
    await expectRefused(t, post({ ...valid, kind: "regex" }), 422, "validation_failed");
  });

  test("a blank title is 422", async () => {
    const error = await expectRefused(t, post({ ...valid, title: "   " }), 422, "validation_failed");
    expect(error.message).toContain("title");
  });
});

describe("names", () => {
  test.each([
    ["1st_rule", "identifier"],
    ["is-manager", "identifier"],
    ["is manager", "space"],
    ["", "empty"],
    ["$rule", "identifier"],
    ["__proto_rule", "__"],
    ["x".repeat(65), "64"],
  ])("%p is not an identifier (%s)", async (name, hint) => {
    const error = await expectRefused(t, post({ ...valid, name }), 422, "validation_failed");
    expect(error.message).toContain(hint);
  });

  test.each([
    "class",
    "true",
    "null",
    "await",
    "constructor",
    "Math",
    "undefined",
    "region",
    "is_manager",
    "today",
  ])("%p is taken by the language or an employee variable", async (name) => {
    const error = await expectRefused(t, post({ ...valid, name }), 422, "validation_failed");
    expect(error.message).toContain(name);
  });

  test("a duplicate name is 409, naming the rule that has it", async () => {
    const first = await createRule(t, { ...valid, name: "is_dup" });
    const error = await expectRefused(t, post({ ...valid, name: "is_dup" }), 409, "conflict");
    expect(error.details[0]).toMatchObject({ rule_id: first.id });
    // Renaming another rule onto it too.
    const other = await createRule(t, { ...valid, name: "is_dup_other" });
    await expectRefused(t, () => putRule(t, other.id, 1, { ...valid, name: "is_dup" }), 409, "conflict");
  });

  test("the database's unique violation (a race past the check) maps to 409, not 500", async () => {
    await createRule(t, { ...valid, name: "is_raced" });
    const error = await t.db
      .insert(schema.rules)
      .values({ name: "is_raced", title: "x", expression: "true" })
      .then(() => null)
      .catch((e: unknown) => e);
    const translated = translateDatabaseError(error);
    expect(translated).toBeInstanceOf(AppError);
    expect((translated as AppError).code).toBe("conflict");
  });
});

describe("expressions", () => {
  test("a syntax error is 422 invalid_rule with line and column", async () => {
    const error = await expectRefused(
      t,
      post({ ...valid, expression: "is_manager &&\n  (region ===" }),
      422,
      "invalid_rule",
    );
    expect(error.details[0]).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });
    expect(typeof error.details[0]?.message).toBe("string");
  });

  test("an unknown variable is 422 naming it, at its position", async () => {
    const error = await expectRefused(
      t,
      post({ ...valid, expression: 'regoin === "R077"' }),
      422,
      "invalid_rule",
    );
    expect(error.details[0]).toMatchObject({ line: 1, column: 1 });
    expect(String(error.details[0]?.message)).toContain("regoin");
  });

  test("an unknown rule name is 422", async () => {
    await expectRefused(
      t,
      post({ ...valid, expression: "is_nonexistent_rule && is_manager" }),
      422,
      "invalid_rule",
    );
  });

  test("an empty expression is 422", async () => {
    await expectRefused(t, post({ ...valid, expression: "  " }), 422, "invalid_rule");
    await expectRefused(t, post({ name: "is_no_expr", title: "x" }), 422, "invalid_rule");
  });

  test("an lk1 rule without app codes is 422", async () => {
    await expectRefused(
      t,
      post({ name: "is_lk1_empty", title: "x", kind: "lk1", app_codes: [] }),
      422,
      "invalid_rule",
    );
  });

  test("a cycle is 422 and names the rule", async () => {
    const a = await createRule(t, { ...valid, name: "cycle_a", expression: "is_manager" });
    await createRule(t, { ...valid, name: "cycle_b", expression: "cycle_a" });
    const error = await expectRefused(
      t,
      () => putRule(t, a.id, 1, { ...valid, name: "cycle_a", expression: "cycle_b" }),
      422,
      "invalid_rule",
    );
    expect(error.message).toContain("cycle_a");
  });

  test("an enabled rule may not refer to a disabled one", async () => {
    await createRule(t, { ...valid, name: "is_dormant", enabled: false });
    await expectRefused(
      t,
      post({ ...valid, name: "uses_dormant", expression: "is_dormant" }),
      422,
      "invalid_rule",
    );
    // A disabled rule may (it is checked again when enabled).
    const draft = await createRule(t, {
      ...valid,
      name: "uses_dormant",
      expression: "is_dormant",
      enabled: false,
    });
    await expectRefused(
      t,
      () => putRule(t, draft.id, 1, { name: "uses_dormant", title: "x", enabled: true }),
      422,
      "invalid_rule",
    );
  });
});

describe("concurrency", () => {
  test("PUT without If-Match is 428", async () => {
    const rule = await createRule(t, { ...valid, name: "is_guarded" });
    await expectRefused(
      t,
      () => t.admin(`/admin/rules/${rule.id}`, { method: "PUT", json: { ...valid, name: "is_guarded" } }),
      428,
      "precondition_required",
    );
  });

  test("a stale If-Match is 409 with the current version; a malformed one is 400", async () => {
    const rule = await createRule(t, { ...valid, name: "is_stale" });
    await expectOk(putRule(t, rule.id, 1, { ...valid, name: "is_stale", title: "v2" }));
    const error = await expectRefused(
      t,
      () => putRule(t, rule.id, 1, { ...valid, name: "is_stale" }),
      409,
      "conflict",
    );
    expect(error.details[0]).toMatchObject({ current_version: 2, your_version: 1 });
    await expectRefused(
      t,
      () =>
        t.admin(`/admin/rules/${rule.id}`, {
          method: "PUT",
          headers: { "if-match": "latest" },
          json: { ...valid, name: "is_stale" },
        }),
      400,
      "bad_request",
    );
  });

  test("two concurrent edits of the same version: exactly one wins, the other is 409", async () => {
    const rule = await createRule(t, { ...valid, name: "is_contended" });
    const responses = await Promise.all(
      ["first", "second", "third"].map((title) =>
        putRule(t, rule.id, 1, { ...valid, name: "is_contended", title }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409]);
    const current = await expectOk<RuleAnswer>(t.admin(`/admin/rules/${rule.id}`));
    expect(current.version).toBe(2);
    const revisions = await expectOk<unknown[]>(t.admin(`/admin/rules/${rule.id}/revisions`));
    expect(revisions).toHaveLength(2);
  });

  test("two concurrent creates of one name: one 201, one 409", async () => {
    const responses = await Promise.all(
      [1, 2].map(() => t.admin("/admin/rules", { method: "POST", json: { ...valid, name: "is_twin" } })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  test("rollback honours If-Match when given", async () => {
    const rule = await createRule(t, { name: "is_rollback_guarded", title: "x", expression: "true" });
    await expectOk(putRule(t, rule.id, 1, { name: "is_rollback_guarded", title: "y" }));
    const rollback = (ifMatch: string) => () =>
      t.admin(`/admin/rules/${rule.id}/rollback`, {
        method: "POST",
        headers: { "if-match": ifMatch },
        json: { version: 1 },
      });
    const stale = await expectRefused(t, rollback("1"), 409, "conflict");
    expect(stale.details[0]).toMatchObject({ current_version: 2, your_version: 1 });
    expect((await expectOk<RuleAnswer>(rollback("2")())).title).toBe("x");
  });
});

describe("referential safety", () => {
  test("a rule used by a component cannot be deleted or disabled: 409 naming the component", async () => {
    const rule = await createRule(t, { ...valid, name: "gates_group" });
    const group = await createComponent(t, "sidebar-groups", {
      title: "HR <corner>",
      order: 1,
      rule_id: rule.id,
    });
    const deleted = await expectRefused(
      t,
      () => t.admin(`/admin/rules/${rule.id}`, { method: "DELETE" }),
      409,
      "conflict",
    );
    expect(deleted.message).toContain("HR <corner>");
    expect(deleted.details).toContainEqual(expect.objectContaining({ kind: "sidebar_group", id: group.id }));
    const disabled = await expectRefused(
      t,
      () => putRule(t, rule.id, 1, { ...valid, name: "gates_group", enabled: false }),
      409,
      "conflict",
    );
    expect(disabled.details).toContainEqual(expect.objectContaining({ kind: "sidebar_group", id: group.id }));
  });

  test("a rule another enabled rule uses cannot be deleted, disabled or renamed: 409 naming it", async () => {
    const base = await createRule(t, { ...valid, name: "is_base" });
    const user = await createRule(t, { ...valid, name: "uses_base", expression: "is_base && is_manager" });
    for (const send of [
      () => t.admin(`/admin/rules/${base.id}`, { method: "DELETE" }),
      () => putRule(t, base.id, 1, { ...valid, name: "is_base", enabled: false }),
      () => putRule(t, base.id, 1, { ...valid, name: "is_base_renamed" }),
    ]) {
      const error = await expectRefused(t, send, 409, "conflict");
      expect(error.message).toContain("uses_base");
      expect(error.details).toContainEqual(expect.objectContaining({ kind: "rule", id: user.id }));
    }
  });

  test("rollback to a version that refers to a rule deleted since is 422", async () => {
    const helper = await createRule(t, { ...valid, name: "is_helper_rule" });
    const rule = await createRule(t, { ...valid, name: "is_rolled", expression: "is_helper_rule" });
    await expectOk(putRule(t, rule.id, 1, { ...valid, name: "is_rolled", expression: "is_manager" }));
    const deleted = await t.admin(`/admin/rules/${helper.id}`, { method: "DELETE" });
    expect(deleted.status).toBe(200);
    await expectRefused(
      t,
      () => t.admin(`/admin/rules/${rule.id}/rollback`, { method: "POST", json: { version: 1 } }),
      422,
      "invalid_rule",
    );
  });

  test("rollback to a version that does not exist is 404; bad bodies are 422", async () => {
    const rule = await createRule(t, { ...valid, name: "is_rollback_404" });
    const rollback = (json: unknown) => () =>
      t.admin(`/admin/rules/${rule.id}/rollback`, { method: "POST", json });
    await expectRefused(t, rollback({ version: 7 }), 404, "not_found");
    await expectRefused(t, rollback({ version: "1" }), 422, "validation_failed");
    await expectRefused(t, rollback({ version: 1, note: "x" }), 422, "validation_failed");
  });
});

describe("ids", () => {
  test("an unknown id is 404 on every rule route; a malformed one is 400", async () => {
    await expectRefused(t, () => t.admin("/admin/rules/999999"), 404, "not_found");
    await expectRefused(t, () => putRule(t, 999999, 1, valid), 404, "not_found");
    await expectRefused(t, () => t.admin("/admin/rules/999999", { method: "DELETE" }), 404, "not_found");
    await expectRefused(t, () => t.admin("/admin/rules/999999/revisions"), 404, "not_found");
    await expectRefused(t, () => t.admin("/admin/rules/abc"), 400, "bad_request");
    await expectRefused(t, () => t.admin("/admin/rules/0"), 400, "bad_request");
    await expectRefused(t, () => t.admin("/admin/rules/99999999999"), 400, "bad_request");
  });

  test("the database is untouched by a whole series of refusals", async () => {
    const before = await catalogDump(t.db);
    await t.admin("/admin/rules", { method: "POST", json: { ...valid, name: "class" } });
    await t.admin("/admin/rules", { method: "POST", json: { ...valid, expression: "(" } });
    expect(await catalogDump(t.db)).toEqual(before);
  });
});
