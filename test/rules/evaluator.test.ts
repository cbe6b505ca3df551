/** The evaluator around the sandbox: result cache, logging, metrics, quarantine, watchdog. */
import { afterAll, describe, expect, test } from "bun:test";
import type { Evidence } from "../../src/evidence/schema.ts";
import { createMemoryLogger } from "../../src/log.ts";
import { createMetrics, type Metrics } from "../../src/metrics.ts";
import {
  compileRuleset,
  createRuleEvaluator,
  type RuleEvaluator,
  type RuleEvaluatorOptions,
} from "../../src/rules/index.ts";
import { employee, errorOf, rule, summary } from "./support.ts";
import { compileUnchecked } from "./unchecked.ts";

const open: RuleEvaluator[] = [];
afterAll(() => Promise.all(open.map((e) => e.close())));

function setup(options: Partial<RuleEvaluatorOptions> = {}) {
  const logger = createMemoryLogger();
  const metrics = createMetrics();
  const evaluator = createRuleEvaluator({
    budgetMs: 50,
    workers: 1,
    logger,
    metrics,
    hardDeadlineMs: 5000,
    ...options,
  });
  open.push(evaluator);
  return { evaluator, logger, metrics };
}

async function counter(
  metrics: Metrics,
  name: "ruleResultCache" | "sandboxRestarts" | "ruleErrors",
  label: string,
) {
  const values = (await metrics[name].get()).values;
  return values.filter((v) => Object.values(v.labels).includes(label)).reduce((sum, v) => sum + v.value, 0);
}

describe("result cache", () => {
  test("keyed by the evidence the rule set reads: unread fields and `now` change nothing", async () => {
    const { evaluator, metrics } = setup();
    const set = compileRuleset([
      rule("a", "region === 'R077'"),
      rule("b", "a && roles.includes('store_director')"),
    ]);
    expect(set.reads).toEqual(["region", "roles"]);
    const first = await evaluator.evaluate(set, employee());
    expect(await counter(metrics, "ruleResultCache", "miss")).toBe(1);
    const again = await evaluator.evaluate(
      set,
      employee({ full_name: "Someone Else", now: "2030-01-01T00:00:00Z" }),
    );
    expect(await counter(metrics, "ruleResultCache", "hit")).toBe(1);
    expect(summary(again)).toEqual(summary(first));
    const other = await evaluator.evaluate(set, employee({ region: "R001" }));
    expect(await counter(metrics, "ruleResultCache", "miss")).toBe(2);
    expect(summary(other)).toEqual({ a: false, b: false });
  });

  test("a rule set that reads the clock is keyed by `now` too", async () => {
    const { evaluator, metrics } = setup();
    const set = compileRuleset([rule("morning", "new Date().getUTCHours() < 12")]);
    expect(set.reads).toEqual(["now"]);
    expect(summary(await evaluator.evaluate(set, employee({ now: "2025-05-17T09:00:00Z" })))).toEqual({
      morning: true,
    });
    expect(summary(await evaluator.evaluate(set, employee({ now: "2025-05-17T15:00:00Z" })))).toEqual({
      morning: false,
    });
    expect(await counter(metrics, "ruleResultCache", "hit")).toBe(0);
  });

  test("a new rule set version is a new key; errors that depend on timing are never cached", async () => {
    const { evaluator, metrics } = setup({ budgetMs: 20, quarantineOverruns: 100 });
    const slow = rule("slow", "/(a+)+$/.test('a'.repeat(40) + '!')");
    const set = compileRuleset([rule("a", "true"), slow]);
    await evaluator.evaluate(set, employee());
    await evaluator.evaluate(set, employee());
    expect(await counter(metrics, "ruleResultCache", "hit")).toBe(0);
    const thrower = compileRuleset([rule("t", "null.x")]);
    await evaluator.evaluate(thrower, employee());
    await evaluator.evaluate(thrower, employee());
    expect(await counter(metrics, "ruleResultCache", "hit")).toBe(1);
  });

  test("can be turned off", async () => {
    const { evaluator, metrics } = setup({ resultCacheSize: 0 });
    const set = compileRuleset([rule("a", "true")]);
    await evaluator.evaluate(set, employee());
    await evaluator.evaluate(set, employee());
    expect(await counter(metrics, "ruleResultCache", "hit")).toBe(0);
  });
});

