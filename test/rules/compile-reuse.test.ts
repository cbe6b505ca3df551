import { describe, expect, test } from "bun:test";
import { encodeList } from "../../src/rules/compile/constants.ts";
import { programText } from "../../src/rules/compile/program.ts";
import { RuleNames } from "../../src/rules/compile/rule.ts";
import { evidenceFor } from "../../src/rules/evaluator/evidence-key.ts";
import { compileRuleset, createRuleCompileCache, type RuleDefinition } from "../../src/rules/index.ts";
import { createPlainLoader } from "../support/plain-loader.ts";
import { editRule, generateEmployees, generateLargeRules, generateRules } from "../support/rule-fixtures.ts";
import { rule } from "./support.ts";

// A rebuild of the rule set reuses the compilation of every rule version that did not change,
// and never a stale one: the outcome is always what a compile from scratch gives.

const replace = (rules: RuleDefinition[], changed: RuleDefinition) =>
  rules.map((r) => (r.id === changed.id ? changed : r));

describe("compileRuleset with a cache", () => {
  test("after one edit only the edited rule compiles; the others keep their units", () => {
    const rules = generateRules(200);
    const cache = createRuleCompileCache();
    const first = compileRuleset(rules, { cache });
    expect(cache.stats).toEqual({ compiled: 200, reused: 0 });

    const edited = editRule(rules[17] as RuleDefinition, 1);
    const second = compileRuleset(replace(rules, edited), { cache });
    expect(cache.stats).toEqual({ compiled: 201, reused: 199 });

    const keys = (set: typeof first) => new Map(set.rules.map((r, i) => [r.name, set.program.rules[i]?.key]));
    const before = keys(first);
    const after = keys(second);
    for (const [name, key] of after) {
      if (name === edited.name) expect(key).not.toBe(before.get(name));
      else expect(key).toBe(before.get(name) as string);
    }
    expect(second.rulesetKey).not.toBe(first.rulesetKey);
  });

  test("the same program as a compile from scratch, edit after edit", () => {
    let rules = [
      ...generateRules(120),
      ...generateLargeRules(5, 3_000).map((r) => ({ ...r, id: r.id + 500 })),
    ];
    const cache = createRuleCompileCache();
    for (let edit = 1; edit <= 6; edit++) {
      const target = rules[(edit * 37) % rules.length] as RuleDefinition;
      rules = replace(rules, editRule(target, edit));
      const cached = compileRuleset(rules, { cache });
      const fresh = compileRuleset(rules);
      expect(cached.rulesetKey).toBe(fresh.rulesetKey);
      expect(cached.program).toEqual(fresh.program);
      expect([...cached.broken]).toEqual([...fresh.broken]);
      expect(cached.reads).toEqual(fresh.reads);
    }
    expect(cache.stats.compiled).toBe(125 + 5); // all of them once, then each edited rule
  });

  test("a rule version whose id, version or content differs is compiled again", () => {
    const a = rule("a", "region === 'R077'");
    const cache = createRuleCompileCache();
    compileRuleset([a], { cache });
    compileRuleset([{ ...a, version: 2 }], { cache });
    compileRuleset([{ ...a, version: 2, expression: "region === 'R078'" }], { cache }); // same version, new text
    compileRuleset([{ ...a, version: 2, expression: "region === 'R078'" }], { cache });
    expect(cache.stats).toEqual({ compiled: 3, reused: 1 });
  });

  test("a rule naming a rule that is renamed or removed is recompiled, and broken", () => {
    const uses = rule("uses", "target && is_manager");
    const target = rule("target", "region === 'R077'");
    const cache = createRuleCompileCache();
    expect(compileRuleset([uses, target], { cache }).broken.size).toBe(0);

    // `uses` did not change, but the name it reads is gone: it must not keep its old unit.
    const renamed = { ...target, name: "targets", version: 2 };
    const afterRename = compileRuleset([uses, renamed], { cache });
    expect(afterRename.broken.get("uses")).toContain('unknown name "target"');
    expect(afterRename.broken.get("uses")).toContain('did you mean "targets"');
    expect(afterRename.program.rules.filter((r) => r !== null)).toHaveLength(1);

    // Named back: it compiles again and reads the rule.
    const back = compileRuleset([uses, { ...target, version: 3 }], { cache });
    expect(back.broken.size).toBe(0);
    expect(back.program.rules.find((r) => r?.rules.includes("target"))).toBeDefined();

    expect(compileRuleset([uses], { cache }).broken.get("uses")).toContain('unknown name "target"');
  });

  test("a rule that named a missing rule compiles once that rule exists", () => {
    const early = rule("early", "later || is_manager");
    const cache = createRuleCompileCache();
    expect(compileRuleset([early], { cache }).broken.has("early")).toBe(true);
    const later = rule("later", "region === 'R077'");
    const set = compileRuleset([early, later], { cache });
    expect(set.broken.size).toBe(0);
    const employee = { region: "R077", is_manager: false };
    const runner = createPlainLoader()(programText(set.program));
    const codes = runner.run(`${set.rules.length}||\n${JSON.stringify(employee)}`);
    expect(Object.fromEntries(set.rules.map((r, i) => [r.name, codes[i]]))).toEqual({
      early: "1",
      later: "1",
    });
  });

  test("a rule whose name changes, with the same text, gets a new compilation", () => {
    const cache = createRuleCompileCache();
    const a = rule("first_name", "is_manager");
    compileRuleset([a, rule("reader", "first_name")], { cache });
    const set = compileRuleset([{ ...a, name: "second_name", version: 2 }, rule("reader2", "second_name")], {
      cache,
    });
    expect(set.broken.size).toBe(0);
    expect(set.rules.map((r) => r.name).sort()).toEqual(["reader2", "second_name"]);
  });

  test("a cached rule set evaluates like a fresh one, for every employee", () => {
    const rules = generateRules(150, 5);
    const cache = createRuleCompileCache();
    compileRuleset(rules, { cache });
    const next = replace(rules, editRule(rules[3] as RuleDefinition, 9));
    const cached = compileRuleset(next, { cache });
    const fresh = compileRuleset(next);
    const runCached = createPlainLoader()(programText(cached.program));
    const runFresh = createPlainLoader()(programText(fresh.program));
    for (const employee of generateEmployees(50, 3)) {
      const arg = `${next.length}||\n${evidenceFor(fresh.reads, employee)}`;
      expect(runCached.run(arg)).toBe(runFresh.run(arg));
    }
  });
});

