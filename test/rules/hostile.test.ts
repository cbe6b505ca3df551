/**
 * The hostile corpus: rules written to hang, exhaust, escape, poison or confuse the engine. Each
 * is either rejected at save with a clear message, or contained at run time within its budget:
 * it fails on its own, every other rule of the same request is still right, and the sandbox
 * answers the next request. Rules the validator rejects are also run through a test-only
 * back door (compileUnchecked) to show the sandbox contains them on its own.
 * The watchdog (a rule that never returns to the interpreter) is in evaluator.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createMemoryLogger } from "../../src/log.ts";
import { createMetrics } from "../../src/metrics.ts";
import {
  type CompiledRuleset,
  checkRule,
  compileRuleset,
  createRuleEvaluator,
  type RuleEvaluator,
} from "../../src/rules/index.ts";
import { employee, errorOf, rule, summary } from "./support.ts";
import { compileUnchecked } from "./unchecked.ts";

const BUDGET_MS = 30;
let evaluator: RuleEvaluator;
const metrics = createMetrics();
const logger = createMemoryLogger();

beforeAll(() => {
  evaluator = createRuleEvaluator({
    budgetMs: BUDGET_MS,
    workers: 1,
    logger,
    metrics,
    resultCacheSize: 0,
    // The watchdog has its own tests; here a busy machine must not trip it.
    hardDeadlineMs: 5000,
  });
});
afterAll(() => evaluator.close());

const check = (expression: string) =>
  checkRule({ kind: "expression", expression, appCodes: [] }, { ruleNames: new Set() });

/** The hostile rule between canaries, one of which reads the evidence after it ran. */
function withCanaries(hostile: string) {
  return [
    rule("before", "region === 'R077'"),
    rule("hostile", hostile),
    rule("after", "roles.length === 1 && roles[0] === 'store_director' && [1, 2].includes(2)"),
    rule("intact", "'abc'.slice(1) === 'bc' && Math.max(1, 2) === 2 && JSON.parse('[1]')[0] === 1"),
    rule("dependent", "!hostile && after"),
  ];
}

/** Evaluates and checks that only the hostile rule was affected. */
async function expectContained(ruleset: CompiledRuleset) {
  const started = performance.now();
  const results = await evaluator.evaluate(ruleset, employee());
  const elapsed = performance.now() - started;
  const s = summary(results);
  expect(s.before).toBe(true);
  expect(s.after).toBe(true);
  expect(s.intact).toBe(true);
  expect(s.dependent).toBe(s.hostile !== true);
  // And the sandbox still answers.
  const again = await evaluator.evaluate(
    compileRuleset([rule("alive", "roles.includes('store_director')")]),
    employee(),
  );
  expect(summary(again)).toEqual({ alive: true });
  return { results, elapsed };
}

describe("rejected at save", () => {
  test.each([
    ["infinite loop", "while (true) {}", "not a statement"],
    ["loop in an arrow body", "roles.some(r => { while (true) {} })", "expression body"],
    ["recursion by name", "(function f() { return f() })()", "function expressions are not allowed"],
    [
      "Function constructor via constructor",
      "roles.constructor.constructor('return process')()",
      '"constructor"',
    ],
    ["Function constructor by name", "Function('return this')()", "Function constructor"],
    ["eval", "eval('process.exit()')", "eval is not available"],
    ["host probe: process", "process.exit(1)", "rules cannot reach the host"],
    ["host probe: Bun", "Bun.spawnSync(['sh'])", "rules cannot reach the host"],
    ["host probe: require", "require('fs').readFileSync('/etc/passwd')", "rules cannot load code"],
    ["host probe: fetch", "fetch('http://169.254.169.254/')", "rules cannot do I/O"],
    ["host probe: import()", "import('fs')", "import() is not allowed"],
    ["global object", "globalThis.Bun", "the global object is not available"],
    ["prototype poisoning by assignment", "Array.prototype.includes = () => true", "not allowed"],
    ["__proto__ poisoning", "({}).__proto__.isAdmin = true", "not allowed"],
    ["evidence mutation by assignment", "roles[0] = 'admin'", "assignment"],
    ["this", "this.region", "`this` is not allowed"],
    ["Proxy", "new Proxy({}, { get: () => 1 })", "`new` is only allowed"],
    ["getter trap", "({ get region() { return 'R077' } }).region", "getters and setters"],
    ["async function", "(async () => { while (true) {} })()", "async functions are not allowed"],
    ["nondeterminism", "Math.random() < 0.5", "Math.random is not available"],
    ["BigInt bomb", "(10n ** 1000000n).toString().length > 0", "BigInt literals"],
    ["huge sparse array", "Array(2 ** 32 - 1).includes(1)", "Array(…) is not allowed"],
    ["huge array by new", "new Array(1e9).join('x')", "`new` is only allowed"],
    ["parser stack", `${"(".repeat(1000)}1${")".repeat(1000)}`, "nested too deeply"],
    ["giant expression", `'${"x".repeat(40_000)}'.length > 0`, "too long"],
    ["call/apply games", "[].includes.call({ length: 2 ** 53 }, 1)", '"call"'],
    ["delete", "delete roles[0]", "delete is not allowed"],
    ["comma tricks", "(roles.push('x'), true)", "comma operator"],
  ])("%s", (_name, expression, message) => {
    const result = check(expression);
    expect(result.valid).toBe(false);
    expect(result.errors[0]?.message).toContain(message);
  });
});

