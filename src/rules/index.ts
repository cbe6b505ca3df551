/**
 * The rule engine's public surface. The catalog, the HTTP layer and the admin API use only what
 * is exported here (docs/rules.md is the admins' guide to the rules themselves).
 *
 *   checkRule        static check on save (syntax allow-list, names, cycles, limits)
 *   compileRuleset   enabled rules → one sandbox program (pure; never throws for a bad rule;
 *                    given a createRuleCompileCache(), reuses unchanged rules' compilations)
 *   createRuleEvaluator  sandboxed evaluation: one crossing per request, result cache,
 *                    budgets, watchdog, quarantine
 */

import { checkRule as check, type RuleCheckInput } from "./check/check-rule.ts";
import type { RuleCheck, RuleCheckContext } from "./types.ts";
import { HELPER_NAMES } from "./vocabulary.ts";

export type { RuleCheckInput } from "./check/check-rule.ts";
export { LK1_APP_CODE } from "./check/check-rule.ts";
export { ruleNameProblem } from "./check/names.ts";
export { findSlips, type RuleSlip, type SlipKind } from "./check/slips.ts";
export type { RuleCompileCache } from "./compile/rule.ts";
export { createRuleCompileCache } from "./compile/rule.ts";
export type { CompiledRule, CompiledRuleset, CompileOptions } from "./compile/ruleset.ts";
export { compileRuleset } from "./compile/ruleset.ts";
export type { EvaluationReport, RuleEvaluator, RuleEvaluatorOptions } from "./evaluator/evaluator.ts";
export { createRuleEvaluator } from "./evaluator/evaluator.ts";
export { LIMITS } from "./limits.ts";
export { type BatchPool, BatchPoolBusy, BatchPoolEmpty, createBatchPool } from "./sandbox/batch-pool.ts";
export type { BatchEstimateReply, BatchEstimateRequest } from "./sandbox/batch-protocol.ts";
export { textMatches } from "./sandbox/library.ts";
export type * from "./types.ts";
export { HELPER_READS } from "./vocabulary.ts";

/** Helper functions a rule may call (documented in docs/rules.md). */
export const HELPERS: readonly string[] = HELPER_NAMES;

/** The static check on save: syntax, allow-list, free variables, rule references, cycles. */
export function checkRule(input: RuleCheckInput, ctx: RuleCheckContext): RuleCheck {
  return check(input, ctx);
}
