/**
 * Differential property tests: for random evidence and random rule sets built from the safe
 * operators admins use, the sandbox (validator → compiler with its rewrites → QuickJS) gives
 * exactly what plain JavaScript gives for the same expressions.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import fc from "fast-check";
import type { Evidence } from "../../src/evidence/schema.ts";
import { createMemoryLogger } from "../../src/log.ts";
import {
  checkRule,
  compileRuleset,
  createRuleEvaluator,
  type RuleDefinition,
  type RuleEvaluator,
  type RuleOutcome,
} from "../../src/rules/index.ts";
import { createPlainHelpers } from "../../src/rules/sandbox/library.ts";
import { EVIDENCE } from "../../src/rules/vocabulary.ts";

let evaluator: RuleEvaluator;
beforeAll(() => {
  evaluator = createRuleEvaluator({
    budgetMs: 200,
    workers: 1,
    logger: createMemoryLogger(),
    resultCacheSize: 0,
    hardDeadlineMs: 10_000,
  });
});
afterAll(() => evaluator.close());

const ORG_UNITS = ["50000001", "50623875", "51893158", "52000000", "53111111", "54000007"];
const REGIONS = ["R001", "R050", "R077", "R078"];
const ROLES = ["store_director", "cashier", "trainee", "hr_partner"];
const APPS = ["mail", "hr", "crm", "lms"];
const WORDS = ["Директор", "директор магазина", "Кассир", "ЁЖИК", "ёжик", "Store", "store", "", "R077"];

const date = fc
  .integer({ min: Date.UTC(1960, 0, 1), max: Date.UTC(2030, 11, 31) })
  .map((t) => new Date(t).toISOString().slice(0, 10));

const evidenceArb: fc.Arbitrary<Evidence> = fc.record({
  personnel_number: fc.integer({ min: 0, max: 99_999_999 }).map((n) => String(n).padStart(8, "0")),
  full_name: fc.constantFrom(...WORDS),
  gender: fc.constantFrom("male" as const, "female" as const, null),
  birthday: fc.option(date, { nil: null }),
  hire_date: fc.option(date, { nil: null }),
  position_id: fc.constantFrom("1", "2"),
  position: fc.constantFrom(...WORDS),
  orgunit_id: fc.constantFrom(...ORG_UNITS),
  orgunit_path: fc.subarray(ORG_UNITS),
  region: fc.constantFrom(...REGIONS),
  region_name: fc.constantFrom(...WORDS),
  store_id: fc.option(fc.constantFrom("S1", "S2", "s1"), { nil: null }),
  employee_group: fc.constantFrom("1", "2"),
  employment_type: fc.constantFrom("full_time" as const, "part_time" as const),
  is_manager: fc.boolean(),
  roles: fc.subarray(ROLES),
  apps: fc.subarray(APPS),
  today: date,
  now: date.map((d) => `${d}T12:00:00.000Z`),
  platform: fc.constantFrom("web" as const, "ios" as const, "android" as const),
});

const q = (s: string) => JSON.stringify(s);
const str = fc.constantFrom(...[...ORG_UNITS, ...REGIONS, ...ROLES, ...APPS, ...WORDS].map(q));
const num = fc.integer({ min: -3, max: 120 }).map(String);
const scalarVar = fc.constantFrom(
  "region",
  "personnel_number",
  "orgunit_id",
  "position",
  "full_name",
  "platform",
);
const nullableVar = fc.constantFrom("store_id", "birthday", "hire_date", "gender");
const arrayVar = fc.constantFrom("orgunit_path", "roles", "apps");
const dateVar = fc.constantFrom("birthday", "hire_date", "today");
const list = (item: fc.Arbitrary<string>) =>
  fc.array(item, { minLength: 2, maxLength: 12 }).map((items) => `[${items.join(", ")}]`);
const idList = list(fc.constantFrom(...[...ORG_UNITS, ...REGIONS, ...ROLES, ...APPS].map(q)));
const numberList = list(fc.integer({ min: 0, max: 99_999_999 }).map(String));

/** A random expression; `refs` are the rules it may refer to. */
function expressionArb(refs: string[]): fc.Arbitrary<string> {
  const atoms: Array<fc.Arbitrary<string>> = [
    str,
    num,
    scalarVar,
    nullableVar,
    fc.constantFrom("true", "false", "null", "is_manager"),
  ];
  if (refs.length > 0) atoms.push(fc.constantFrom(...refs));
  const { expr } = fc.letrec<{ expr: string; leaf: string }>((tie) => ({
    leaf: fc.oneof(
      ...atoms,
      fc.tuple(arrayVar, str).map(([a, s]) => `${a}.includes(${s})`),
      fc.tuple(idList, scalarVar).map(([l, v]) => `${l}.includes(${v})`),
      fc
        .tuple(numberList, fc.integer({ min: 1, max: 7 }))
        .map(([l, k]) => `${l}.includes(Number(personnel_number) % 10 ** ${k})`),
      fc.tuple(idList, arrayVar).map(([l, a]) => `${l}.some(u => ${a}.includes(u))`),
      fc.tuple(idList, arrayVar).map(([l, a]) => `${l}.filter((u, i) => i > 0 && ${a}.includes(u)).length`),
      idList.map((l) => `inOrgUnit(...${l})`),
      fc.array(str, { minLength: 1, maxLength: 4 }).map((ids) => `inOrgUnit(${ids.join(", ")})`),
      fc
        .array(str, { minLength: 1, maxLength: 3 })
        .map((ids) => `hasRole(${ids.join(", ")}) || hasApp(${ids.join(", ")})`),
      fc
        .array(str, { minLength: 1, maxLength: 3 })
        .map((ids) => `inRegion(${ids.join(", ")}) || inStore(${ids.join(", ")})`),
      fc.tuple(scalarVar, str).map(([v, s]) => `matches(${v}, ${s})`),
      fc.tuple(nullableVar, str).map(([v, s]) => `matches(${v}, ${s})`),
      fc.tuple(str, num).map(([s, n]) => `bucket(${s}) < ${n}`),
      fc.tuple(dateVar, num).map(([d, n]) => `daysSince(${d}) > ${n} * 30`),
      fc.tuple(dateVar, num).map(([d, n]) => `daysUntil(${d}) < ${n}`),
      fc.constantFrom(
        "isBirthday()",
        "yearsOfService() >= 3",
        "age() < 40",
        "birthday.slice(5) === today.slice(5)",
      ),
      fc.tuple(scalarVar, num).map(([v, n]) => `${v}.length > ${n} % 10`),
      fc.tuple(scalarVar, str).map(([v, s]) => `${v}.slice(0, 3) === ${s}.slice(0, 3)`),
      fc.tuple(nullableVar, str).map(([v, s]) => `${v}?.toLowerCase().startsWith(${s}) ?? false`),
      fc.tuple(nullableVar, str).map(([v, s]) => `${v}.toUpperCase() === ${s}`),
      fc.tuple(arrayVar, num).map(([a, n]) => `${a}[${n} % 4]`),
      fc.tuple(arrayVar, scalarVar).map(([a, v]) => `${a}[${v}.length % 4] === ${v}`),
      fc.tuple(arrayVar, arrayVar).map(([a, b]) => `[...${a}, ...${b}].toSorted().join() > ${a}.join()`),
      fc.tuple(scalarVar, str).map(([v, s]) => `\`\${${v}}-\${${s}}\`.length`),
    ),
    expr: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      tie("leaf"),
      fc
        .tuple(
          tie("expr"),
          fc.constantFrom("===", "!==", "<", ">=", "&&", "||", "??", "+", "-", "*"),
          tie("expr"),
        )
        .map(([a, op, b]) => `((${a}) ${op} (${b}))`),
      tie("expr").map((a) => `!${a}`),
      fc.tuple(tie("expr"), tie("expr"), tie("expr")).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
      tie("expr").map((a) => `String(${a}).length > 4`),
      tie("expr").map((a) => `[${a}].some(x => !!x)`),
    ),
  }));
  return expr;
}

