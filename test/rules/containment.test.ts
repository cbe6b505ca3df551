/**
 * Containment under concurrency: a hostile rule published while many employees' requests are
 * in flight fails on its own. Every other rule of every request is right, a rule that breaks a
 * sandbox (memory, hang, crash) is quarantined at the first kill, requests that were already
 * queued skip it, and once it is found nothing restarts again. Each family holds the rules the
 * issue measured plus more of the same kind. How long other employees wait is measured in
 * bench/hostile-rules.ts, not here.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { requestExtras } from "../../src/evidence/schema.ts";
import { createMemoryLogger } from "../../src/log.ts";
import { createMetrics, type Metrics } from "../../src/metrics.ts";
import { checkRule, compileRuleset, createRuleEvaluator, type RuleEvaluator } from "../../src/rules/index.ts";
import { employee, rule, summary } from "./support.ts";

const BIG = "Object.assign([], { length: 2 ** 32 - 1 })";

/** Rules that allocate until the sandbox runs out of memory (or is stopped trying). */
const MEMORY = [
  `"x".repeat(2 ** 28).length > 0`,
  `''.padStart(2 ** 30 - 1, 'ab').length > 0`,
  `'x'.repeat(1e9).length > 0`,
  `'ab'.repeat(2 ** 27).length > 0`,
  `'x'.padEnd(2 ** 29, 'y').length > 0`,
  `JSON.stringify({ a: 'x'.repeat(2 ** 27) }).length > 0`,
  `'a'.repeat(2 ** 24).replace(/a/g, 'aaaa').length > 0`,
  `'x'.repeat(2 ** 20).split('').map((c) => c + c).join('').repeat(64).length > 0`,
  `Array.from({ length: 40 }).reduce((a) => a.concat(a), [1]).length > 0`,
];

/** Built-ins that loop over 2^32 - 1 holes in native code, never reaching the interrupt handler. */
const LONG_BUILTINS = [
  `${BIG}.includes(1)`,
  `${BIG}.lastIndexOf(1) > 0`,
  `${BIG}.join().length > 0`,
  `[1].concat(${BIG}).length > 0`,
  `String.raw({ raw: ${BIG} }).length > 0`,
  `${BIG}.indexOf(1) > 0`,
  `${BIG}.toString().length > 0`,
  `${BIG}.toLocaleString().length > 0`,
  `${BIG}.some((x) => x === 1)`,
  `${BIG}.every((x) => x !== 1)`,
  `${BIG}.reduce((a, x) => a + x, 0) > 0`,
  `${BIG}.filter((x) => x).length > 0`,
  `${BIG}.flat().length > 0`,
  `${BIG}.fill(0).length > 0`,
  `${BIG}.slice(1).length > 0`,
  `${BIG}.copyWithin(0, 1).length > 0`,
  `[...${BIG}].length > 0`,
];

/** The same, run from inside a callback that a built-in calls. */
const CALLBACKS = [
  `JSON.stringify(Object.defineProperty({}, 'x', { enumerable: true, get: () => ${BIG}.includes(1) })).length > 0`,
  `[1, 2, 3].sort(() => (${BIG}.includes(1) ? 1 : -1)).length > 0`,
  `[1].map(() => ${BIG}.lastIndexOf(1))[0] > 0`,
  `'abc'.replace(/b/, () => ${BIG}.join()).length > 0`,
  `JSON.parse('[1]', (k, v) => ${BIG}.includes(v)) === true`,
  `Array.from({ length: 3 }, () => ${BIG}.indexOf(1)).length > 0`,
  `roles.some(() => ${BIG}.includes(1))`,
];

const WORKERS = 2;
const CONCURRENT = 12;
let evaluator: RuleEvaluator;
let metrics: Metrics;
const logger = createMemoryLogger();

beforeAll(() => {
  metrics = createMetrics();
  // As in production: two serving processes, two spares, the default budget and watchdog.
  evaluator = createRuleEvaluator({ budgetMs: 50, workers: WORKERS, logger, metrics, resultCacheSize: 0 });
});
afterAll(() => evaluator.close());

async function restarts(): Promise<number> {
  return (await metrics.sandboxRestarts.get()).values.reduce((sum, v) => sum + v.value, 0);
}

/** The hostile rule among canaries, two of which read what the hostile one touched. */
function published(hostile: string) {
  return compileRuleset([
    rule("before", "region === 'R077'"),
    rule("hostile", hostile),
    rule("after", "roles.includes('store_director') && [1, 2].includes(2)"),
    rule("intact", "'abc'.slice(1) === 'bc' && JSON.parse('[1]')[0] === 1"),
    rule("dependent", "!hostile && after"),
  ]);
}

