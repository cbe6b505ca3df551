/**
 * The rule engine's public shapes. The service, the catalog snapshot and the admin API depend
 * only on these and on the functions exported from src/rules/index.ts.
 */

/** `expression`: one JS expression. `lk1`: legacy LK1 rule, true when `apps` holds any code. */
export type RuleKind = "expression" | "lk1";

export interface RuleDefinition {
  id: number;
  name: string; // JS identifier, unique; other rules refer to it by this name
  kind: RuleKind;
  expression: string; // for kind "lk1": ignored (may be "")
  appCodes: string[]; // for kind "lk1"; [] otherwise
  version: number;
}

export interface RuleProblem {
  message: string;
  line: number; // 1-based
  column: number; // 1-based
}

export interface RuleCheck {
  valid: boolean;
  errors: RuleProblem[];
  /** Evidence variables the expression reads (sorted). */
  variables: string[];
  /** Other rules it refers to by name (sorted). */
  rules: string[];
  /** Helpers it calls (sorted). */
  helpers: string[];
}

/** What the static check of one expression needs to know about the world. */
export interface RuleCheckContext {
  /** Names of the other rules (excluding the rule being checked). */
  ruleNames: ReadonlySet<string>;
  /** For cycle detection: each existing rule's name → the rule names it refers to. */
  dependencies?: ReadonlyMap<string, readonly string[]>;
  /** The name of the rule being checked (for cycles through itself). */
  selfName?: string;
}

/**
 * How a rule failed: it threw, ran out of memory or stack, ran over its CPU budget, hung or
 * crashed a sandbox, could not be loaded or compiled, did not run (quarantined or broken).
 */
export type RuleFailureKind =
  | "throw"
  | "oom"
  | "stack"
  | "budget"
  | "hang"
  | "crash"
  | "load"
  | "compile"
  | "skipped";

export type RuleOutcome = { ok: true; value: boolean } | { ok: false; error: string; kind: RuleFailureKind };

/** Every rule's outcome for one employee, by rule name. */
export type RuleResults = ReadonlyMap<string, RuleOutcome>;