const rulesArb: fc.Arbitrary<RuleDefinition[]> = fc
  .integer({ min: 1, max: 6 })
  .chain((n) =>
    fc.tuple(
      ...Array.from({ length: n }, (_, i) => expressionArb(Array.from({ length: i }, (_, j) => `r${j}`))),
    ),
  )
  .map((expressions) =>
    expressions.map((expression, i) => ({
      id: i + 1,
      name: `r${i}`,
      kind: "expression" as const,
      expression,
      appCodes: [],
      version: 1,
    })),
  );

/** The same rules in plain JS: each expression evaluated in order, a throw counting as false. */
function reference(rules: RuleDefinition[], evidence: Evidence): Map<string, RuleOutcome> {
  const current = { evidence: evidence as unknown };
  const helpers = createPlainHelpers(current);
  const evidenceNames = [...EVIDENCE];
  const evidenceValues = evidenceNames.map((k) => (evidence as Record<string, unknown>)[k]);
  const results = new Map<string, RuleOutcome>();
  const values: boolean[] = [];
  rules.forEach((rule, i) => {
    const names = [...evidenceNames, ...Object.keys(helpers), ...rules.slice(0, i).map((r) => r.name)];
    try {
      const fn = new Function(...names, `"use strict"; return !!(${rule.expression});`);
      const value = Boolean(fn(...evidenceValues, ...Object.values(helpers), ...values));
      results.set(rule.name, { ok: true, value });
      values.push(value);
    } catch (error) {
      results.set(rule.name, { ok: false, kind: "throw", error: String(error) });
      values.push(false);
    }
  });
  return results;
}

test("the sandbox agrees with plain JS on random rule sets and evidence", async () => {
  await fc.assert(
    fc.asyncProperty(
      rulesArb,
      fc.array(evidenceArb, { minLength: 1, maxLength: 3 }),
      async (rules, people) => {
        const names = new Set(rules.map((r) => r.name));
        for (const r of rules) {
          const check = checkRule(r, {
            ruleNames: new Set([...names].filter((n) => n !== r.name)),
            selfName: r.name,
          });
          expect(check.errors).toEqual([]);
        }
        const ruleset = compileRuleset(rules);
        expect(ruleset.broken.size).toBe(0);
        for (const evidence of people) {
          const sandbox = await evaluator.evaluate(ruleset, evidence);
          const plain = reference(rules, evidence);
          for (const r of rules) {
            const got = sandbox.get(r.name);
            const want = plain.get(r.name);
            // Same value, or both failed (messages differ between engines).
            const same = got?.ok ? want?.ok && want.value === got.value : want?.ok === false;
            if (!same) {
              throw new Error(
                `${r.name} = ${r.expression}\nsandbox: ${JSON.stringify(got)}\nplain:   ${JSON.stringify(want)}\nevidence: ${JSON.stringify(evidence)}`,
              );
            }
          }
        }
      },
    ),
    { numRuns: 300 },
  );
}, 120_000);