const people = Array.from({ length: CONCURRENT }, (_, i) =>
  employee({ personnel_number: String(10_000_000 + i), region: i % 2 === 0 ? "R077" : "R001" }),
);

/** One wave of concurrent requests; every canary must be right for every employee. */
async function wave(ruleset: ReturnType<typeof published>) {
  const all = await Promise.all(people.map((p) => evaluator.evaluate(ruleset, p)));
  all.forEach((results, i) => {
    expect(summary(results)).toEqual({
      before: i % 2 === 0,
      hostile: "error",
      after: true,
      intact: true,
      dependent: true,
    });
  });
  return all.map((results) => results.get("hostile"));
}

/** Kinds a hostile rule may fail with: its own failure, or quarantined after it broke a sandbox. */
const CONTAINED = new Set(["oom", "hang", "budget", "throw", "stack", "crash", "skipped"]);

describe.each([
  ["memory", MEMORY],
  ["long built-ins", LONG_BUILTINS],
  ["callbacks inside built-ins", CALLBACKS],
])("%s: published under concurrent load", (_family, rules) => {
  test.each(rules)("%s", async (hostile) => {
    expect(
      checkRule({ kind: "expression", expression: hostile, appCodes: [] }, { ruleNames: new Set(["roles"]) })
        .valid,
    ).toBe(true);
    const ruleset = published(hostile);
    await evaluator.prepare(ruleset);
    const before = await restarts();
    const first = await wave(ruleset);
    for (const outcome of first)
      expect(CONTAINED.has(outcome?.ok === false ? outcome.kind : "passed")).toBe(true);
    // Every process in flight may be killed once, plus the spares that named the culprit:
    // never one kill per queued request.
    // (One more is allowed for a machine so loaded that a healthy process misses the watchdog.)
    const killed = (await restarts()) - before;
    expect(killed).toBeLessThanOrEqual(WORKERS + 3);

    // Once found, the rule costs nobody anything: no restart, and a rule that broke a sandbox
    // is reported as quarantined.
    const second = await wave(ruleset);
    expect(await restarts()).toBeLessThanOrEqual(before + killed + 1);
    if (killed > 0) {
      for (const outcome of second) {
        expect(outcome?.ok === false && outcome.kind).toBe("skipped");
        expect(outcome?.ok === false && outcome.error).toContain("quarantined");
      }
      expect(logger.lines.some((l) => l.msg === "rule quarantined" && l.rule === "hostile")).toBe(true);
    }
  });
});

describe("a rule that hangs a sandbox, with requests queued behind it", () => {
  test("it is named once, in a spare; queued requests skip it without hanging another process", async () => {
    const ruleset = published(`${BIG}.includes(1)`);
    await evaluator.prepare(ruleset);
    const before = await restarts();
    const crowd = Array.from({ length: 40 }, (_, i) =>
      employee({ personnel_number: String(20_000_000 + i) }),
    );
    const all = await Promise.all(crowd.map((p) => evaluator.evaluate(ruleset, p)));
    for (const results of all) expect(summary(results)).toMatchObject({ hostile: "error", after: true });
    const hangs = all.filter((r) => {
      const o = r.get("hostile");
      return o?.ok === false && o.kind === "hang";
    });
    // The requests that were in a process when it hung learn why; the rest see the quarantine.
    expect(hangs.length).toBeGreaterThanOrEqual(1);
    expect(hangs.length).toBeLessThanOrEqual(WORKERS);
    expect((await restarts()) - before).toBeLessThanOrEqual(WORKERS + 2);
  });
});

describe("time inside rules is the request's minute", () => {
  test("a clock-reading rule gives one answer per employee within a minute, from the cache", async () => {
    const cached = createRuleEvaluator({ budgetMs: 50, workers: 1, logger, metrics: createMetrics() });
    try {
      const ruleset = compileRuleset([
        rule("odd_ms", "Date.now() % 2 === 0"),
        rule("on_the_minute", "Date.now() % 60000 === 0 && new Date().getSeconds() === 0"),
        rule("same_instant", "new Date().toISOString() === now"),
      ]);
      const at = (iso: string) => ({
        ...employee(),
        ...requestExtras(new Date(iso), "Europe/Moscow", "web"),
      });
      const first = await cached.evaluate(ruleset, at("2026-12-01T10:15:00.001Z"));
      const later = await cached.evaluate(ruleset, at("2026-12-01T10:15:59.999Z"));
      expect(summary(first)).toEqual({ odd_ms: true, on_the_minute: true, same_instant: true });
      expect(later).toBe(first); // the same cached answer, not an equal one
      const nextMinute = await cached.evaluate(ruleset, at("2026-12-01T10:16:30.000Z"));
      expect(nextMinute).not.toBe(first);
      expect(summary(nextMinute)).toEqual(summary(first));
    } finally {
      await cached.close();
    }
  });
});
