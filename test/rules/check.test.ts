import { describe, expect, test } from "bun:test";
import { checkRule, HELPERS, LIMITS, type RuleCheckContext, ruleNameProblem } from "../../src/rules/index.ts";

const ctx = (over: Partial<RuleCheckContext> = {}): RuleCheckContext => ({
  ruleNames: new Set(["is_store_director", "is_trainee", "b", "c"]),
  ...over,
});
const check = (expression: string, over: Partial<RuleCheckContext> = {}) =>
  checkRule({ kind: "expression", expression, appCodes: [] }, ctx(over));
const firstError = (expression: string, over: Partial<RuleCheckContext> = {}) =>
  check(expression, over).errors[0];

describe("checkRule: what admins write is accepted", () => {
  test.each([
    `["50623875", "51893158"].some(u => orgunit_path.includes(u)) || [1240519, 135160].includes(Number(personnel_number))`,
    "birthday.slice(5) === today.slice(5)",
    'roles.includes("store_director") && region === "R077"',
    "is_store_director && !is_trainee",
    'bucket("new-payslip") < 10',
    'inOrgUnit("50623875", "51893158") && platform !== "web"',
    "daysSince(hire_date) < 90",
    'matches(position, "директор")',
    "isBirthday() || yearsOfService() >= 5",
    "orgunit_path.filter((u, i) => i > 0).map(u => u.slice(0, 2)).join(',') !== ''",
    "({ a: region, ...{ b: 1 } }).a === 'R077'",
    "[...roles, ...apps].length > 2",
    "roles?.[0] ?? false",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a rule's source text containing a template literal
    "`${region}-${store_id}` === 'R077-S1'",
    "new Date(hire_date).getFullYear() < 2020",
    "new Set(roles).has('cashier') && new Map([[1, 2]]).size === 1",
    "/^R0\\d\\d$/.test(region) && new RegExp('^5').test(orgunit_id)",
    "Math.max(...[1, 2, 3]) === 3 && JSON.stringify(roles).length > 2",
    "typeof store_id === 'string' && !(is_manager instanceof Object)",
    "roles.some(([first]) => first === 's') || roles.some(({ length }) => length > 3)",
    "roles.some((r = 'x') => r === 'x')",
    "roles[roles.length - 1] === 'store_director'",
    "Array.isArray(roles) && Object.keys(roles).length > 0",
  ])("%s", (expression) => {
    const result = check(expression);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test("reports evidence read (helpers' implied reads included), rules and helpers, sorted", () => {
    const result = check(
      "is_trainee || isBirthday() && bucket('x') < 5 && region === 'R077' && is_store_director",
    );
    expect(result.variables).toEqual(["birthday", "personnel_number", "region", "today"]);
    expect(result.rules).toEqual(["is_store_director", "is_trainee"]);
    expect(result.helpers).toEqual(["bucket", "isBirthday"]);
  });

  test("a rule that reads the clock reads `now`; one that only parses dates does not", () => {
    expect(check("new Date().getUTCHours() > 9").variables).toEqual(["now"]);
    expect(check("Date.now() > 0").variables).toEqual(["now"]);
    expect(check("Date() !== ''").variables).toEqual(["now"]);
    expect(check("new Date(hire_date).getTime() > Date.parse('2020-01-01')").variables).toEqual([
      "hire_date",
    ]);
  });

  test("arrow parameters shadow evidence and rule names", () => {
    const result = check("[1].some(region => region === 1) && [2].some(b => b > 1)");
    expect(result.valid).toBe(true);
    expect(result.variables).toEqual([]);
    expect(result.rules).toEqual([]);
  });
});

describe("checkRule: rejected with a clear message and its position", () => {
  test.each([
    ["x = 1", "assignment (=) is not allowed in rules; to compare, use ===", 1, 1],
    ["region += 'x'", "assignment (+=)", 1, 1],
    ["roles.length++", "++ and --", 1, 1],
    ["this.region", "`this` is not allowed", 1, 1],
    ["(function () { return 1 })()", "function expressions are not allowed", 1, 2],
    ["(class {})", "classes are not allowed", 1, 2],
    ["import('fs')", "import() is not allowed", 1, 1],
    ["async () => 1", "async functions are not allowed", 1, 1],
    ["roles.some(r => { return r === 'x' })", "must have an expression body", 1, 17],
    ["(1, 2)", "the comma operator is not allowed", 1, 2],
    ["String.raw`x`", "tagged templates are not allowed", 1, 1],
    ["delete roles[0]", "delete is not allowed", 1, 1],
    ["new Array(3)", "`new` is only allowed with Date, Set, Map and RegExp", 1, 1],
    ["new (roles.constructor)()", "`new` is only allowed", 1, 1],
    ["Array(5).length", "Array(…) is not allowed", 1, 1],
    ["roles.constructor", 'access to "constructor" is not allowed', 1, 7],
    ["roles['__proto__']", 'access to "__proto__" is not allowed', 1, 7],
    ["Object.prototype", 'access to "prototype" is not allowed', 1, 8],
    ["roles.includes.call(apps, 'x')", 'access to "call" is not allowed', 1, 16],
    ["({ __proto__: null })", 'the key "__proto__" is not allowed', 1, 4],
    ["({ get x() { return 1 } }).x", "methods, getters and setters are not allowed", 1, 4],
    ["({ [region]: 1 })", "computed keys are not allowed", 1, 5],
    ["Math.random() < 0.5", "Math.random is not available", 1, 1],
    ["eval('1')", "eval is not available", 1, 1],
    ["Function('return 1')()", "the Function constructor is not available", 1, 1],
    ["globalThis.region", "the global object is not available", 1, 1],
    ["process.env", "rules cannot reach the host (process)", 1, 1],
    ["Bun.file('/etc/passwd')", "rules cannot reach the host (Bun)", 1, 1],
    ["require('fs')", "rules cannot load code", 1, 1],
    ["fetch('http://x')", "rules cannot do I/O", 1, 1],
    ["new Proxy({}, {})", "`new` is only allowed", 1, 1],
    ["123n > 1", "BigInt literals", 1, 1],
    ["$E.region", "reserved", 1, 1],
    ["roles.some(__x => __x)", "reserved", 1, 12],
    ["[01240519].includes(1)", "a number cannot start with 0", 1, 2],
  ] as const)("%s", (expression, message, line, column) => {
    const result = check(expression);
    expect(result.valid).toBe(false);
    expect(result.errors[0]?.message).toContain(message);
    expect(result.errors[0]?.line).toBe(line);
    expect(result.errors[0]?.column).toBe(column);
  });

  test("exactly one expression", () => {
    expect(firstError("region === 'x'; region === 'y'")).toMatchObject({ line: 1, column: 17 });
    expect(firstError("region === 'x'; region === 'y'")?.message).toContain("exactly one expression");
    expect(firstError("let x = 1")?.message).toContain("not a statement");
    expect(firstError("{ a: 1 }")?.message).toContain("wrap it in parentheses");
    expect(firstError("while (true) {}")?.message).toContain("not a statement");
    expect(firstError("   ")?.message).toBe("the expression is empty");
  });

  test("syntax errors point at the line and column, across lines", () => {
    const error = firstError("roles.includes('x') &&\n  region ===");
    expect(error?.line).toBe(2);
    expect(error?.column).toBeGreaterThan(1);
  });

  test("unknown names are caught at save, with a suggestion", () => {
    expect(firstError("rgion === 'R077'")?.message).toBe(
      'unknown name "rgion": not an evidence variable, rule or helper (did you mean "region"?)',
    );
    expect(firstError("is_store_directr")?.message).toContain('did you mean "is_store_director"');
    expect(firstError("inOrgUnt('1')")?.message).toContain('did you mean "inOrgUnit"');
    expect(firstError("roles.includes(x)")?.message).toContain('unknown name "x"');
  });

  test("cycles are rejected with the cycle named", () => {
    const dependencies = new Map([
      ["b", ["c"]],
      ["c", ["a"]],
    ]);
    const result = check("region === 'x' || b", { selfName: "a", dependencies });
    expect(result.valid).toBe(false);
    expect(result.errors[0]?.message).toBe("cycle: a → b → c → a");
    expect(result.errors[0]).toMatchObject({ line: 1, column: 19 });
    expect(firstError("a", { selfName: "a" })?.message).toContain("cycle: a → a");
    expect(check("b", { selfName: "a", dependencies: new Map([["b", []]]) }).valid).toBe(true);
  });

  test("limits: length, nesting, size", () => {
    const long = `[${Array.from({ length: 4000 }, (_, i) => `"${10_000_000 + i}"`).join(",")}].includes(personnel_number)`;
    expect(long.length).toBeGreaterThan(LIMITS.maxExpressionLength);
    expect(firstError(long)?.message).toContain("too long");
    const deep = `${"(".repeat(100)}1${")".repeat(100)}`;
    expect(firstError(deep)?.message).toContain("nested too deeply");
    const veryDeep = `${"[".repeat(9_000)}${"]".repeat(9_000)}`; // within the length limit
    expect(firstError(veryDeep)?.message).toContain("nested too deeply");
    const wide = Array.from({ length: 3500 }, () => "1").join("+");
    expect(firstError(wide)?.message).toContain("too large");
    // Long chains are not "deep": a || b || … and a.b.c… parse iteratively everywhere.
    expect(check(Array.from({ length: 300 }, () => "is_manager").join(" || ")).valid).toBe(true);
    // Hundreds of personnel numbers in one list are fine.
    const list = `[${Array.from({ length: 1500 }, (_, i) => 10_000_000 + i).join(", ")}].includes(Number(personnel_number))`;
    expect(check(list).valid).toBe(true);
  });
});

describe("checkRule: LK1", () => {
  const lk1 = (appCodes: string[]) => checkRule({ kind: "lk1", expression: "", appCodes }, ctx());

  test("valid codes read apps", () => {
    expect(lk1(["mail", "HR_portal", "app2"])).toEqual({
      valid: true,
      errors: [],
      variables: ["apps"],
      rules: [],
      helpers: [],
    });
  });

  test("empty, odd or too many codes are rejected", () => {
    expect(lk1([]).errors[0]?.message).toContain("at least one application code");
    expect(lk1(["ok", "not ok"]).errors[0]?.message).toContain('#2 "not ok"');
    expect(lk1(["a".repeat(65)]).valid).toBe(false);
    expect(lk1(Array.from({ length: LIMITS.maxAppCodes + 1 }, (_, i) => `a${i}`)).valid).toBe(false);
  });
});

describe("rule names and helpers", () => {
  test("ruleNameProblem", () => {
    expect(ruleNameProblem("is_store_director")).toBeUndefined();
    expect(ruleNameProblem("1abc")).toContain("identifier");
    expect(ruleNameProblem("region")).toContain("evidence variable");
    expect(ruleNameProblem("bucket")).toContain("helper");
    expect(ruleNameProblem("Math")).toContain("built-in");
    expect(ruleNameProblem("class")).toContain("keyword");
    expect(ruleNameProblem("__x")).toContain("reserved");
  });

  test("HELPERS lists the helper library", () => {
    expect(HELPERS).toEqual([
      "age",
      "bucket",
      "daysSince",
      "daysUntil",
      "hasApp",
      "hasRole",
      "inOrgUnit",
      "inRegion",
      "inStore",
      "isBirthday",
      "matches",
      "yearsOfService",
    ]);
  });
});
