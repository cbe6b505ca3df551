/**
 * Rule-engine benchmark: per-request evaluation time for 100 and 1,000 realistic rules (long
 * literal lists included), four ways, in one run, plus compile/load time.
 *
 *   old way       a fresh QuickJS context per request and every rule compiled (evalCode) on
 *                 every request — the old portal's Python `eval`, emulated in QuickJS
 *   per-rule      rules compiled once, but one host→sandbox call per rule
 *   ours          the whole rule set in one sandbox call (in-process engine, and end to end
 *                 through the evaluator and its sandbox process); result cache off
 *   ours, cached  the evaluator with its result cache, returning employees
 *   plain JS      no sandbox: one `new Function` per rule, called with the evidence (the floor)
 *
 * Run: bun run bench/rules.bench.ts [sizes…]   (default 100 1000; figures go to bench/RESULTS.md)
 */
import { newQuickJSWASMModuleFromVariant, type QuickJSHandle, RELEASE_SYNC } from "quickjs-emscripten";
import type { Evidence } from "../src/evidence/schema.ts";
import { createLogger } from "../src/log.ts";
import { programText, unitConstantsJson, unitsText } from "../src/rules/compile/program.ts";
import { evidenceFor } from "../src/rules/evaluator/evidence-key.ts";
import {
  type CompiledRuleset,
  compileRuleset,
  createRuleEvaluator,
  type RuleDefinition,
} from "../src/rules/index.ts";
import { createEngine } from "../src/rules/sandbox/engine.ts";
import { createPlainLoader } from "../test/support/plain-loader.ts";
import { generateEmployees, generateRules } from "../test/support/rule-fixtures.ts";
import { plainRules } from "./plain-rules.ts";
import { type Contender, fmtUs as fmt, machine, median, race } from "./support.ts";

const SIZES = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [100, 1000];
const EMPLOYEES = 200;
const BUDGET_MS = 1000; // generous: the benchmark measures speed, not the budget

// ---------------------------------------------------------------------------------------------
// Old way: compile every rule on every request, in a fresh context.

