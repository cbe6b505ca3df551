/**
 * The trial at save over real HTTP: a rule version is run over the trial sample in the admin
 * sandbox before it goes live, on create, update, enable and rollback, and by validate.
 */
import { describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { recordRuleRevision } from "../../src/admin/index.ts";
import { schema } from "../../src/db/index.ts";
import { catalogWriter } from "../support/catalog.ts";
import {
  createRule,
  expectOk,
  expectRefused,
  postRule,
  putRule,
  type RuleAnswer,
  useTestApp,
} from "./support.ts";

const t = useTestApp();

interface TrialAnswer {
  passed: boolean;
  problems: Array<{ message: string; personnel_number: string; kind: string }>;
  warnings: Array<{ message: string; personnel_number?: string }>;
  results: { true: number; false: number; failed: number };
  sample: { size: number; origin: string; synthetic: number };
  evaluated: number;
  cut_short: boolean;
  ms: number;
}

interface ValidateAnswer {
  valid: boolean;
  errors: unknown[];
  warnings: Array<{ message: string; personnel_number?: string }>;
  trial: TrialAnswer | null;
  variables: string[];
  rules: string[];
  helpers: string[];
}

type Warned = RuleAnswer & { warnings?: Array<{ message: string; personnel_number?: string }> };

const post = (body: Record<string, unknown>) => postRule(t, body);
const validate = (body: Record<string, unknown>) =>
  expectOk<ValidateAnswer>(t.admin("/admin/rules/validate", { method: "POST", json: body }));

/** Refused by the trial: 422 rule_trial_failed, nothing written (rules, revisions, audit, version). */
async function expectTrialRefusal(send: () => Promise<Response>, kind: string) {
  const error = await expectRefused(t, send, 422, "rule_trial_failed");
  expect(error.details.length).toBeGreaterThan(0);
  for (const detail of error.details) {
    expect(detail.personnel_number).toMatch(/^\d{8}$/);
    expect(typeof detail.message).toBe("string");
  }
  expect(error.details[0]?.kind).toBe(kind);
  return error;
}

describe("trial at save: refused", () => {
  test('a rule that throws for everyone (roles.include("cashier")) is 422 naming employees', async () => {
    const error = await expectTrialRefusal(
      () => post({ name: "cashiers", title: "x", expression: 'roles.include("cashier")' }),
      "throw",
    );
    expect(error.message).toContain("every one of the 128 sample employees");
    expect(error.details[0]?.message).toContain("TypeError");
  });

  test("running out of memory is 422 (oom)", async () => {
    await expectTrialRefusal(
      () => post({ name: "hog", title: "x", expression: '"x".repeat(2 ** 28).length > 0' }),
      "oom",
    );
  });

  test("running over the CPU budget is 422 (budget), found at the first employee", async () => {
    const error = await expectTrialRefusal(
      () => post({ name: "redos", title: "x", expression: '/(a+)+$/.test("a".repeat(40) + "!")' }),
      "budget",
    );
    expect(error.details).toHaveLength(1);
  });

  // How long the trial takes is measured in bench/ (bench/RESULTS.md), not asserted here.
  test("hanging the sandbox in a built-in that ignores the interrupt is 422 (hang)", async () => {
    await expectTrialRefusal(
      () =>
        post({
          name: "spinner",
          title: "x",
          expression: "Object.assign([], { length: 2 ** 32 - 1 }).includes(1)",
        }),
      "hang",
    );
  });

  test("a rule reading a rule: the saved rules it reads run with it (transitively)", async () => {
    await createRule(t, { name: "everyone_real", title: "x", expression: 'personnel_number !== ""' });
    await createRule(t, { name: "everyone_again", title: "x", expression: "everyone_real" });
    // Throws for everyone only if everyone_real was really run (and true): a missing or false
    // dependency would make it false for everyone instead.
    await expectTrialRefusal(
      () => post({ name: "deep", title: "x", expression: 'everyone_again && roles.include("x")' }),
      "throw",
    );
  });
});

describe("trial at save: accepted with warnings", () => {
  test("throwing only for employees without a birthday is accepted with a warning naming one", async () => {
    const rule = (await expectOk<Warned>(
      post({ name: "new_year_babies", title: "x", expression: 'birthday.slice(5) === "01-01"' }),
      201,
    )) as Warned;
    const warning = rule.warnings?.find((w) => w.message.includes("fails for"));
    expect(warning?.message).toContain("birthday null");
    expect(warning?.personnel_number).toBe("99999901");
    // The warning is about this save, not part of the rule: the stored rule and audit lack it.
    const stored = await expectOk<Warned>(t.admin(`/admin/rules/${rule.id}`));
    expect(stored.warnings).toBeUndefined();
    const [audit] = await t.db
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.entityId, rule.id))
      .orderBy(schema.auditLog.id);
    expect(JSON.stringify(audit?.after)).not.toContain("warnings");
  });

  test("a rule true for every sample employee is accepted with a warning", async () => {
    const rule = await expectOk<Warned>(
      post({ name: "all_staff", title: "x", expression: "personnel_number.length === 8" }),
      201,
    );
    expect(rule.warnings).toEqual([{ message: expect.stringContaining("true for every sample employee") }]);
  });

  test("a rule false for every sample employee is accepted with a warning", async () => {
    const rule = await expectOk<Warned>(
      post({ name: "nobody", title: "x", expression: 'store_id === "S99999"' }),
      201,
    );
    expect(rule.warnings?.[0]?.message).toContain("false for every sample employee");
  });

  test("a constant (reads nothing) and an ordinary mixed rule carry no warnings", async () => {
    expect(
      (await expectOk<Warned>(post({ name: "always", title: "x", expression: "true" }), 201)).warnings,
    ).toBe(undefined);
    const mixed = await expectOk<Warned>(
      post({ name: "managers", title: "x", expression: "is_manager" }),
      201,
    );
    expect(mixed.warnings).toBeUndefined();
  });
});

