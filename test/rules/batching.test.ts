/**
 * Requests that wait together cross to a sandbox process together (sandbox/tasks.ts): fewer
 * messages than requests, each request answered with its own employee's outcomes, and a request
 * alone is never held back waiting for company.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { evidenceFor } from "../../src/rules/evaluator/evaluator.ts";
import { compileRuleset } from "../../src/rules/index.ts";
import { createEngine } from "../../src/rules/sandbox/engine.ts";
import { createSandboxPool } from "../../src/rules/sandbox/pool.ts";
import { generateEmployees, generateRules } from "../support/rule-fixtures.ts";

const ruleset = compileRuleset(generateRules(30, 3));
const people = generateEmployees(40, 4);
const crossings: number[] = [];
const pool = createSandboxPool({
  size: 1,
  spares: 1,
  hardDeadlineMs: 5_000,
  onCrossing: (n) => crossings.push(n),
});
afterAll(() => pool.close());

const ask = (i: number) =>
  pool.evaluate({
    rulesetKey: ruleset.rulesetKey,
    program: ruleset.program,
    evidence: evidenceFor(ruleset.reads, people[i % people.length] as (typeof people)[0]),
    skip: () => [],
    budgetMs: 1000,
  });

describe("batched crossings", () => {
  test("concurrent requests share crossings, and each gets its own employee's answer", async () => {
    await pool.load(ruleset.rulesetKey, ruleset.program);
    const engine = await createEngine();
    await engine.load(ruleset.rulesetKey, ruleset.program);
    const expected = await Promise.all(
      people.map((p) =>
        engine.evaluate({
          rulesetKey: ruleset.rulesetKey,
          evidence: evidenceFor(ruleset.reads, p),
          skip: [],
          budgetMs: 1000,
        }),
      ),
    );
    engine.dispose();
    // The answers differ between employees, so a reply handed to the wrong request would show.
    expect(new Set(expected.map((r) => r.codes)).size).toBeGreaterThan(5);

    crossings.length = 0;
    const replies = await Promise.all(people.map((_, i) => ask(i)));
    expect(replies.map((r) => r.codes)).toEqual(expected.map((r) => r.codes));
    expect(crossings.reduce((a, b) => a + b, 0)).toBe(people.length);
    expect(crossings.length).toBeLessThan(people.length / 2);
    expect(Math.max(...crossings)).toBeLessThanOrEqual(16);
  });

  test("a request on its own crosses at once, alone", async () => {
    crossings.length = 0;
    await ask(0);
    await ask(1);
    expect(crossings).toEqual([1, 1]);
  });
});
