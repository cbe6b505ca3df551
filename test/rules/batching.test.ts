/**
 * Requests that wait together cross to a sandbox process together (sandbox/tasks.ts): fewer
 * messages than requests, each request answered with its own employee's outcomes, and a request
 * alone is never held back waiting for company.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { evidenceFor } from "../../src/rules/evaluator/evidence-key.ts";
import { compileRuleset } from "../../src/rules/index.ts";
import { createEngine } from "../../src/rules/sandbox/engine.ts";
import { createSandboxPool } from "../../src/rules/sandbox/pool.ts";
import { generateEmployees, generateRules } from "../support/rule-fixtures.ts";
import { compileUnchecked } from "./unchecked.ts";

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

describe("a slow evaluation does not hold the requests batched behind it", () => {
  test("a batch stops once it has taken a tenth of the hard deadline; the rest cross again", async () => {
    // Every evaluation runs one rule to its 30 ms budget; the batch limit is 400 / 10 = 40 ms, so
    // a crossing answers at most two of them (30 ms, then 60 ms > 40 ms) and hands the rest back.
    const slow = compileUnchecked([
      { id: 1, name: "spins", body: "while (true) {}" },
      { id: 2, name: "plain", body: "return $E.roles.length > 0" },
    ]);
    const seen: number[] = [];
    const small = createSandboxPool({
      size: 1,
      spares: 0,
      hardDeadlineMs: 400,
      onCrossing: (n) => seen.push(n),
    });
    try {
      await small.load(slow.rulesetKey, slow.program);
      const replies = await Promise.all(
        people.slice(0, 8).map((p) =>
          small.evaluate({
            rulesetKey: slow.rulesetKey,
            program: slow.program,
            evidence: evidenceFor(slow.reads, p),
            skip: () => [],
            budgetMs: 30,
          }),
        ),
      );
      for (const reply of replies) {
        expect(reply.codes).toMatch(/^e[01]$/);
        expect(reply.errors[0]?.[1]).toBe("budget");
      }
      // `seen` is what each crossing carried; it answered at most two, so it took four or more
      // crossings (without the limit: one or two, the first carrying all eight to the end).
      expect(seen.length).toBeGreaterThanOrEqual(4);
      expect(seen.reduce((a, b) => a + b, 0)).toBeGreaterThan(8);
    } finally {
      await small.close();
    }
  });
});
