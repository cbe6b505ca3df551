/** The QuickJS engine itself, in-process: time zones, recovery, limits, the helper library. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { newQuickJSWASMModuleFromVariant, type QuickJSWASMModule, RELEASE_SYNC } from "quickjs-emscripten";
import { evidenceFor } from "../../src/rules/evaluator/evidence-key.ts";
import { type CompiledRuleset, compileRuleset, HELPER_READS, HELPERS } from "../../src/rules/index.ts";
import { createEngine, type Engine } from "../../src/rules/sandbox/engine.ts";
import { createPlainHelpers } from "../../src/rules/sandbox/library.ts";
import { employee, rule } from "./support.ts";
import { compileUnchecked } from "./unchecked.ts";

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine();
});

async function run(ruleset: CompiledRuleset, evidence = employee(), budgetMs = 200) {
  await engine.load(ruleset.rulesetKey, ruleset.program);
  return engine.evaluate({
    rulesetKey: ruleset.rulesetKey,
    evidence: evidenceFor(ruleset.reads, evidence),
    skip: [],
    budgetMs,
  });
}

describe("local time is UTC in the sandbox, whatever the host's time zone", () => {
  const originalTz = process.env.TZ;
  afterAll(() => {
    process.env.TZ = originalTz;
  });
  const rules = compileRuleset(
    [
      "new Date(2025, 0, 1, 10).getHours() === 10 && new Date(2025, 0, 1, 10).toISOString() === '2025-01-01T10:00:00.000Z'",
      "new Date('2025-01-01T10:00').getTime() === Date.UTC(2025, 0, 1, 10)",
      "new Date('2025-01-01 10:00').getTime() === Date.UTC(2025, 0, 1, 10)",
      "Date.parse('2025/03/01') === Date.UTC(2025, 2, 1)",
      "new Date('March 1, 2025 23:30').getDate() === 1",
      "new Date('2025-03-01T23:30:00+03:00').getUTCHours() === 20",
      "new Date('2025-03-01').getTime() === Date.UTC(2025, 2, 1)",
      "new Date(hire_date).getDate() === 1 && new Date(hire_date).getMonth() === 2",
      "new Date().getTimezoneOffset() === 0 && new Date().getHours() === 9 && new Date().getDay() === 6",
      "String(new Date(Date.UTC(2025, 2, 1, 22, 5))) === 'Sat Mar 01 2025 22:05:00 GMT+0000'",
      "new Date(Date.UTC(2025, 2, 1, 22, 5)).toLocaleString() === '03/01/2025, 10:05:00 PM'",
      "new Date(Date.UTC(2025, 2, 1, 22, 5)).toDateString() === 'Sat Mar 01 2025'",
      "Date() === String(new Date())",
      "new Date(Date.UTC(2025, 0, 31)).setMonth(1) === Date.UTC(2025, 2, 3)",
    ].map((expression, i) => rule(`tz${i}`, expression)),
  );

  test.each(["UTC", "Europe/Moscow", "Asia/Tokyo", "America/Los_Angeles", "Pacific/Kiritimati"])(
    "TZ=%s",
    async (tz) => {
      process.env.TZ = tz;
      const reply = await run(rules, employee({ hire_date: "2019-03-01", now: "2025-05-17T09:30:00.000Z" }));
      expect(reply.errors).toEqual([]);
      expect(reply.codes).toBe("1".repeat(rules.rules.length));
    },
  );
});

describe("recovery", () => {
  test("a host-side failure discards the module, builds a new one and still answers", async () => {
    let modules = 0;
    let failNext = false;
    // A module whose contexts throw on the host side when told to, like a corrupted one would.
    const faulty = async (): Promise<QuickJSWASMModule> => {
      modules += 1;
      const module = await newQuickJSWASMModuleFromVariant(RELEASE_SYNC);
      const newRuntime = module.newRuntime.bind(module);
      module.newRuntime = (options) => {
        const runtime = newRuntime(options);
        const newContext = runtime.newContext.bind(runtime);
        runtime.newContext = (contextOptions) => {
          const context = newContext(contextOptions);
          const callFunction = context.callFunction.bind(context) as (...args: unknown[]) => unknown;
          Object.assign(context, {
            callFunction: (...args: unknown[]) => {
              if (failNext) {
                failNext = false;
                throw new RangeError("Maximum call stack size exceeded.");
              }
              return callFunction(...args);
            },
          });
          return context;
        };
        return runtime;
      };
      return module;
    };
    const own = await createEngine({ newModule: faulty });
    const set = compileRuleset([
      rule("a", "region === 'R077'"),
      rule("b", "a && is_manager"),
      rule("c", "null.x"),
    ]);
    await own.load(set.rulesetKey, set.program);
    failNext = true;
    const reply = await own.evaluate({
      rulesetKey: set.rulesetKey,
      evidence: evidenceFor(set.reads, employee()),
      skip: [],
      budgetMs: 200,
    });
    expect(reply.restarts).toContain("crash");
    expect(modules).toBe(2);
    expect(reply.codes).toBe("11e");
    expect(reply.errors.map(([i, kind]) => [i, kind])).toEqual([[2, "throw"]]);
    // And it keeps working.
    const next = await own.evaluate({
      rulesetKey: set.rulesetKey,
      evidence: evidenceFor(set.reads, employee({ region: "R1" })),
      skip: [],
      budgetMs: 200,
    });
    expect(next.codes).toBe("00e");
  });

  test("a rule QuickJS cannot compile is isolated; the others load and run", async () => {
    const set = compileUnchecked([
      { id: 1, name: "ok", body: "return 1" },
      { id: 2, name: "bad", body: "return (" },
      { id: 3, name: "ok2", body: "return $E.region === 'R077'" },
    ]);
    const loaded = await engine.load(set.rulesetKey, set.program);
    expect(loaded.error).toBeUndefined();
    expect(loaded.refused.map(([i]) => i)).toEqual([1]);
    const reply = await run(set);
    expect(reply.codes).toBe("1e1");
    expect(reply.errors[0]?.[1]).toBe("compile");
  });

  test("deep recursion overflows the guest's stack, never the host's", async () => {
    const set = compileRuleset([
      rule("r", "(f => f(f))(f => f(f))"),
      rule("j", "JSON.parse('['.repeat(100000)) !== 1"),
      rule("ok", "true"),
    ]);
    const reply = await run(set);
    expect(reply.restarts).toEqual([]);
    expect(reply.codes).toBe("ee1");
    expect(reply.errors.map(([, , message]) => message).join()).toContain("stack overflow");
  });

  test("stepwise evaluation reports each rule before it runs", async () => {
    const set = compileRuleset([rule("a", "true"), rule("b", "false"), rule("c", "null.x")]);
    await engine.load(set.rulesetKey, set.program);
    const seen: number[] = [];
    const reply = await engine.evaluate(
      { rulesetKey: set.rulesetKey, evidence: "{}", skip: [1], budgetMs: 200, stepwise: true },
      (i) => seen.push(i),
    );
    expect(seen).toEqual([0, 1, 2]);
    expect(reply.codes).toBe("1se");
  });

  test("a runaway rule is stopped by the interrupt handler, the rest resumes", async () => {
    const set = compileUnchecked([
      { id: 1, name: "a", body: "return 1" },
      { id: 2, name: "loop", body: "while (true) {}" },
      { id: 3, name: "loop2", body: "for (;;) {}" },
      { id: 4, name: "b", body: "return $R[0] === '1' && $R[1] === 'e'" },
    ]);
    const reply = await run(set, employee(), 20);
    expect(reply.codes).toBe("1ee1");
    expect(reply.errors.map(([i, kind]) => [i, kind])).toEqual([
      [1, "budget"],
      [2, "budget"],
    ]);
  });
});

describe("the helper library", () => {
  test("wasm/helpers.js implements exactly the helpers the validator knows", () => {
    const helpers = createPlainHelpers({ evidence: employee() });
    expect(Object.keys(helpers).sort()).toEqual([...HELPERS]);
  });

  test("each helper reads only the evidence the cache key counts for it", () => {
    for (const name of HELPERS) {
      const touched = new Set<string>();
      const evidence = new Proxy(employee({ birthday: "2000-02-29", today: "2025-02-28" }), {
        get(target, key, receiver) {
          if (typeof key === "string") touched.add(key);
          return Reflect.get(target, key, receiver);
        },
      });
      const helpers = createPlainHelpers({ evidence });
      const helper = helpers[name];
      if (!helper) throw new Error(`missing helper ${name}`);
      helper("2020-01-01", "x");
      helper(["1", "2"]);
      helper();
      for (const key of touched) expect(HELPER_READS[name]).toContain(key);
    }
  });
});
