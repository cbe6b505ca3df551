/**
 * What one request costs inside the sandbox engine, by kind of rule: the realistic 100-rule set
 * of test/support/rule-fixtures.ts, then 100 rules of ONE kind each (taken from the same
 * generator), and one trivial rule (the fixed cost of a request: the crossing, parsing the
 * evidence, building V/R, encoding the answer). In-process engine (sandbox/engine.ts), 200
 * employees in turn, contenders interleaved (bench/support.ts, race). Before/after figures of a
 * change: run it on both trees (bench/RESULTS.md keeps the last table).
 *
 *   bun run bench/engine-kinds.ts [rounds]   (default 20)
 *
 * "per rule" is (median − the fixed cost) / rules: what a rule of that kind adds.
 */
import { evidenceFor } from "../src/rules/evaluator/evidence-key.ts";
import { compileRuleset, type RuleDefinition } from "../src/rules/index.ts";
import { createEngine } from "../src/rules/sandbox/engine.ts";
import { generateEmployees, generateRules } from "../test/support/rule-fixtures.ts";
import { type Contender, fmtUs, machine, race } from "./support.ts";

const ROUNDS = Number(process.argv[2] ?? 20);
const PER_KIND = 100;
const BUDGET_MS = 1000; // generous: this measures speed, not the budget

/** The kinds generateRules mixes, told apart by their text. */
const KINDS: ReadonlyArray<readonly [string, (r: RuleDefinition) => boolean]> = [
  ["org units .some + pernr numbers", (r) => r.expression.includes(".some(u => orgunit_path")],
  ["pernr list", (r) => /^\["\d/.test(r.expression)],
  ["roles && region", (r) => r.expression.startsWith("roles.includes(")],
  ["birthday slice", (r) => r.expression.startsWith("birthday !== null")],
  ["isBirthday()", (r) => r.expression === "isBirthday()"],
  ["bucket", (r) => r.expression.startsWith("bucket(")],
  ["matches", (r) => r.expression.startsWith("matches(")],
  ["daysSince", (r) => r.expression.startsWith("daysSince(")],
  ["inOrgUnit", (r) => r.expression.startsWith("inOrgUnit(")],
  ["region list + yearsOfService", (r) => r.expression.startsWith('["R')],
  ["lk1 app codes", (r) => r.kind === "lk1"],
];

const pool = generateRules(4000, 11);
const renamed = (rules: RuleDefinition[]) => rules.map((r, i) => ({ ...r, id: i + 1, name: `rule_${i}` }));

/** Rule references: two base rules, then rules naming two earlier ones (as generateRules does). */
const refs = (): RuleDefinition[] =>
  Array.from({ length: PER_KIND }, (_, i) => ({
    id: i + 1,
    name: `rule_${i}`,
    kind: "expression",
    expression: i === 0 ? "is_manager" : i === 1 ? 'platform === "web"' : `rule_${i - 1} && !rule_${i >> 1}`,
    appCodes: [],
    version: 1,
  }));

const FIXED = "fixed cost (one rule: is_manager)";
const sets: Array<readonly [string, RuleDefinition[]]> = [
  ["realistic mix (generateRules(100))", generateRules(100)],
  [FIXED, refs().slice(0, 1)],
  ...KINDS.map(([label, test]) => [label, renamed(pool.filter(test).slice(0, PER_KIND))] as const),
  ["rule refs", refs()],
];

const employees = generateEmployees(200);
const engine = await createEngine();
const contenders: Contender[] = [];
const sizes = new Map<string, number>();
for (const [label, rules] of sets) {
  const ruleset = compileRuleset(rules);
  if (ruleset.broken.size > 0) throw new Error(`${label}: broken rules ${[...ruleset.broken.keys()]}`);
  await engine.load(ruleset.rulesetKey, ruleset.program);
  // The fixed cost is measured with the realistic set's evidence (what every request parses).
  const reads = label === FIXED ? compileRuleset(generateRules(100)).reads : ruleset.reads;
  const jsons = employees.map((e) => evidenceFor(reads, e));
  sizes.set(label, rules.length);
  contenders.push({
    label,
    batch: 200,
    fn: (i) =>
      engine.evaluate({
        rulesetKey: ruleset.rulesetKey,
        evidence: jsons[i % jsons.length] as string,
        skip: [],
        budgetMs: BUDGET_MS,
      }),
  });
}

console.log(machine());
const results = await race(contenders, ROUNDS);
const fixed = results.get(FIXED)?.median ?? Number.NaN;
console.log("\n| rule set | rules | median per request | best batch | per rule above the fixed cost |");
console.log("| --- | ---: | ---: | ---: | ---: |");
for (const [label, t] of results) {
  const n = sizes.get(label) ?? 1;
  const perRule = n > 1 ? fmtUs((t.median - fixed) / n) : "";
  console.log(`| ${label} | ${n} | ${fmtUs(t.median)} | ${fmtUs(t.min)} | ${perRule} |`);
}
engine.dispose();
process.exit(0);
