/**
 * What travels to a sandbox process when a rule set is loaded: only the units and lists it does
 * not hold (sandbox/delta.ts), and the process rebuilds exactly the program the host has. End to
 * end, through the pool: a process that loaded edited rule sets one after another evaluates like
 * one that loaded the last from scratch.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { createMemoryLogger } from "../../src/log.ts";
import {
  compileRuleset,
  createRuleCompileCache,
  createRuleEvaluator,
  type RuleDefinition,
} from "../../src/rules/index.ts";
import { expandProgram, programDelta } from "../../src/rules/sandbox/delta.ts";
import { editRule, generateEmployees, generateRules } from "../support/rule-fixtures.ts";

const rules = generateRules(40, 5);
const cache = createRuleCompileCache();
const v1 = compileRuleset(rules, { cache });
const edited = rules.find((r) => r.expression.includes("[")) as RuleDefinition;
const v2 = compileRuleset(
  rules.map((r) => (r.id === edited.id ? editRule(r, 1) : r)),
  { cache },
);
/** As it travels over the IPC channel. */
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value));
const sortedLists = (p: { lists: readonly (readonly [string, string])[] }) =>
  [...p.lists].sort(([a], [b]) => a.localeCompare(b));

describe("a program's delta against what a process holds", () => {
  test("a fresh process gets everything", () => {
    const delta = programDelta(v1.program, []);
    expect(delta.rules.every((r) => r === null || typeof r === "object")).toBe(true);
    expect(delta.lists).toEqual(v1.program.lists);
  });

  test("after one edit: one unit and its list travel, the rest by key", () => {
    const delta = wire(programDelta(v2.program, [v1.program]));
    expect(delta.rules.filter((r) => r !== null && typeof r === "object")).toHaveLength(1);
    expect(delta.lists.length).toBeLessThanOrEqual(1);
    expect(JSON.stringify(delta).length).toBeLessThan(JSON.stringify(v2.program).length / 10);
  });

  test("the process rebuilds exactly the host's program", () => {
    const rebuilt = expandProgram(wire(programDelta(v2.program, [v1.program])), [wire(v1.program)]);
    expect(rebuilt.rules).toEqual(wire(v2.program.rules));
    expect(rebuilt.ruleRefs).toEqual(wire(v2.program.ruleRefs));
    expect(rebuilt.ruleVersions).toEqual(v2.program.ruleVersions);
    expect(sortedLists(rebuilt)).toEqual(sortedLists(wire(v2.program)));
  });

  test("a delta naming a unit the process does not hold is refused, not guessed", () => {
    const delta = programDelta(v2.program, [v1.program]);
    expect(() => expandProgram(delta, [])).toThrow(/is not held by this sandbox/);
  });
});

describe("through the pool", () => {
  const evaluator = createRuleEvaluator({
    budgetMs: 1000,
    workers: 1,
    logger: createMemoryLogger(),
    resultCacheSize: 0,
  });
  const fresh = createRuleEvaluator({
    budgetMs: 1000,
    workers: 1,
    logger: createMemoryLogger(),
    resultCacheSize: 0,
  });
  afterAll(async () => {
    await evaluator.close();
    await fresh.close();
  });

  test("rule sets loaded one after another evaluate like the last loaded from scratch", async () => {
    const v3 = compileRuleset(
      rules.map((r) => (r.id === edited.id ? editRule(r, 2) : r)),
      { cache },
    );
    for (const set of [v1, v2, v3]) await evaluator.prepare(set);
    await fresh.prepare(v3);
    for (const person of generateEmployees(20, 9)) {
      const [a, b] = await Promise.all([evaluator.evaluate(v3, person), fresh.evaluate(v3, person)]);
      expect([...a]).toEqual([...b]);
      expect([...a.values()].every((o) => o.ok)).toBe(true);
    }
  });
});
