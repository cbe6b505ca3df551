/**
 * The rule engine's public surface. STUB: the rule-engine work replaces these bodies.
 * Signatures are the contract the catalog, the HTTP layer and the admin API code against.
 */
import type { Evidence } from "../evidence/schema.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import type { RuleCheck, RuleCheckContext, RuleDefinition, RuleKind, RuleResults } from "./types.ts";

export type * from "./types.ts";

/** Helper functions a rule may call (documented in docs/rules.md). */
export const HELPERS: readonly string[] = [];

export interface RuleInput {
  kind: RuleKind;
  expression: string;
  appCodes: string[];
}

/** The static check on save: syntax, allow-list, free variables, rule references, cycles. */
export function checkRule(_input: RuleInput, _ctx: RuleCheckContext): RuleCheck {
  throw new Error("not implemented");
}

export interface CompiledRuleset {
  /** Identifies this rule set (changes whenever any rule's id/version/enabled set changes). */
  readonly version: string;
  /** Rules in evaluation (dependency) order. */
  readonly rules: ReadonlyArray<{ id: number; name: string }>;
  /** Rules that could not be compiled, by name, with why; they evaluate as errors (false). */
  readonly broken: ReadonlyMap<string, string>;
  /** Evidence variables any rule reads: the result cache key is built from these only. */
  readonly reads: readonly string[];
}

/** Pure: rule definitions → one sandbox program. Never throws for a bad rule; marks it broken. */
export function compileRuleset(_rules: readonly RuleDefinition[]): CompiledRuleset {
  throw new Error("not implemented");
}

export interface RuleEvaluator {
  /** Loads a compiled rule set into the sandboxes ahead of use (the catalog awaits this). */
  prepare(ruleset: CompiledRuleset): Promise<void>;
  /** Every rule's outcome for one employee: one sandbox crossing, never throws. */
  evaluate(ruleset: CompiledRuleset, evidence: Evidence): Promise<RuleResults>;
  close(): Promise<void>;
}

export interface RuleEvaluatorOptions {
  budgetMs: number;
  workers: number;
  logger: Logger;
  metrics?: Metrics;
  resultCacheSize?: number;
}

export function createRuleEvaluator(_options: RuleEvaluatorOptions): RuleEvaluator {
  throw new Error("not implemented");
}
