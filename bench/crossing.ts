/**
 * What a result-cache miss costs end to end (the evaluator: host → sandbox process → host)
 * against the engine's own cost in-process, in one run, interleaved (bench/support.ts, race).
 *
 *   bun run bench/crossing.ts [sizes…]   (default 100)
 *
 * Contenders, each evaluating the realistic rule set for 200 employees in turn (result cache off):
 *   engine in-process        sandbox/engine.ts called directly: the cost of the evaluation itself
 *   evaluator, 1 in flight   one miss at a time: the latency of one miss
 *   evaluator, 32 in flight  misses arriving together (a loaded service), one sandbox process,
 *                            one request per crossing (maxBatch 1) and batched (maxBatch 8, the default):
 *                            the figure is wall time / requests, i.e. the cost of one miss
 *   evaluator, 2 processes   the service's default, 32 in flight, batched
 */
import { createLogger } from "../src/log.ts";
import { evidenceFor } from "../src/rules/evaluator/evidence-key.ts";
import { compileRuleset, createRuleEvaluator, type RuleEvaluator } from "../src/rules/index.ts";
import { createEngine } from "../src/rules/sandbox/engine.ts";
import { generateEmployees, generateRules } from "../test/support/rule-fixtures.ts";
import { type Contender, fmtUs, machine, race } from "./support.ts";

const SIZES = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [100];
const BUDGET_MS = 1000; // generous: this measures speed, not the budget
const logger = createLogger("error");
const employees = generateEmployees(200);

console.log(machine());
const table: string[] = [];
for (const size of SIZES) {
  const ruleset = compileRuleset(generateRules(size));
  const jsons = employees.map((e) => evidenceFor(ruleset.reads, e));
  const engine = await createEngine();
  await engine.load(ruleset.rulesetKey, ruleset.program);
  const evaluators: RuleEvaluator[] = [];
  const evaluator = async (workers: number, maxBatch: number) => {
    const e = createRuleEvaluator({ budgetMs: BUDGET_MS, workers, logger, resultCacheSize: 0, maxBatch });
    await e.prepare(ruleset);
    evaluators.push(e);
    return (i: number) => e.evaluate(ruleset, employees[i % employees.length] as (typeof employees)[0]);
  };
  const big = size >= 1000;
  const n = (small: number) => (big ? Math.max(4, Math.round(small / 8)) : small);
  const contenders: Contender[] = [
    {
      label: "engine in-process",
      batch: n(100),
      fn: (i) =>
        engine.evaluate({
          rulesetKey: ruleset.rulesetKey,
          evidence: jsons[i % jsons.length] as string,
          skip: [],
          budgetMs: BUDGET_MS,
        }),
    },
    { label: "evaluator, 1 in flight", batch: n(100), fn: await evaluator(1, 8) },
    {
      label: "evaluator, 32 in flight, 1 per crossing",
      batch: n(320),
      inFlight: 32,
      fn: await evaluator(1, 1),
    },
    { label: "evaluator, 32 in flight, batched", batch: n(320), inFlight: 32, fn: await evaluator(1, 8) },
    {
      label: "evaluator, 2 processes, 32 in flight, batched",
      batch: n(320),
      inFlight: 32,
      fn: await evaluator(2, 8),
    },
  ];
  const results = await race(contenders, big ? 10 : 30);
  for (const e of evaluators) await e.close();
  engine.dispose();
  const floor = results.get("engine in-process")?.median ?? Number.NaN;
  for (const [label, t] of results) {
    const line = `| ${size} | ${label} | ${fmtUs(t.median)} | ${fmtUs(t.min)} | ${(t.median / floor).toFixed(2)}× | ${fmtUs(t.hostCpu)} |`;
    console.log(line);
    table.push(line);
  }
}
console.log(
  "\n| rules | contender | median per request | best batch | × engine in-process | this process's CPU per request |",
);
console.log("| ---: | --- | ---: | ---: | ---: | ---: |");
for (const line of table) console.log(line);
process.exit(0);