describe("the names a rule's check sees", () => {
  test("every rule name but its own, and what was asked is noted", () => {
    const names = new RuleNames(["a", "b", "c"]);
    names.checking("b");
    expect(names.has("a")).toBe(true);
    expect(names.has("b")).toBe(false);
    expect(names.has("zzz")).toBe(false);
    expect(names.size).toBe(2);
    expect([...(names.dependencies() ?? [])]).toEqual([
      ["a", true],
      ["b", false],
      ["zzz", false],
    ]);
    expect([...names]).toEqual(["a", "c"]);
    expect(names.dependencies()).toBeUndefined(); // iterated: it depended on every name
  });
});

describe("lists as the sandbox gets them", () => {
  test("plain strings and numbers as text, anything else as JSON", () => {
    expect(encodeList(["00012345", "S07701"])).toBe("s:00012345,S07701");
    expect(encodeList([1240519, 0.5, -3, 1e21])).toBe("n:1240519,0.5,-3,1e+21");
    expect(encodeList(["a,b", "c"])).toBe('j:["a,b","c"]');
    expect(encodeList(['say "hi"', "x"])).toBe('j:["say \\"hi\\"","x"]');
    expect(encodeList([1, "1", true, null])).toBe('j:[1,"1",true,null]');
  });

  test("every kind of list means in the sandbox what it means in JavaScript", () => {
    const cases: Array<[string, string]> = [
      ["strings", `["a,b", "c\\"d", "ё", "\\u2028", "back\\\\slash"].includes(position)`],
      ["numbers", `[1e21, 0.1, -5, 0x10, 1_000].includes(Number(personnel_number))`],
      ["mixed", `[1, "1", true, null].includes(personnel_number)`],
      ["negative zero", `[-0, 1].some(x => Object.is(x, -0))`],
      ["overflow", `[1e999, 2].includes(Infinity)`],
      ["array itself", `[3, 1, 2].toSorted()[0] === 1 && [3, 1, 2].length === 3`],
      ["helper", `inOrgUnit("50623875", 51893158)`],
    ];
    const set = compileRuleset(cases.map(([, expression], i) => rule(`r${i}`, expression)));
    expect(set.broken.size).toBe(0);
    const runner = createPlainLoader()(programText(set.program));
    const employees = [
      { position: 'c"d', personnel_number: "16", orgunit_path: ["51893158"] },
      { position: "x", personnel_number: "1", orgunit_path: [] },
    ];
    for (const employee of employees) {
      const got = runner.run(`${cases.length}||\n${JSON.stringify(employee)}`);
      const expected = cases
        .map(([, expression]) =>
          new Function(
            "position",
            "personnel_number",
            "orgunit_path",
            `const inOrgUnit = (...ids) => ids.some((id) => orgunit_path.includes(String(id))); return !!(${expression});`,
          )(employee.position, employee.personnel_number, employee.orgunit_path)
            ? "1"
            : "0",
        )
        .join("");
      expect(got).toBe(expected);
    }
  });
});