async function oldWay(ruleset: CompiledRuleset, rules: RuleDefinition[], employees: Evidence[]) {
  const module = await newQuickJSWASMModuleFromVariant(RELEASE_SYNC);
  const runtime = module.newRuntime();
  runtime.setMemoryLimit(1024 * 1024 * 1024);
  const helpers = await Bun.file(new URL("../wasm/helpers.js", import.meta.url)).text();
  const byName = new Map(rules.map((r) => [r.name, r]));
  const order = ruleset.rules.flatMap((r) => {
    const def = byName.get(r.name);
    if (!def || ruleset.broken.has(r.name)) return [];
    const expression =
      def.kind === "lk1" ? `apps.some((a) => ${JSON.stringify(def.appCodes)}.includes(a))` : def.expression;
    return [{ name: r.name, expression }];
  });
  return (i: number) => {
    const evidence = employees[i % employees.length] as Evidence;
    const ctx = runtime.newContext();
    try {
      // The evidence and the helpers go in as globals, compiled anew like everything else.
      const setup = ctx.evalCode(
        `const current = { evidence: ${JSON.stringify(evidence)} };
         Object.assign(globalThis, current.evidence, (${helpers.trim().replace(/;$/, "")})(current));`,
      );
      (setup.error ?? setup.value).dispose();
      for (const rule of order) {
        const result = ctx.evalCode(`!!(${rule.expression})`);
        let value = false;
        if (result.error) result.error.dispose();
        else {
          value = ctx.dump(result.value) === true;
          result.value.dispose();
        }
        ctx.setProp(ctx.global, rule.name, value ? ctx.true : ctx.false);
      }
    } finally {
      ctx.dispose();
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Per-rule compiled functions: compiled once, one sandbox call per rule.

async function perRule(ruleset: CompiledRuleset, employees: Evidence[]) {
  const module = await newQuickJSWASMModuleFromVariant(RELEASE_SYNC);
  const runtime = module.newRuntime();
  runtime.setMemoryLimit(1024 * 1024 * 1024);
  const ctx = runtime.newContext();
  const { program } = ruleset;
  // The program's own units and lists, but each unit called from the host, one call per rule.
  const units = program.rules.flatMap((rule, i) => (rule === null ? [] : [{ rule, i }]));
  const names = new Map(program.ruleRefs.map(([name, index]) => [index, name]));
  const helpersText = await Bun.file(new URL("../wasm/helpers.js", import.meta.url)).text();
  const setup = ctx
    .evalCode(`(function () {
      const current = { evidence: null };
      const helpers = (${helpersText.trim().replace(/;$/, "")})(current);
      const lib = { key: (k) => k, freeze: Object.freeze };
      const decode = (e) => e.startsWith("s:") ? e.slice(2).split(",") : e.startsWith("n:") ? e.slice(2).split(",").map(Number) : JSON.parse(e.slice(2));
      const lists = new Map(JSON.parse(${JSON.stringify(JSON.stringify(program.lists))}).map(([k, e]) => [k, Object.freeze(decode(e))]));
      const forms = { array: (a) => a, set: (a) => new Set(a), has: (a) => { const s = new Set(a); return (v) => s.has(v); } };
      const bindings = JSON.parse(${JSON.stringify(unitConstantsJson(units.map((u) => u.rule)))});
      const names = ${JSON.stringify(units.map((u) => names.get(u.i) ?? ""))};
      const V = {};
      const rules = ${unitsText(units.map((u) => u.rule))}.map((factory, k) => {
        const unit = factory(helpers, lib, ...bindings[k].map(([key, form]) => forms[form](lists.get(key))));
        return ($E, $R) => { let v = false; try { v = unit($E, V, $R); } catch {} if (names[k] !== "") V[names[k]] = v; $R.push(v ? "1" : "0"); return v; };
      });
      return { rules, begin: (json) => { current.evidence = JSON.parse(json); for (const k in V) V[k] = false; return current.evidence; } };
    })()`)
    .unwrap();
  const begin = ctx.getProp(setup, "begin");
  const rulesHandle = ctx.getProp(setup, "rules");
  const ruleFns: QuickJSHandle[] = units.map((_, k) => ctx.getProp(rulesHandle, k));
  const jsons = employees.map((e) => evidenceFor(ruleset.reads, e));
  return (i: number) => {
    const json = ctx.newString(jsons[i % jsons.length] as string);
    const evidence = ctx.callFunction(begin, ctx.undefined, json).unwrap();
    json.dispose();
    const results = ctx.newArray();
    let trues = 0;
    for (const fn of ruleFns) {
      const r = ctx.callFunction(fn, ctx.undefined, evidence, results);
      if (r.error) r.error.dispose();
      else {
        if (ctx.dump(r.value) === true) trues++;
        r.value.dispose();
      }
    }
    results.dispose();
    evidence.dispose();
    return trues;
  };
}

// ---------------------------------------------------------------------------------------------
// Plain JS, no sandbox: the floor.

function plainNaive(ruleset: CompiledRuleset, rules: RuleDefinition[], employees: Evidence[]) {
  const plain = plainRules(ruleset, rules);
  const compiled = plain.compile();
  return (i: number) => plain.evaluate(compiled, employees[i % employees.length] as Evidence);
}

function plainCompiled(ruleset: CompiledRuleset, employees: Evidence[]) {
  const runner = createPlainLoader()(programText(ruleset.program));
  const jsons = employees.map((e) => evidenceFor(ruleset.reads, e));
  const n = ruleset.rules.length;
  return (i: number) => runner.run(`${n}||\n${jsons[i % jsons.length]}`);
}

// ---------------------------------------------------------------------------------------------

const rows: string[] = [];
const compileRows: string[] = [];
const logger = createLogger("error");
const employees = generateEmployees(EMPLOYEES);

console.log(machine());
for (const size of SIZES) {
  const rules = generateRules(size);
  const listItems = rules.reduce((sum, r) => sum + (r.expression.match(/,/g)?.length ?? 0), 0);
  console.log(`\n== ${size} rules (${listItems} list items in all), ${EMPLOYEES} distinct employees`);

  // Compile (host) and load (sandbox) time.
  const compileTimes: number[] = [];
  let ruleset = compileRuleset(rules);
  for (let k = 0; k < (size >= 1000 ? 3 : 7); k++) {
    const t = performance.now();
    ruleset = compileRuleset(rules);
    compileTimes.push(performance.now() - t);
  }
  const engine = await createEngine();
  const loadTimes: number[] = [];
  for (let k = 0; k < 3; k++) {
    engine.drop(ruleset.rulesetKey);
    const t = performance.now();
    const loaded = await engine.load(ruleset.rulesetKey, ruleset.program);
    loadTimes.push(performance.now() - t);
    if (loaded.error) throw new Error(loaded.error);
  }
  const med = median;
  compileRows.push(
    `| ${size} | ${med(compileTimes).toFixed(0)} ms | ${med(loadTimes).toFixed(0)} ms | ${(programText(ruleset.program).length / 1024).toFixed(0)} KiB | ${ruleset.broken.size} |`,
  );
  console.log(`compile ${med(compileTimes).toFixed(1)} ms, sandbox load ${med(loadTimes).toFixed(1)} ms`);

  const jsons = employees.map((e) => evidenceFor(ruleset.reads, e));
  const big = size >= 1000;
  const uncached = createRuleEvaluator({ budgetMs: BUDGET_MS, workers: 1, logger, resultCacheSize: 0 });
  await uncached.prepare(ruleset);
  const cached = createRuleEvaluator({ budgetMs: BUDGET_MS, workers: 1, logger, resultCacheSize: 10_000 });
  await cached.prepare(ruleset);
  for (const e of employees) await cached.evaluate(ruleset, e);
  const contender = (label: string, fn: (i: number) => unknown, batch: number): Contender => ({
    label,
    fn,
    batch,
  });
  const results = await race(
    [
      contender(
        "old way (compile every rule, every request)",
        await oldWay(ruleset, rules, employees),
        big ? 1 : 4,
      ),
      contender("per-rule compiled functions (N calls)", await perRule(ruleset, employees), big ? 3 : 30),
      contender(
        "ours, in-process engine (1 call)",
        (i) =>
          engine.evaluate({
            rulesetKey: ruleset.rulesetKey,
            evidence: jsons[i % EMPLOYEES] as string,
            skip: [],
            budgetMs: BUDGET_MS,
          }),
        big ? 20 : 100,
      ),
      contender(
        "ours, evaluator + sandbox process, no cache",
        (i) => uncached.evaluate(ruleset, employees[i % EMPLOYEES] as Evidence),
        big ? 20 : 100,
      ),
      contender(
        "ours, evaluator, result cache hit",
        (i) => cached.evaluate(ruleset, employees[i % EMPLOYEES] as Evidence),
        2000,
      ),
      contender(
        "plain JS, new Function per rule (floor)",
        plainNaive(ruleset, rules, employees),
        big ? 20 : 200,
      ),
      contender(
        "plain JS, our compiled program (no sandbox)",
        plainCompiled(ruleset, employees),
        big ? 50 : 500,
      ),
    ],
    big ? 15 : 25,
  );
  await uncached.close();
  await cached.close();
  engine.dispose();
  for (const [label, t] of results) {
    console.log(
      `${label.padEnd(44)} median ${fmt(t.median).padStart(10)}   min ${fmt(t.min).padStart(10)}   (${t.calls} requests)`,
    );
  }

  const get = (prefix: string) => [...results].find(([l]) => l.startsWith(prefix))?.[1].median ?? Number.NaN;
  const old = get("old way");
  const floor = get("plain JS, new Function");
  for (const [label, t] of results) {
    rows.push(
      `| ${size} | ${label} | ${fmt(t.median)} | ${fmt(t.min)} | ${(old / t.median).toFixed(1)}× | ${(t.median / floor).toFixed(1)}× |`,
    );
  }
}

console.log(
  "\n| rules | approach | median / request | best batch | faster than old way | × plain JS floor |",
);
console.log("| ---: | --- | ---: | ---: | ---: | ---: |");
for (const row of rows) console.log(row);
console.log("\n| rules | compile (host) | load into sandbox | program size | broken |");
console.log("| ---: | ---: | ---: | ---: | ---: |");
for (const row of compileRows) console.log(row);
process.exit(0);
