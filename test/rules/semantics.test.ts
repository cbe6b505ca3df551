/** What rules mean, evaluated for real: compiled, sent to a sandbox process, answered. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Evidence } from "../../src/evidence/schema.ts";
import { createMemoryLogger } from "../../src/log.ts";
import {
  compileRuleset,
  createRuleEvaluator,
  type RuleDefinition,
  type RuleEvaluator,
  type RuleResults,
} from "../../src/rules/index.ts";
import { createPlainHelpers } from "../../src/rules/sandbox/library.ts";
import { employee, errorOf, lk1, rule, summary } from "./support.ts";

let evaluator: RuleEvaluator;
const logger = createMemoryLogger();

beforeAll(() => {
  evaluator = createRuleEvaluator({ budgetMs: 100, workers: 1, logger, resultCacheSize: 0 });
});
afterAll(() => evaluator.close());

async function evaluate(rules: RuleDefinition[], evidence: Evidence = employee()): Promise<RuleResults> {
  return evaluator.evaluate(compileRuleset(rules), evidence);
}

/** One expression's value for an employee. */
async function value(expression: string, evidence: Evidence = employee()) {
  const results = await evaluate([rule("r", expression)], evidence);
  const outcome = results.get("r");
  if (!outcome?.ok) throw new Error(`rule failed: ${outcome?.ok === false ? outcome.error : "missing"}`);
  return outcome.value;
}

describe("truthiness", () => {
  test.each([
    ["1", true],
    ["0", false],
    ["-1", true],
    ["NaN", false],
    ["''", false],
    ["'0'", true],
    ["null", false],
    ["undefined", false],
    ["[]", true],
    ["({})", true],
    ["store_id", true],
    ["roles.length", true],
    ["apps.filter(a => a === 'none')", true],
    ["apps.find(a => a === 'none')", false],
  ])("%s → %p", async (expression, expected) => {
    expect(await value(expression)).toBe(expected);
  });
});

describe("rules referring to rules", () => {
  test("see the other rule's result, whatever order they were saved in", async () => {
    const results = await evaluate([
      rule("both", "is_director && !is_trainee"),
      rule("is_trainee", "roles.includes('trainee')"),
      rule("is_director", "roles.includes('store_director')"),
    ]);
    expect(summary(results)).toEqual({ is_director: true, is_trainee: false, both: true });
  });

  test("a failing rule is false for the rules after it, and harms nothing else", async () => {
    const results = await evaluate([
      rule("before", "region === 'R077'"),
      rule("fails", "store_id.missing.deeper === 1"),
      rule("negated", "!fails"),
      rule("after", "roles.includes('store_director')"),
    ]);
    expect(summary(results)).toEqual({ before: true, fails: "error", negated: true, after: true });
    expect(errorOf(results, "fails")).toContain("TypeError");
  });

  test("a broken rule is an error with its reason, and false for those referring to it", async () => {
    const results = await evaluate([rule("typo", "rgion === 'x'"), rule("uses", "!typo && true")]);
    expect(errorOf(results, "typo")).toContain('broken: 1:1: unknown name "rgion"');
    expect(summary(results).uses).toBe(true);
  });

  test("every rule of the set is in the answer", async () => {
    const rules = Array.from({ length: 50 }, (_, i) => rule(`r${i}`, i % 2 === 0 ? "true" : "null.x"));
    const results = await evaluate(rules);
    expect(results.size).toBe(50);
    expect(results.get("r48")).toEqual({ ok: true, value: true });
    expect(results.get("r49")?.ok).toBe(false);
  });
});

describe("LK1", () => {
  test("true when apps holds any of the codes", async () => {
    const results = await evaluate([
      lk1("has_hr", ["payroll", "hr"]),
      lk1("has_none", ["crm"]),
      rule("x", "has_hr && !has_none"),
    ]);
    expect(summary(results)).toEqual({ has_hr: true, has_none: false, x: true });
    const none = await evaluate([lk1("has_hr", ["hr"])], employee({ apps: [] }));
    expect(summary(none)).toEqual({ has_hr: false });
  });
});

