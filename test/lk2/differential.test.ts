/**
 * The translator against real Python: every rule of the corpus, evaluated by python3 the way LK2
 * does (builtins emptied, only LK2's built-ins given) and by our engine after translation, for a
 * few thousand demo employees, must agree for every rule and employee.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ruleNameProblem } from "../../src/admin/rules/names.ts";
import { planRules } from "../../src/lk2/index.ts";
import { createMemoryLogger } from "../../src/log.ts";
import { compileRuleset, createRuleEvaluator, type RuleEvaluator } from "../../src/rules/index.ts";
import { CORPUS } from "./corpus.ts";
import { demoEmployees, runLk2Reference } from "./support.ts";

const EMPLOYEES = demoEmployees(3000);
let evaluator: RuleEvaluator;

beforeAll(() => {
  evaluator = createRuleEvaluator({
    budgetMs: 500,
    workers: 1,
    logger: createMemoryLogger(),
    resultCacheSize: 0,
  });
});
afterAll(() => evaluator.close());

describe("translated LK2 rules mean what they mean in Python", () => {
  const planned = planRules(CORPUS, { taken: new Set(), nameProblem: ruleNameProblem });

  test("every rule of the corpus is translated, not refused", () => {
    const refused = planned.filter((rule) => rule.outcome === "refused");
    expect(
      refused.map(
        (rule) => `#${rule.lk2Id} ${rule.python}: ${rule.refusal?.construct} — ${rule.refusal?.reason}`,
      ),
    ).toEqual([]);
    expect(planned.find((rule) => rule.lk2Id === 96)?.outcome).toBe("lk1");
    expect(planned.find((rule) => rule.lk2Id === 97)?.outcome).toBe("translated");
    expect(planned.find((rule) => rule.lk2Id === 94)?.outcome).toBe("not_executable");
  });

  test("python3 and our engine agree for every rule and employee", async () => {
    const reference = runLk2Reference({ rules: CORPUS, employees: EMPLOYEES });
    const ruleset = compileRuleset(
      planned
        .filter((rule) => rule.enabled)
        .map((rule, i) => ({
          id: i + 1,
          name: rule.name,
          kind: rule.kind,
          expression: rule.expression,
          appCodes: rule.appCodes,
          version: 1,
        })),
    );
    expect([...ruleset.broken]).toEqual([]);

    const mismatches: string[] = [];
    let compared = 0;
    const trueCount = new Map<number, number>();
    for (const [i, evidence] of EMPLOYEES.entries()) {
      const ours = await evaluator.evaluate(ruleset, evidence);
      const theirs = reference.results[i] ?? {};
      for (const rule of planned) {
        const outcome = ours.get(rule.name);
        const mine = rule.enabled ? outcome?.ok === true && outcome.value : false;
        const python = theirs[String(rule.lk2Id)];
        compared += 1;
        if (python) trueCount.set(rule.lk2Id, (trueCount.get(rule.lk2Id) ?? 0) + 1);
        if (mine !== python && mismatches.length < 30) {
          const error = outcome && !outcome.ok ? ` (${outcome.error})` : "";
          mismatches.push(
            `#${rule.lk2Id} ${evidence.personnel_number}: python ${python}, ours ${mine}${error} — ${rule.expression}`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBe(EMPLOYEES.length * CORPUS.length);
    console.log(
      `differential: ${compared} rule × employee pairs compared (${CORPUS.length} rules, ${EMPLOYEES.length} employees)`,
    );
    // A rule true (or false) for everyone tests little: most rules must split the employees.
    const splitting = planned.filter((rule) => {
      const count = trueCount.get(rule.lk2Id) ?? 0;
      return count > 0 && count < EMPLOYEES.length;
    });
    expect(splitting.length).toBeGreaterThan(CORPUS.length * 0.6);
  }, 120_000);
});