describe("failures are logged once per rule version, and counted", () => {
  test("a throwing rule: one log line with its id and name, a metric per evaluation", async () => {
    const { evaluator, logger, metrics } = setup({ resultCacheSize: 0 });
    const bad = rule("bad", "store_id.toUpperCase() === 'X'");
    const set = compileRuleset([bad, rule("fine", "true")]);
    for (let i = 0; i < 5; i++) await evaluator.evaluate(set, employee({ store_id: null }));
    const lines = logger.lines.filter((l) => l.msg === "rule failed");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "warn", rule_id: bad.id, rule: "bad", rule_version: 1 });
    expect(String(lines[0]?.error)).toContain("TypeError");
    expect(await counter(metrics, "ruleErrors", "bad")).toBe(5);
    // A new version of the rule is logged again.
    await evaluator.evaluate(compileRuleset([{ ...bad, version: 2 }]), employee({ store_id: null }));
    expect(logger.lines.filter((l) => l.msg === "rule failed")).toHaveLength(2);
  });

  test("broken rules are logged once when the rule set is prepared", async () => {
    const { evaluator, logger } = setup();
    const set = compileRuleset([rule("typo", "rgion"), rule("ok", "true")]);
    await evaluator.prepare(set);
    await evaluator.prepare(set);
    const lines = logger.lines.filter((l) => l.msg === "rule is broken");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ rule: "typo" });
  });
});

describe("quarantine", () => {
  test("a rule that keeps overrunning its budget stops running until it is edited", async () => {
    const { evaluator, logger, metrics } = setup({ budgetMs: 20, resultCacheSize: 0 });
    const slow = rule("slow", "/(a+)+$/.test('a'.repeat(40) + '!')");
    const set = compileRuleset([rule("a", "region === 'R077'"), slow, rule("b", "!slow")]);
    for (let i = 0; i < 3; i++) {
      const results = await evaluator.evaluate(set, employee());
      expect(errorOf(results, "slow")).toContain("budget");
      expect(summary(results)).toMatchObject({ a: true, b: true });
    }
    const results = await evaluator.evaluate(set, employee());
    expect(errorOf(results, "slow")).toContain("quarantined");
    expect(summary(results)).toMatchObject({ a: true, b: true });
    expect(logger.lines.filter((l) => l.msg === "rule quarantined")).toHaveLength(1);
    expect(logger.lines.find((l) => l.msg === "rule quarantined")).toMatchObject({
      rule: "slow",
      rule_id: slow.id,
    });
    expect((await metrics.rulesQuarantined.get()).values[0]?.value).toBe(1);

    // Edited: a new version runs again (and the old one's quarantine is forgotten).
    const edited = compileRuleset([
      rule("a", "region === 'R077'"),
      { ...slow, expression: "true", version: 2 },
    ]);
    await evaluator.prepare(edited);
    expect((await metrics.rulesQuarantined.get()).values[0]?.value).toBe(0);
    expect(summary(await evaluator.evaluate(edited, employee()))).toEqual({ a: true, slow: true });
  }, 30_000);
});