describe("contained at run time", () => {
  test.each([
    ["catastrophic regex backtracking", "/(a+)+$/.test('a'.repeat(40) + '!')", "budget"],
    ["memory bomb: repeat", "'x'.repeat(2 ** 27).length > 0", "out of memory"],
    ["memory bomb: padStart", "'x'.padStart(2 ** 28, 'y').length > 0", "out of memory"],
    ["memory bomb: huge array", "Array.from({ length: 2 ** 27 }).length > 0", "out of memory"],
    [
      "memory bomb: nested",
      "[...'x'.repeat(2 ** 22)].map(c => c + c + c + c).join('').length > 0",
      "out of memory",
    ],
    ["deep recursion", "(f => f(f))(f => f(f))", "stack overflow"],
    ["deep JSON.parse", "JSON.parse('['.repeat(200000)) !== null", "stack overflow"],
    ["toString trap", "String({ toString: () => 'x'.repeat(2 ** 28) }).length > 0", "out of memory"],
    [
      "prototype poisoning by Object.assign",
      "Object.assign(Object.getPrototypeOf([]), { includes: () => true })",
      "read-only",
    ],
    [
      "String.prototype poisoning",
      "Object.defineProperty(Object.getPrototypeOf(''), 'slice', { value: () => 'x' })",
      "TypeError",
    ],
    [
      "global poisoning",
      "Object.assign(Math, { max: () => 0 }) && Object.assign(JSON, { parse: () => [0] })",
      "TypeError",
    ],
    ["evidence mutation: push", "roles.push('admin') > 0", "TypeError"],
    ["evidence mutation: assign", "Object.assign(roles, ['admin']).length > 0", "TypeError"],
    ["evidence mutation: prototype swap", "Object.setPrototypeOf(roles, null) === null", "TypeError"],
    ["computed constructor escape", "roles.map['constr' + 'uctor']('return 1')() === 1", '"constructor"'],
    [
      "computed __proto__ poisoning",
      "Object.assign(roles['__pro' + 'to__'], { length: 9 }) !== null",
      '"__proto__"',
    ],
    [
      "Math.random reached indirectly",
      "[Math].some(m => m['ran' + 'dom']() < 0.5)",
      "Math.random is not available",
    ],
    ["giant error message", "null['x'.repeat(100000)] === 1", "TypeError"],
    ["throws a non-Error", "JSON.parse('{\"a\":1}', (k, v) => v.no.such) === 1", "TypeError"],
    [
      "getter trap on a fresh object",
      "Object.defineProperty({}, 'x', { get: () => 'x'.repeat(2 ** 28) }).x.length > 0",
      "out of memory",
    ],
  ])("%s", async (_name, expression, message) => {
    expect(check(expression).valid).toBe(true);
    const { results } = await expectContained(compileRuleset(withCanaries(expression)));
    const outcome = results.get("hostile");
    expect(outcome?.ok).toBe(false);
    const error = errorOf(results, "hostile");
    expect(error).toContain(message);
    expect(error.length).toBeLessThan(400);
  });

  test("nondeterminism is pinned to the evidence: clock reads give `now`", async () => {
    const { results } = await expectContained(
      compileRuleset(
        withCanaries("Date.now() === Date.parse('2025-05-17T09:30:00Z') && new Date().getUTCHours() === 9"),
      ),
    );
    expect(summary(results).hostile).toBe(true);
  });

  test("a runaway rule is stopped within its budget, not the request's", async () => {
    const { elapsed } = await expectContained(
      compileRuleset(withCanaries("/(a+)+$/.test('a'.repeat(40) + '!')")),
    );
    // Generous: the point is "about one budget", not minutes.
    expect(elapsed).toBeLessThan(5000);
  });
});

