/** Messages between the evaluator (main process) and a sandbox process, and what they carry. */
import type { SandboxProgram } from "../compile/program.ts";
import type { RuleFailureKind } from "../types.ts";

/**
 * Why a rule failed: it threw, ran out of memory or stack, ran over its budget, hung the sandbox
 * (the watchdog killed it), crashed it (host-side failure), its program could not be loaded, or
 * QuickJS refused to compile it.
 */
export type ErrorKind = Exclude<RuleFailureKind, "skipped">;

/** [rule index in evaluation order, kind, message]. */
export type RuleError = [number, ErrorKind, string];

export type RestartReason = "crash" | "oom" | "watchdog" | "exit";

export interface EvalRequest {
  version: string;
  /** JSON of the evidence fields the rule set reads. */
  evidence: string;
  /** Indexes of rules that must not run (quarantined). */
  skip: readonly number[];
  budgetMs: number;
  /** One rule per call, reporting progress: used to find the rule that hangs the sandbox. */
  stepwise?: boolean;
}

export interface EvalReply {
  /** One character per rule: "1" true, "0" false, "e" error, "s" did not run. */
  codes: string;
  errors: RuleError[];
  /** Sandboxes rebuilt while answering. */
  restarts: RestartReason[];
}

export interface LoadReply {
  version: string;
  /** Set when the whole program could not be loaded (every rule then fails). */
  error?: string;
  /** Rules QuickJS refused to compile: [index, message]. */
  refused: Array<[number, string]>;
}

export type ToSandbox =
  | { type: "load"; id: number; version: string; program: SandboxProgram }
  | { type: "drop"; version: string }
  | ({ type: "eval"; id: number } & EvalRequest);

export type FromSandbox =
  | { type: "ready" }
  | { type: "loaded"; id: number; reply: LoadReply }
  | { type: "result"; id: number; reply: EvalReply }
  | { type: "progress"; id: number; index: number }
  | { type: "fatal"; message: string };