describe("watchdog: a rule that never returns to the interpreter", () => {
  test("the sandbox process is killed and replaced, the request answered, the rule quarantined", async () => {
    const { evaluator, logger, metrics } = setup({ budgetMs: 20, hardDeadlineMs: 400, resultCacheSize: 0 });
    // Array#includes on a 2^32-1 sparse array runs for minutes without checking the interrupt
    // handler; the validator would refuse it, so it goes in through the back door.
    const set = compileUnchecked([
      { id: 1, name: "before", body: "return $E.region === 'R077'" },
      { id: 2, name: "hang", body: "return Array(2 ** 32 - 1).includes(1)" },
      { id: 3, name: "after", body: "return $E.roles.includes('store_director')" },
      { id: 4, name: "dependent", body: "return $R[1] !== '1'" },
    ]);
    const results = await evaluator.evaluate(set, employee());
    expect(summary(results)).toEqual({ before: true, hang: "error", after: true, dependent: true });
    expect(errorOf(results, "hang")).toContain("watchdog");
    expect(await counter(metrics, "sandboxRestarts", "watchdog")).toBeGreaterThanOrEqual(2);
    expect(logger.lines.find((l) => l.msg === "rule quarantined")).toMatchObject({ rule: "hang" });

    // Next time the culprit does not run: the answer is immediate.
    const started = performance.now();
    const next = await evaluator.evaluate(set, employee({ region: "R001" }));
    expect(performance.now() - started).toBeLessThan(4000);
    expect(summary(next)).toEqual({ before: false, hang: "error", after: true, dependent: true });
    expect(errorOf(next, "hang")).toContain("quarantined");
  }, 30_000);

  test("two hanging rules are found one request at a time; other requests still get answers", async () => {
    const { evaluator } = setup({ budgetMs: 20, hardDeadlineMs: 400, resultCacheSize: 0 });
    const set = compileUnchecked([
      { id: 11, name: "ok", body: "return true" },
      { id: 12, name: "hang1", body: "return new Array(1e9) + '' === ''" },
      // Native loops over 2^32 - 1 holes: never reach the interrupt handler, however fast the CPU.
      { id: 13, name: "hang2", body: "return Object.assign([], { length: 2 ** 32 - 1 }).lastIndexOf(1) > 0" },
      { id: 14, name: "ok2", body: "return $E.is_manager" },
    ]);
    const plain = compileRuleset([rule("simple", "region === 'R077'")]);
    // A request queued behind the hanging one is answered by the replacement process.
    const [first, queued] = await Promise.all([
      evaluator.evaluate(set, employee()),
      evaluator.evaluate(plain, employee()),
    ]);
    expect(summary(queued)).toEqual({ simple: true });
    // First request: hang1 is found; the re-run without it hangs on hang2, so this request
    // gives up (every rule an error). Second: hang1 no longer runs, hang2 is found, the rest
    // are right. Third: both quarantined, answered at once.
    expect(first.size).toBe(4);
    expect(errorOf(first, "hang1")).toContain("watchdog");
    const second = await evaluator.evaluate(set, employee({ region: "R002" }));
    expect(summary(second)).toEqual({ ok: true, hang1: "error", hang2: "error", ok2: true });
    expect(errorOf(second, "hang1")).toContain("quarantined");
    expect(errorOf(second, "hang2")).toContain("watchdog");
    const started = performance.now();
    const third = await evaluator.evaluate(set, employee({ region: "R003" }));
    expect(performance.now() - started).toBeLessThan(4000);
    expect(summary(third)).toEqual({ ok: true, hang1: "error", hang2: "error", ok2: true });
    expect(errorOf(third, "hang1")).toContain("quarantined");
    expect(errorOf(third, "hang2")).toContain("quarantined");
  }, 60_000);
});

describe("the evaluator never throws", () => {
  test("odd evidence gives errors, not rejections", async () => {
    const { evaluator } = setup();
    const set = compileRuleset([rule("a", "roles.includes('x')"), rule("b", "true")]);
    const odd = { ...employee(), roles: undefined } as unknown as Evidence;
    const results = await evaluator.evaluate(set, odd);
    expect(summary(results)).toEqual({ a: "error", b: true });
  });

  test("an empty rule set is an empty answer; a closed evaluator answers with errors", async () => {
    const { evaluator } = setup();
    expect((await evaluator.evaluate(compileRuleset([]), employee())).size).toBe(0);
    await evaluator.close();
    const results = await evaluator.evaluate(compileRuleset([rule("a", "true")]), employee());
    expect(results.get("a")?.ok).toBe(false);
  });

  test("many concurrent requests over two sandbox processes are all answered right", async () => {
    const { evaluator } = setup({ workers: 2, resultCacheSize: 0 });
    const set = compileRuleset([
      rule("in_region", "region === 'R077'"),
      rule("pn", "[10000003, 10000007, 10000011].includes(Number(personnel_number))"),
      rule("both", "in_region && pn"),
    ]);
    await evaluator.prepare(set);
    const people = Array.from({ length: 60 }, (_, i) =>
      employee({ personnel_number: String(10_000_000 + i), region: i % 2 === 0 ? "R077" : "R001" }),
    );
    const all = await Promise.all(people.map((p) => evaluator.evaluate(set, p)));
    all.forEach((results, i) => {
      const pn = [3, 7, 11].includes(i);
      expect(summary(results)).toEqual({ in_region: i % 2 === 0, pn, both: i % 2 === 0 && pn });
    });
  });
});
