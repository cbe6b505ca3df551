import { describe, expect, test } from "bun:test";
import { programText } from "../../src/rules/compile/program.ts";
import { compileRuleset, type RuleDefinition } from "../../src/rules/index.ts";
import { createPlainLoader } from "../support/plain-loader.ts";
import { generateRules } from "../support/rule-fixtures.ts";
import { lk1, rule } from "./support.ts";

const names = (rules: ReadonlyArray<{ name: string }>) => rules.map((r) => r.name);

describe("compileRuleset", () => {
  test("orders rules after the rules they refer to, whatever order they come in", () => {
    const set = compileRuleset([
      rule("both", "director && !trainee"),
      rule("trainee", "roles.includes('trainee')"),
      rule("director", "roles.includes('store_director') && chain_root"),
      rule("chain_root", "region === 'R077'"),
    ]);
    const order = names(set.rules);
    expect(order.indexOf("chain_root")).toBeLessThan(order.indexOf("director"));
    expect(order.indexOf("director")).toBeLessThan(order.indexOf("both"));
    expect(order.indexOf("trainee")).toBeLessThan(order.indexOf("both"));
    expect(set.broken.size).toBe(0);
  });

  test("never throws: bad rules are broken with the reason, the rest compile", () => {
    const set = compileRuleset([
      rule("good", "region === 'R077'"),
      rule("typo", "rgion === 'R077'"),
      rule("bad syntax", "region ==="),
      rule("good", "true"),
      rule("region", "true"),
      rule("loop_a", "loop_b || region === 'x'"),
      rule("loop_b", "loop_a"),
      rule("uses_broken", "typo || loop_a || good"),
      { id: 99, name: "weird", kind: "nope" as never, expression: "", appCodes: [], version: 1 },
      lk1("no_codes", []),
      rule("empty", ""),
    ]);
    expect(set.broken.get("typo")).toContain('1:1: unknown name "rgion"');
    expect(set.broken.get("bad syntax")).toContain("identifier");
    expect(set.broken.get("good")).toContain("more than one rule");
    expect(set.broken.get("region")).toContain("evidence variable");
    expect(set.broken.get("loop_a")).toBe("cycle: loop_a → loop_b → loop_a");
    expect(set.broken.get("loop_b")).toBe("cycle: loop_a → loop_b → loop_a");
    expect(set.broken.get("weird")).toContain("unknown rule kind");
    expect(set.broken.get("no_codes")).toContain("at least one application code");
    expect(set.broken.get("empty")).toContain("empty");
    expect(set.broken.has("uses_broken")).toBe(false);
    // Every rule has a place; the broken ones after the rest.
    expect(set.rules.length).toBe(11);
    const order = names(set.rules);
    expect(order.indexOf("uses_broken")).toBeLessThan(order.indexOf("loop_a"));
    expect(set.program.rules.filter((r) => r !== null).length).toBe(1);
  });

  test("the version changes with any rule's id or version, not with the order", () => {
    const a = rule("a", "true");
    const b = rule("b", "false");
    const v1 = compileRuleset([a, b]).rulesetKey;
    expect(compileRuleset([b, a]).rulesetKey).toBe(v1);
    expect(compileRuleset([a, { ...b, version: 2 }]).rulesetKey).not.toBe(v1);
    expect(compileRuleset([a, { ...b, id: b.id + 1000 }]).rulesetKey).not.toBe(v1);
    expect(compileRuleset([a]).rulesetKey).not.toBe(v1);
  });

  test("reads: the evidence the set depends on, including helpers and the clock", () => {
    expect(compileRuleset([rule("a", "region === 'x'"), rule("b", "a && isBirthday()")]).reads).toEqual([
      "birthday",
      "region",
      "today",
    ]);
    expect(compileRuleset([lk1("l", ["mail"])]).reads).toEqual(["apps"]);
    expect(compileRuleset([rule("c", "bucket('x') < 3 || inOrgUnit('1')")]).reads).toEqual([
      "orgunit_path",
      "personnel_number",
    ]);
    expect(compileRuleset([rule("d", "new Date().getUTCDay() === 1")]).reads).toEqual(["now"]);
    expect(compileRuleset([rule("e", "true"), rule("f", "rgion")]).reads).toEqual([]);
  });

  test("long literal lists become constants built once; includes on them a Set lookup", () => {
    const numbers = Array.from({ length: 300 }, (_, i) => 10_000_000 + i).join(", ");
    const set = compileRuleset([
      rule("a", `[${numbers}].includes(Number(personnel_number))`),
      rule("b", `[${numbers}].includes(Number(personnel_number)) && is_manager`),
      rule("c", `["50623875", "51893158"].some(u => orgunit_path.includes(u))`),
      rule("d", `inOrgUnit("50623875", 51893158)`),
    ]);
    const text = programText(set.program);
    expect(text.match(/10000299/g)?.length).toBe(1); // built once, shared
    expect(set.program.rules[0]?.constants.map(([, , form]) => form)).toEqual(["set"]);
    const expressions = set.program.rules.map((r) => r?.expression ?? "");
    expect(expressions[0]).toMatch(/^\$S\d+\.has\(Number\(personnel_number\)\)$/);
    expect(expressions[2]).toMatch(/^orgunit_path\.some\(\$F\d+\)$/);
    expect(expressions[3]).toMatch(/^\$E\.orgunit_path\.some\(\$F\d+\)$/);
  });

  test("a list that could be changed through a callback is not shared", () => {
    const set = compileRuleset([
      rule("a", "[3, 1, 2].toSorted()[0] === 1 && [1, 2].map(x => x).length === 2"),
    ]);
    expect(set.program.lists.map(([, encoded]) => encoded)).toContain("n:3,1,2");
    expect(set.program.rules[0]?.constants.map(([, , form]) => form)).toEqual(["array", "array"]);
    const mutable = compileRuleset([rule("b", "[3, 1, 2].sort()[0] === 1")]);
    expect(mutable.program.lists).toEqual([]);
    expect(mutable.program.rules[0]?.expression).toBe("[3, 1, 2].sort()[0] === 1");
  });

  test("computed member access with a dynamic key is guarded", () => {
    const set = compileRuleset([rule("a", "roles[roles.length - 1] === 'x' && roles[0] === 'y'")]);
    expect(set.program.rules[0]?.expression).toBe(
      "roles[$key(roles.length - 1)] === 'x' && roles[0] === 'y'",
    );
  });

  test("1,000 realistic rules compile, and the program runs in plain JS", () => {
    const rules: RuleDefinition[] = generateRules(1000);
    const set = compileRuleset(rules);
    expect(set.broken.size).toBe(0);
    expect(set.rules.length).toBe(1000);
    const runner = createPlainLoader()(programText(set.program));
    const codes = runner.run(
      `1000||\n${JSON.stringify({ personnel_number: "12345678", orgunit_path: [], roles: [], apps: [], today: "2025-01-01", now: "2025-01-01T00:00:00Z", birthday: null, hire_date: null, region: "R001", position: "Кассир", employment_type: "full_time", platform: "web", is_manager: false, store_id: null })}`,
    );
    expect(codes).toMatch(/^[01]{1000}$/);
  });
});
