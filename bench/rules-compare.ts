/**
 * The rule engine against a previous tree of this repository, in one process, interleaved:
 * compile (host) and load (one QuickJS sandbox) of a whole catalog and of the catalog after one
 * rule was edited, the size of the program sent to each sandbox process, and evaluation time per
 * request (in-process engine, 200 employees cycled).
 *
 *   git archive <commit> | tar -x -C /tmp/before && ln -s "$PWD/node_modules" /tmp/before/
 *   bun run bench/rules-compare.ts --before /tmp/before [--rounds 25] [--catalogs 100,1000,large]
 *
 * Catalogs: 100 and 1,000 realistic rules (bench/rules-fixtures.ts), and 200 rules of ~19 KB.
 * Both trees compile the same rules; "after one edit" is the next version with one rule edited
 * (the previous tree recompiles and reloads everything; this one reuses what did not change).
 */
import { parseArgs } from "node:util";
import { evidenceFor } from "../src/rules/evaluator/evidence-key.ts";
import type { RuleDefinition } from "../src/rules/index.ts";
import {
  editRule,
  generateEmployees,
  generateLargeRules,
  generateRules,
} from "../test/support/rule-fixtures.ts";
import { median } from "./support.ts";

const { values } = parseArgs({
  options: {
    before: { type: "string" },
    rounds: { type: "string", default: "25" },
    catalogs: { type: "string", default: "100,1000,large" },
  },
});
if (!values.before) {
  console.error("--before <path of a previous tree, with node_modules> is required");
  process.exit(1);
}
const ROUNDS = Number(values.rounds);
const BUDGET_MS = 1000;

interface Tree {
  label: string;
  compile(
    rules: RuleDefinition[],
    cache?: unknown,
  ): { rulesetKey: string; program: unknown; reads: readonly string[] };
  newCache?: () => unknown;
  createEngine(): Promise<{
    load(rulesetKey: string, program: unknown): Promise<{ error?: string }>;
    evaluate(request: {
      rulesetKey: string;
      evidence: string;
      skip: number[];
      budgetMs: number;
    }): Promise<unknown>;
    dispose(): void;
  }>;
}

async function tree(label: string, root: string): Promise<Tree> {
  const rules = await import(`${root}/src/rules/index.ts`);
  const engine = await import(`${root}/src/rules/sandbox/engine.ts`);
  return {
    label,
    // Trees before the rename of 2026-12-01 call the rule set's key `version`: take either.
    compile: (r, cache) => {
      const set = rules.compileRuleset(r, cache ? { cache } : undefined);
      return { ...set, rulesetKey: set.rulesetKey ?? set.version };
    },
    newCache: rules.createRuleCompileCache,
    createEngine: async () => {
      const e = await engine.createEngine();
      return { ...e, evaluate: (request) => e.evaluate({ ...request, version: request.rulesetKey }) };
    },
  };
}

const before = await tree("before", values.before);
const after = await tree("after", new URL("..", import.meta.url).pathname.replace(/\/$/, ""));
const employees = generateEmployees(200);
const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));

const CATALOGS: Record<string, () => [string, RuleDefinition[]]> = {
  "100": () => ["100 rules", generateRules(100)],
  "1000": () => ["1,000 rules", generateRules(1000)],
  large: () => ["200 × 19 KB", generateLargeRules(200)],
};
const catalogs = (values.catalogs ?? "").split(",").flatMap((key) => {
  const make = CATALOGS[key];
  return make ? [make()] : [];
});

