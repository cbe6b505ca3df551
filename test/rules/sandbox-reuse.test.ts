import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { programText } from "../../src/rules/compile/program.ts";
import { evidenceFor } from "../../src/rules/evaluator/evidence-key.ts";
import {
  type CompiledRuleset,
  compileRuleset,
  createRuleCompileCache,
  type RuleDefinition,
} from "../../src/rules/index.ts";
import { createEngine, type Engine } from "../../src/rules/sandbox/engine.ts";
import type { InstallWork } from "../../src/rules/sandbox/room.ts";
import { createPlainLoader } from "../support/plain-loader.ts";
import { editRule, generateEmployees, generateLargeRules, generateRules } from "../support/rule-fixtures.ts";
import { rule } from "./support.ts";

// Inside a sandbox, a new version of the rule set compiles only the rule units (and decodes only
// the lists) the sandbox does not hold yet; what it evaluates is exactly what a sandbox loaded
// from scratch evaluates.

let engine: Engine;
const installs: InstallWork[] = [];
const lastInstall = () => installs[installs.length - 1];
beforeAll(async () => {
  engine = await createEngine({ onInstall: (work) => installs.push({ ...work }) });
});
afterAll(() => engine.dispose());

const replace = (rules: RuleDefinition[], changed: RuleDefinition) =>
  rules.map((r) => (r.id === changed.id ? changed : r));

async function load(set: CompiledRuleset, into = engine) {
  // As the pool sends it: through JSON.
  const reply = await into.load(set.rulesetKey, JSON.parse(JSON.stringify(set.program)));
  expect(reply.error).toBeUndefined();
  return reply;
}

async function codes(set: CompiledRuleset, evidence: string, on = engine) {
  const reply = await on.evaluate({ rulesetKey: set.rulesetKey, evidence, skip: [], budgetMs: 1000 });
  return reply.codes + (reply.errors.length > 0 ? JSON.stringify(reply.errors) : "");
}

describe("loading a new version of the rule set", () => {
  test("compiles only the units and lists it does not hold", async () => {
    const rules = [
      ...generateRules(60, 11),
      ...generateLargeRules(4, 4_000).map((r) => ({ ...r, id: r.id + 100 })),
    ];
    const cache = createRuleCompileCache();
    const first = compileRuleset(rules, { cache });
    await load(first);
    const units = new Set(first.program.rules.flatMap((r) => (r ? [r.key] : []))).size;
    expect(lastInstall()).toEqual({ units, lists: first.program.lists.length });

    // One long rule edited: its unit and its new list, nothing else.
    const large = rules.find((r) => r.name === "large_2") as RuleDefinition;
    const second = compileRuleset(replace(rules, editRule(large, 1)), { cache });
    await load(second);
    expect(lastInstall()).toEqual({ units: 1, lists: 1 });

    // Rolled back (a new version, with the old text): the sandbox still holds that unit.
    await load(compileRuleset(replace(rules, { ...large, version: 3 }), { cache }));
    expect(lastInstall()).toEqual({ units: 0, lists: 0 });
  });

  test("evaluates exactly like a sandbox that loaded the version from scratch", async () => {
    let rules = generateRules(120, 21);
    const cache = createRuleCompileCache();
    await load(compileRuleset(rules, { cache }));
    const fresh = await createEngine();
    try {
      for (let edit = 1; edit <= 4; edit++) {
        rules = replace(rules, editRule(rules[(edit * 29) % rules.length] as RuleDefinition, edit));
        const set = compileRuleset(rules, { cache });
        await load(set);
        await load(compileRuleset(rules), fresh);
        const plain = createPlainLoader()(programText(set.program));
        for (const employee of generateEmployees(25, edit)) {
          const evidence = evidenceFor(set.reads, employee);
          const got = await codes(set, evidence);
          expect(got).toBe(await codes(set, evidence, fresh));
          expect(got).toBe(plain.run(`${set.rules.length}||\n${evidence}`));
        }
      }
    } finally {
      fresh.dispose();
    }
  });

  test("a rule that depends on an edited rule reads its new value", async () => {
    const base = rule("base", "region === 'R077'");
    const uses = rule("uses", "base && is_manager");
    const v1 = compileRuleset([base, uses]);
    await load(v1);
    const v2 = compileRuleset([{ ...base, version: 2, expression: "region === 'R078'" }, uses]);
    await load(v2);
    expect(lastInstall()).toEqual({ units: 1, lists: 0 });
    const evidence = JSON.stringify({ region: "R078", is_manager: true });
    expect(await codes(v1, evidence)).toBe("00");
    expect(await codes(v2, evidence)).toBe("11");
  });

  test("what no loaded version uses any more is released, and compiled again if needed", async () => {
    const own = await createEngine({ onInstall: (work) => installs.push({ ...work }) });
    try {
      const a = rule("a", '["x1", "x2", "x3"].includes(position)');
      const b = rule("b", "is_manager");
      const v1 = compileRuleset([a, b]);
      const v2 = compileRuleset([{ ...a, version: 2, expression: '["y1", "y2"].includes(position)' }, b]);
      await load(v1, own);
      await load(v2, own);
      expect(lastInstall()).toEqual({ units: 1, lists: 1 });
      own.drop(v1.rulesetKey);
      // v1's rule `a` and its list are gone from the sandbox: loading v1 again rebuilds them.
      await load(v1, own);
      expect(lastInstall()).toEqual({ units: 1, lists: 1 });
      expect(await codes(v1, JSON.stringify({ position: "x2", is_manager: false }), own)).toBe("10");
      expect(await codes(v2, JSON.stringify({ position: "x2", is_manager: false }), own)).toBe("00");
    } finally {
      own.dispose();
    }
  });

  test("a version in use keeps working while newer ones load", async () => {
    const rules = generateRules(40, 31);
    const cache = createRuleCompileCache();
    const old = compileRuleset(rules, { cache });
    await load(old);
    const evidence = evidenceFor(old.reads, generateEmployees(1, 9)[0] as never);
    const before = await codes(old, evidence);
    let current = rules;
    for (let edit = 1; edit <= 3; edit++) {
      current = replace(current, editRule(current[edit] as RuleDefinition, edit));
      await load(compileRuleset(current, { cache }));
      expect(await codes(old, evidence)).toBe(before);
    }
  });
});
