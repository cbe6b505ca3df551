import { describe, expect, test } from "bun:test";
import { checkRule, findSlips } from "../../src/rules/index.ts";

/** The usual slips, found where the check failed (or, for valid-but-wrong ones, anywhere). */
const ctx = { ruleNames: new Set(["is_store_director"]) };
const slipAtFailure = (expression: string) => {
  const [problem] = checkRule({ kind: "expression", expression, appCodes: [] }, ctx).errors;
  return findSlips(expression, problem).map(({ kind, found, write, line, column }) => ({
    kind,
    found,
    write,
    line,
    column,
  }));
};

describe("slips", () => {
  test.each([
    ['roles.includes("cashier") и is_manager', "и", "&&", 1, 27],
    ["is_manager AND is_store_director", "AND", "&&", 1, 12],
    ["is_manager or is_store_director", "or", "||", 1, 12],
    ["is_manager ИЛИ is_store_director", "ИЛИ", "||", 1, 12],
    ["not is_manager", "not", "!", 1, 1],
    ["не is_manager", "не", "!", 1, 1],
    ["is_manager &&\n  is_store_director and is_manager", "and", "&&", 2, 21],
  ])("%j: the word operator where the parser stopped", (expression, found, write, line, column) => {
    expect(slipAtFailure(expression)).toEqual([{ kind: "word_operator", found, write, line, column }]);
  });

  test("one = to compare: the = itself, though the check points at the assignment's start", () => {
    expect(slipAtFailure('region = "R077"')).toEqual([
      { kind: "single_equals", found: "=", write: "===", line: 1, column: 8 },
    ]);
  });

  test("valid JavaScript that means something else: Python's `in` and .include", () => {
    const expression = '"cashier" in roles || roles.include("x")';
    expect(checkRule({ kind: "expression", expression, appCodes: [] }, ctx).valid).toBe(true);
    expect(findSlips(expression).map(({ kind, write, column }) => ({ kind, write, column }))).toEqual([
      { kind: "python_in", write: 'roles.includes("cashier")', column: 1 },
      { kind: "include", write: ".includes", column: 28 },
    ]);
  });

  test("words inside strings, parts of names and correct code are not slips", () => {
    for (const expression of [
      'matches(position, "и не или and")',
      "is_manager && !is_store_director",
      'region === "R077" && roles.includes("cashier")',
      "android_user",
    ]) {
      expect({ expression, slips: findSlips(expression) }).toEqual({ expression, slips: [] });
    }
    // A failure with no slip near it gets no advice.
    expect(slipAtFailure("is_manager &&")).toEqual([]);
  });
});