describe("helpers", () => {
  test("inOrgUnit, inRegion, inStore, hasRole, hasApp (ids as strings or numbers, lists too)", async () => {
    expect(await value("inOrgUnit('50623875')")).toBe(true);
    expect(await value("inOrgUnit(50623875)")).toBe(true);
    expect(await value("inOrgUnit('1', '2')")).toBe(false);
    expect(await value("inOrgUnit(['1', '51893158'])")).toBe(true);
    expect(await value("inOrgUnit(...['1', '51893158'])")).toBe(true);
    expect(await value("inOrgUnit(orgunit_id)")).toBe(true);
    expect(await value("inRegion('R050', 'R077')")).toBe(true);
    expect(await value("inStore('S1001')")).toBe(true);
    expect(await value("inStore('S1001')", employee({ store_id: null }))).toBe(false);
    expect(await value("hasRole('cashier', 'store_director')")).toBe(true);
    expect(await value("hasApp('crm')")).toBe(false);
    expect(await value("inOrgUnit()")).toBe(false);
  });

  test("daysSince, daysUntil, yearsOfService, age, isBirthday", async () => {
    const e = employee({ today: "2025-05-17", hire_date: "2019-05-18", birthday: "1990-05-17" });
    expect(await value("daysSince('2025-05-10') === 7", e)).toBe(true);
    expect(await value("daysSince('2025-05-17T23:59:00Z') === 0", e)).toBe(true);
    expect(await value("daysUntil('2025-12-31') === 228", e)).toBe(true);
    expect(await value("daysSince(hire_date) === 2191", e)).toBe(true);
    expect(await value("yearsOfService() === 5", e)).toBe(true);
    expect(await value("age() === 35", e)).toBe(true);
    expect(await value("isBirthday()", e)).toBe(true);
    expect(await value("isBirthday()", employee({ birthday: "1990-05-18" }))).toBe(false);
    expect(await value("isBirthday()", employee({ birthday: null }))).toBe(false);
    expect(await value("isBirthday()", employee({ birthday: "2000-02-29", today: "2025-02-28" }))).toBe(true);
    expect(await value("isBirthday()", employee({ birthday: "2000-02-29", today: "2024-02-28" }))).toBe(
      false,
    );
    expect(await value("daysSince(hire_date) < 30", employee({ hire_date: null }))).toBe(false);
    expect(await value("yearsOfService() >= 0", employee({ hire_date: null }))).toBe(false);
  });

  test("bucket: stable 0–99 per employee and salt, FNV-1a of '<personnel_number>:<salt>'", async () => {
    const fnv = (text: string) => {
      let h = 0x811c9dc5;
      for (const b of new TextEncoder().encode(text)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
      return h % 100;
    };
    const results = await evaluate(
      Array.from({ length: 100 }, (_, i) =>
        rule(`b${i}`, `bucket('salt-${i}') === ${fnv(`01240519:salt-${i}`)}`),
      ),
    );
    expect(Object.values(summary(results)).every((v) => v === true)).toBe(true);
    expect(await value(`bucket('новый-раздел') === ${fnv("01240519:новый-раздел")}`)).toBe(true);
    // Roughly uniform over many employees (computed by the same helper code in plain JS).
    const current = { evidence: { personnel_number: "" } };
    const helpers = createPlainHelpers(current);
    const counts = new Array(100).fill(0);
    for (let p = 0; p < 20_000; p++) {
      current.evidence.personnel_number = String(10_000_000 + p * 37);
      counts[helpers.bucket?.("new-payslip") as number] += 1;
    }
    expect(Math.min(...counts)).toBeGreaterThan(120);
    expect(Math.max(...counts)).toBeLessThan(280);
  });

  test("matches: case-insensitive substring, Cyrillic included", async () => {
    expect(await value("matches(position, 'ДИРЕКТОР')")).toBe(true);
    expect(await value("matches(full_name, 'иванова')")).toBe(true);
    // ё and е match each other, as in the portal's section search.
    expect(await value("matches('Ёлочный базар', 'елочн')")).toBe(true);
    expect(await value("matches('Расчетный листок', 'РАСЧЁТ')")).toBe(true);
    expect(await value("matches(full_name, 'Ёж')", employee({ full_name: "ёжиков" }))).toBe(true);
    expect(await value("matches(store_id, 's1')")).toBe(true);
    expect(await value("matches(store_id, 's1')", employee({ store_id: null }))).toBe(false);
    expect(await value("position.toLowerCase().includes('директор')")).toBe(true);
  });
});

describe("dates across the Moscow/UTC midnight", () => {
  // 22:30 UTC on 16 May is 01:30 on 17 May in Moscow: `today` (computed in LK_TIMEZONE by the
  // service) is the Moscow date, and rules should use it for "today".
  const lateUtc = employee({ today: "2025-05-17", now: "2025-05-16T22:30:00.000Z", birthday: "1990-05-17" });

  test("`today` is the Moscow date; date helpers follow it", async () => {
    expect(await value("isBirthday()", lateUtc)).toBe(true);
    expect(await value("birthday.slice(5) === today.slice(5)", lateUtc)).toBe(true);
    expect(await value("daysSince('2025-05-16') === 1", lateUtc)).toBe(true);
  });

  test("Date works in UTC inside the sandbox, from `now`", async () => {
    expect(await value("new Date().getDate() === 16 && new Date().getHours() === 22", lateUtc)).toBe(true);
    expect(await value("new Date().getTimezoneOffset() === 0", lateUtc)).toBe(true);
    expect(await value("Date.now() === Date.parse('2025-05-16T22:30:00Z')", lateUtc)).toBe(true);
    expect(
      await value("new Date('2025-05-17T01:30').toISOString() === '2025-05-17T01:30:00.000Z'", lateUtc),
    ).toBe(true);
    expect(await value("new Date(2025, 4, 17).toISOString().startsWith('2025-05-17T00:00')", lateUtc)).toBe(
      true,
    );
    expect(await value("String(new Date(0)) === 'Thu Jan 01 1970 00:00:00 GMT+0000'", lateUtc)).toBe(true);
  });
});

describe("determinism", () => {
  test("the same evidence gives the same results, every time", async () => {
    const rules = [
      rule("clock", "new Date().getUTCMinutes() === 30 && Date.now() % 1000 === 0"),
      rule("b", "bucket('x') < 50"),
      rule("sorted", "[...roles, ...apps].toSorted().join() === 'hr,mail,store_director'"),
    ];
    const first = summary(await evaluate(rules));
    for (let i = 0; i < 5; i++) expect(summary(await evaluate(rules))).toEqual(first);
    expect(first.clock).toBe(true);
  });

  test("Math.random is unavailable even to a rule that reaches it indirectly", async () => {
    const results = await evaluate([rule("r", "[Math].some(m => m['ran' + 'dom']() < 2)")]);
    expect(errorOf(results, "r")).toContain("Math.random is not available");
  });
});
