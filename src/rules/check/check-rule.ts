/** The static check on save: one expression, allowed syntax only, known names, no cycles. */
import type { ESTree } from "meriyah";
import { LIMITS } from "../limits.ts";
import type { RuleCheck, RuleCheckContext, RuleKind, RuleProblem } from "../types.ts";
import { HELPER_READS } from "../vocabulary.ts";
import { type Analysis, analyzeExpression } from "./analyze.ts";
import { findCycleThrough } from "./cycles.ts";
import { parseExpression, problemAt } from "./parse.ts";

export interface RuleCheckInput {
  kind: RuleKind;
  expression: string;
  appCodes: string[];
}

/** An LK1 application code: ASCII letters, digits and _ (its length is LIMITS.maxAppCodeLength). */
export const LK1_APP_CODE = /^[A-Za-z0-9_]+$/;

/** A checked expression, with the parse tree the compiler continues from. */
export type CheckedExpression =
  | { check: RuleCheck; valid: true; expression: ESTree.Expression; analysis: Analysis }
  | { check: RuleCheck; valid: false };

export function checkRule(input: RuleCheckInput, ctx: RuleCheckContext): RuleCheck {
  return input.kind === "lk1" ? checkLk1(input.appCodes) : checkExpression(input.expression, ctx).check;
}

export function checkLk1(appCodes: readonly string[]): RuleCheck {
  const errors: RuleProblem[] = [];
  const at = (message: string) => errors.push({ message, line: 1, column: 1 });
  if (!Array.isArray(appCodes) || appCodes.length === 0)
    at("an LK1 rule needs at least one application code");
  else if (appCodes.length > LIMITS.maxAppCodes)
    at(`an LK1 rule takes at most ${LIMITS.maxAppCodes} application codes`);
  else {
    appCodes.forEach((code, i) => {
      if (typeof code !== "string" || !LK1_APP_CODE.test(code) || code.length > LIMITS.maxAppCodeLength) {
        at(
          `application code #${i + 1} ${JSON.stringify(code)} must be 1–${LIMITS.maxAppCodeLength} letters, digits or _`,
        );
      }
    });
  }
  return { valid: errors.length === 0, errors, variables: ["apps"], rules: [], helpers: [] };
}

export function checkExpression(source: string, ctx: RuleCheckContext): CheckedExpression {
  const fail = (errors: RuleProblem[]): CheckedExpression => ({
    valid: false,
    check: { valid: false, errors, variables: [], rules: [], helpers: [] },
  });
  if (typeof source !== "string" || source.trim() === "") {
    return fail([{ message: "the expression is empty", line: 1, column: 1 }]);
  }
  if (source.length > LIMITS.maxExpressionLength) {
    return fail([
      {
        message: `the expression is too long (${source.length} characters; the limit is ${LIMITS.maxExpressionLength})`,
        line: 1,
        column: 1,
      },
    ]);
  }
  const parsed = parseExpression(source);
  if (!parsed.ok) return fail([parsed.problem]);
  const analysis = analyzeExpression(parsed.expression, {
    isRule: (name) => ctx.ruleNames.has(name),
    ruleNames: ctx.ruleNames,
    selfName: ctx.selfName,
  });
  const errors = [...analysis.problems];
  if (ctx.selfName !== undefined && ctx.dependencies && errors.length === 0) {
    const cycle = findCycleThrough(ctx.selfName, analysis.rules.keys(), ctx.dependencies);
    const first = cycle?.[1];
    if (cycle && first !== undefined)
      errors.push(problemAt(analysis.rules.get(first), `cycle: ${cycle.join(" → ")}`));
  }
  const check: RuleCheck = {
    valid: errors.length === 0,
    errors,
    variables: [...readsOf(analysis)].sort(),
    rules: [...analysis.rules.keys()].sort(),
    helpers: [...analysis.helpers].sort(),
  };
  return check.valid
    ? { check, valid: true, expression: parsed.expression, analysis }
    : { check, valid: false };
}

/** Evidence the expression depends on, including what its helpers and `new Date()` read. */
export function readsOf(analysis: Analysis): Set<string> {
  const reads = new Set(analysis.evidence);
  for (const helper of analysis.helpers) for (const name of HELPER_READS[helper] ?? []) reads.add(name);
  if (analysis.readsNow) reads.add("now");
  return reads;
}
