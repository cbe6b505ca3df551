/** The translator's own cases: what it writes, what it refuses and where, LK1 codes. */
import { describe, expect, test } from "bun:test";
import { appCodes, type PythonWorld, translatePython } from "../../src/lk2/index.ts";
import { checkRule } from "../../src/rules/index.ts";

const world: PythonWorld = {
  rule: (name) =>
    name === "is_director"
      ? { kind: "rule", js: "is_director" }
      : name === "off"
        ? { kind: "false" }
        : name === "bad"
          ? { kind: "refused", reason: "it uses rule bad (#7), which was not translated" }
          : undefined,
  ruleJsNames: new Set(["is_director"]),
};

const js = (python: string) => {
  const result = translatePython(python, world);
  if (!result.ok) throw new Error(`refused: ${result.construct} (${result.reason})`);
  const check = checkRule(
    { kind: "expression", expression: result.js, appCodes: [] },
    { ruleNames: new Set(["is_director"]) },
  );
  expect(check.errors).toEqual([]);
  return result.js;
};

describe("what it writes", () => {
  test.each([
    [
      'any(unit in orgunit_path for unit in ["50623875", "51893158"]) or int(personnel_number) in [1240519, 135160]',
      '["50623875", "51893158"].some((unit) => orgunit_path.includes(unit)) || [1240519, 135160].includes(Number(personnel_number))',
    ],
    ['"cashier" in roles', 'roles.includes("cashier")'],
    ["birthday[5:] == today[5:]", "birthday.slice(5) === today.slice(5)"],
    ["is_director and not off", "is_director && !false"],
    ["roles", "roles.length > 0"],
    ["store_id is None", "store_id === null"],
  ])("%s", (python, expected) => {
    expect(js(python)).toBe(expected);
  });

  test("`not` binds as in Python, not as Lezer's grammar has it", () => {
    expect(js("not is_manager and is_director")).toBe("!is_manager && is_director");
    expect(js("is_manager and not is_director or is_manager")).toBe(
      "is_manager && !is_director || is_manager",
    );
    expect(js("not (is_manager and is_director)")).toBe("!(is_manager && is_director)");
  });

  test("a comprehension variable that would shadow a JavaScript name gets another name", () => {
    expect(js("any(new == 'it' for new in roles)")).toBe('roles.some((_t0) => _t0 === "it")');
    expect(js("any(is_director for is_director in [1])")).not.toContain("(is_director) =>");
  });
});

describe("what it refuses, with where", () => {
  test.each([
    ["lambda: 1", "lambda", 1, 1],
    ['roles and f"{region}"', "f-string", 1, 11],
    ["foo > 1", "name foo", 1, 1],
    ["(is_director or\n  bad)", "rule bad", 2, 3],
    ["x = 1", "statement", 1, 1],
    ["007 == 7", "integer with a leading zero", 1, 1],
    ["region <> 'R077'", "<>", 1, 8],
    ["len(roles) == (", "syntax error", 1, 16],
    ["{'a': 1}", "dict literal", 1, 1],
    ["date.today()", "date.today()", 1, 1],
    ["sorted(roles, key=len)", "keyword argument key=", 1, 15],
    ["region < 5", "< on these types", 1, 8],
    ["[is_manager] == [1]", "== on these types", 1, 14],
    ["is_manager == 'True' or True in [1]", "in on these types", 1, 30],
    ["len(5)", "len() of this type", 1, 5],
    ["roles.append('x')", ".append()", 1, 7],
  ])("%s → %s at %d:%d", (python, construct, line, column) => {
    const result = translatePython(python, world);
    expect(result).toMatchObject({ ok: false, construct, line, column });
  });
});

describe("LK1 rules", () => {
  test("codes separated by commas or semicolons are app codes", () => {
    expect(appCodes("payslip, vacation;  hr_portal ;", () => false)).toEqual([
      "payslip",
      "vacation",
      "hr_portal",
    ]);
    expect(appCodes("payslip", () => false)).toEqual(["payslip"]);
  });

  test("a value that is Python (rewritten with the flag left on) is not", () => {
    expect(appCodes('"payslip" in apps', () => false)).toBeNull();
    expect(appCodes("is_manager", () => false)).toBeNull(); // an evidence variable
    expect(appCodes("is_vip", (name) => name === "is_vip")).toBeNull(); // an earlier rule
    expect(appCodes("True", () => false)).toBeNull();
  });
});