describe("contained even without the validator (test-only back door)", () => {
  // Each case its own rule id: quarantine is per rule version.
  let nextId = 100;
  const canaries = (body: string) =>
    compileUnchecked([
      { id: 1, name: "before", body: "return $E.region === 'R077'" },
      { id: nextId++, name: "hostile", body },
      {
        id: 3,
        name: "after",
        body: "return $E.roles.length === 1 && $E.roles[0] === 'store_director' && [1, 2].includes(2)",
      },
      {
        id: 4,
        name: "intact",
        body: "return 'abc'.slice(1) === 'bc' && Math.max(1, 2) === 2 && typeof Set === 'function'",
      },
      { id: 5, name: "dependent", body: "return $R[1] !== '1' && $R[2] === '1'" },
    ]);

  test.each([
    ["infinite loop", "while (true) {}", "budget"],
    ["loop in a catch", "for (;;) { try { throw 1 } catch { } }", "budget"],
    [
      "Function constructor",
      "return (() => 0).constructor('return globalThis')()",
      "code generation is not available",
    ],
    [
      "generator constructor",
      "return Object.getPrototypeOf(function* () {}).constructor('yield 1')",
      "code generation",
    ],
    ["eval", "return eval('1')", "ReferenceError"],
    ["prototype poisoning", "Array.prototype.includes = () => false; return true", "read-only"],
    ["global poisoning", "globalThis.Set = null; return true", "'Set' is read-only"],
    ["evidence mutation", "$E.roles.push('admin'); return true", "TypeError"],
    ["evidence swap", "$E.region = 'R001'; return true", "'region' is read-only"],
    [
      "throw-object trap",
      "throw { toString() { while (true) {} }, get message() { while (true) {} } }",
      "not an Error",
    ],
    [
      "error with a trap message",
      "const e = new Error('x'); Object.defineProperty(e, 'message', { get() { while (true) {} } }); throw e",
      "Error",
    ],
    [
      "error with a trap name",
      "const e = new TypeError('x'); Object.defineProperty(e, 'name', { get() { while (true) {} } }); throw e",
      "Error",
    ],
    ["throws a giant string", "throw 'x'.repeat(10000000)", "threw"],
    ["async function", "return (async () => { while (true) {} })()", null],
    ["memory bomb", "return Array.from({ length: 2 ** 28 }, (_, i) => i).length", "budget"],
    ["deep recursion", "const f = (n) => f(n + 1) + 1; return f(0)", "stack overflow"],
    ["nondeterminism", "return Math.random() < 2", "Math.random is not available"],
  ] as Array<[string, string, string | null]>)("%s", async (_name, body, message) => {
    const { results } = await expectContained(canaries(body));
    // null: whatever the rule's own outcome, as long as it is contained.
    if (message === null) return;
    expect(results.get("hostile")?.ok).toBe(false);
    expect(errorOf(results, "hostile")).toContain(message);
  });

  test("no host object is reachable", async () => {
    const probe = compileUnchecked([
      {
        id: 1,
        name: "probe",
        body: `return [typeof process, typeof Bun, typeof require, typeof fetch, typeof WebAssembly, typeof eval,
          typeof Function, typeof Proxy, typeof Reflect, typeof WeakRef, typeof Promise, typeof ArrayBuffer,
          typeof globalThis.process, typeof performance, typeof setTimeout, typeof console, typeof std, typeof os]
          .every((t) => t === 'undefined')`,
      },
      {
        id: 2,
        name: "frozen",
        body: `return [globalThis, Object.prototype, Array.prototype, Set.prototype, Math, JSON, Date, Date.prototype,
          Object.getPrototypeOf([].values()), Object.getPrototypeOf(function* () {})].every(Object.isFrozen)`,
      },
    ]);
    const results = await evaluator.evaluate(probe, employee());
    expect(summary(results)).toEqual({ probe: true, frozen: true });
  });

  test("out of memory replaces the sandbox and the request is still answered", async () => {
    const before =
      (await metrics.sandboxRestarts.get()).values.find((v) => v.labels.reason === "oom")?.value ?? 0;
    await expectContained(canaries("return 'x'.repeat(2 ** 27).length"));
    const after =
      (await metrics.sandboxRestarts.get()).values.find((v) => v.labels.reason === "oom")?.value ?? 0;
    expect(after).toBeGreaterThan(before);
  });
});