describe("trial at save: every way a version goes live", () => {
  test("update: a PUT to a rule that throws for everyone is refused, the rule unchanged", async () => {
    const rule = await createRule(t, { name: "upd", title: "x", expression: "is_manager" });
    await expectTrialRefusal(
      () => putRule(t, rule.id, 1, { name: "upd", title: "x", expression: "roles.include(1)" }),
      "throw",
    );
    expect((await expectOk<RuleAnswer>(t.admin(`/admin/rules/${rule.id}`))).version).toBe(1);
  });

  test("enable: a disabled rule is saved untried, and enabling it runs the trial", async () => {
    const rule = await createRule(t, {
      name: "dormant_bad",
      title: "x",
      expression: 'roles.include("cashier")',
      enabled: false,
    });
    await expectTrialRefusal(
      () => putRule(t, rule.id, 1, { name: "dormant_bad", title: "x", enabled: true }),
      "throw",
    );
  });

  test("rollback: going back to a version saved before the trial existed is refused", async () => {
    // A rule stored straight in the database, as rules were before the trial: version 1 throws.
    const id = await catalogWriter(t.db).rule("legacy_bad", "orgunit_path.nothing.here");
    const [row] = await t.db.select().from(schema.rules).where(eq(schema.rules.id, id));
    if (!row) throw new Error("no row");
    await t.db.transaction((tx) => recordRuleRevision(tx, row, "legacy"));
    await expectOk(putRule(t, id, 1, { name: "legacy_bad", title: "fixed", expression: "is_manager" }));
    await expectTrialRefusal(
      () => t.admin(`/admin/rules/${id}/rollback`, { method: "POST", json: { version: 1 } }),
      "throw",
    );
    // A good version rolls back fine.
    const back = await expectOk<RuleAnswer>(
      t.admin(`/admin/rules/${id}/rollback`, { method: "POST", json: { version: 2 } }),
    );
    expect(back.version).toBe(3);
  });
});

describe("validate runs the trial", () => {
  test("it keeps its fields and adds the trial: refused", async () => {
    const answer = await validate({ expression: 'roles.include("cashier")' });
    expect(answer).toMatchObject({ valid: true, errors: [], variables: ["roles"], rules: [], helpers: [] });
    expect(answer.trial).toMatchObject({
      passed: false,
      results: { true: 0, false: 0, failed: 128 },
      sample: { size: 128, origin: "synthetic", synthetic: 14 },
      evaluated: 128,
      cut_short: false,
    });
    expect(answer.trial?.problems[0]).toMatchObject({ kind: "throw", personnel_number: "99999901" });
    expect(answer.trial?.sample.size).toBeGreaterThanOrEqual(100);
  });

  test("accepted with warnings, the warnings also at the top", async () => {
    const answer = await validate({ expression: "hire_date.length > 0", name: "not_saved" });
    expect(answer.trial?.passed).toBe(true);
    expect(answer.trial?.results.failed).toBeGreaterThan(0);
    expect(answer.warnings).toEqual(answer.trial?.warnings ?? []);
    expect(answer.warnings.some((w) => w.personnel_number === "99999902")).toBe(true);
  });

  test("a disabled draft is tried too (the editor shows what enabling it would meet)", async () => {
    const answer = await validate({ expression: '"x".repeat(2 ** 28) !== ""', enabled: false });
    expect(answer.trial?.problems[0]?.kind).toBe("oom");
  });

  test("an expression that fails the static check is not tried", async () => {
    const answer = await validate({ expression: "regoin === 1" });
    expect(answer).toMatchObject({ valid: false, trial: null, warnings: [] });
  });

  test("a typical rule's trial runs the whole sample within its second (not cut short)", async () => {
    const answer = await validate({
      expression: 'roles.includes("store_director") && inOrgUnit("50623875")',
    });
    expect(answer.trial).toMatchObject({ passed: true, evaluated: 128, cut_short: false });
    expect(answer.trial?.ms).toBeGreaterThan(0);
  });
});