const loadRows: string[] = [];
const evalRows: string[] = [];
for (const [label, rules] of catalogs) {
  const edited = (k: number) =>
    rules.map((r, i) => (i === Math.floor(rules.length / 2) ? editRule(r, k) : r));
  const figures = new Map<string, number[]>();
  const note = (key: string, value: number) => figures.set(key, [...(figures.get(key) ?? []), value]);
  let size = { before: 0, after: 0 };
  const samples = rules.length >= 1000 ? 3 : 5;
  for (let s = 0; s < samples; s++) {
    for (const t of [before, after]) {
      // A whole catalog into a fresh sandbox (a new instance), then the next version.
      const cache = t.newCache?.();
      let t0 = performance.now();
      const first = t.compile(rules, cache);
      note(`${t.label} compile`, performance.now() - t0);
      const engine = await t.createEngine();
      t0 = performance.now();
      const loaded = await engine.load(first.rulesetKey, first.program);
      note(`${t.label} load`, performance.now() - t0);
      if (loaded.error) throw new Error(`${t.label}: ${loaded.error}`);
      t0 = performance.now();
      const next = t.compile(edited(s + 1), cache);
      note(`${t.label} compile edit`, performance.now() - t0);
      // As it travels to a sandbox process (the pool sends it as JSON).
      t0 = performance.now();
      const json = JSON.stringify(next.program);
      const carried = JSON.parse(json);
      note(`${t.label} ipc json`, performance.now() - t0);
      size = { ...size, [t.label]: json.length };
      t0 = performance.now();
      const reloaded = await engine.load(next.rulesetKey, carried);
      note(`${t.label} load edit`, performance.now() - t0);
      if (reloaded.error) throw new Error(`${t.label}: ${reloaded.error}`);
      engine.dispose();
    }
  }
  const m = (key: string) => median(figures.get(key) ?? []);
  for (const t of ["before", "after"] as const) {
    loadRows.push(
      `| ${label} | ${t} | ${ms(m(`${t} compile`))} | ${ms(m(`${t} load`))} | ${ms(m(`${t} compile edit`))} | ${ms(m(`${t} ipc json`))} | ${ms(m(`${t} load edit`))} | ${(size[t] / 1024).toFixed(0)} KiB |`,
    );
  }
  const edit = (t: string) => m(`${t} compile edit`) + m(`${t} ipc json`) + m(`${t} load edit`);
  loadRows.push(
    `| ${label} | ratio | ${(m("before compile") / m("after compile")).toFixed(1)}× | ${(m("before load") / m("after load")).toFixed(1)}× | ${(m("before compile edit") / m("after compile edit")).toFixed(0)}× | | ${(m("before load edit") / m("after load edit")).toFixed(0)}× | edit path ${(edit("before") / edit("after")).toFixed(0)}× faster |`,
  );

  // Evaluation, interleaved batches (the machine is shared and noisy).
  const runners = await Promise.all(
    [before, after].map(async (t) => {
      const set = t.compile(rules);
      const engine = await t.createEngine();
      await engine.load(set.rulesetKey, set.program);
      const jsons = employees.map((e) => evidenceFor(set.reads, e));
      return { t, engine, set, jsons, perCall: [] as number[] };
    }),
  );
  const batch = rules.length >= 1000 ? 10 : 50;
  for (const r of runners)
    for (let i = 0; i < 20; i++)
      await r.engine.evaluate({
        rulesetKey: r.set.rulesetKey,
        evidence: r.jsons[i] as string,
        skip: [],
        budgetMs: BUDGET_MS,
      });
  for (let round = 0; round < ROUNDS; round++) {
    for (const r of round % 2 === 0 ? runners : [...runners].reverse()) {
      const t0 = performance.now();
      for (let k = 0; k < batch; k++) {
        const evidence = r.jsons[(round * batch + k) % r.jsons.length] as string;
        await r.engine.evaluate({ rulesetKey: r.set.rulesetKey, evidence, skip: [], budgetMs: BUDGET_MS });
      }
      r.perCall.push(((performance.now() - t0) / batch) * 1000);
    }
  }
  const [b, a] = runners.map((r) => median(r.perCall));
  evalRows.push(
    `| ${label} | ${(b ?? 0).toFixed(0)} µs | ${(a ?? 0).toFixed(0)} µs | ${((a ?? 0) / (b ?? 1)).toFixed(2)}× |`,
  );
  for (const r of runners) r.engine.dispose();
  console.log(`${label}: done`);
}

console.log(`\nbun ${Bun.version}, ${navigator.hardwareConcurrency} cores; medians, ms`);
console.log(
  "\n| catalog | tree | compile | load (new sandbox) | compile after one edit | program → JSON → program | load after one edit | program as JSON |",
);
console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const row of loadRows) console.log(row);
console.log("\n| catalog | evaluation before | after | after / before |");
console.log("| --- | ---: | ---: | ---: |");
for (const row of evalRows) console.log(row);
process.exit(0);
