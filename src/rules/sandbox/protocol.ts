/** Messages between the evaluator (main process) and a sandbox process, and what they carry. */

import type { RuleFailureKind } from "../types.ts";
import type { ProgramDelta } from "./delta.ts";

/**
 * Why a rule failed: it threw, ran out of memory or stack, ran over its budget, hung the sandbox
 * (the watchdog killed it), crashed it (host-side failure), its program could not be loaded, or
 * QuickJS refused to compile it.
 */
export type ErrorKind = Exclude<RuleFailureKind, "skipped">;

/** [rule index in evaluation order, kind, message]. */
export type RuleError = [number, ErrorKind, string];

export type RestartReason = "crash" | "oom" | "watchdog" | "exit";

/** One evaluation: one employee's evidence against one loaded rule set. */
export interface EvalRequest {
  /** The loaded rule set (see compile/ruleset.ts: the identity of its content). */
  rulesetKey: string;
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

/**
 * Several evaluations of one rule set in one message each way: under load the queue holds many
 * requests, and one crossing for several of them saves the per-message cost (a wake-up of each
 * process, IPC framing, the event-loop turn) on every one but the first (bench/crossing.ts).
 */
export interface EvalBatch {
  rulesetKey: string;
  budgetMs: number;
  stepwise?: boolean;
  items: ReadonlyArray<{ evidence: string; skip: readonly number[] }>;
  /**
   * The sandbox stops the batch after the item that took it past this long, and the rest come back
   * unanswered, to run in the next free process: nobody waits behind a slow evaluation (a rule
   * that ran to its budget), and the watchdog's silence is per evaluation, not per batch.
   */
  batchLimitMs: number;
}

export interface LoadReply {
  rulesetKey: string;
  /** Set when the whole program could not be loaded (every rule then fails). */
  error?: string;
  /** Rules QuickJS refused to compile: [index, message]. */
  refused: Array<[number, string]>;
}

export type ToSandbox =
  | { type: "load"; id: number; rulesetKey: string; program: ProgramDelta }
  | { type: "drop"; rulesetKey: string }
  | ({ type: "eval"; id: number } & EvalBatch);

export type FromSandbox =
  | { type: "ready" }
  | { type: "loaded"; id: number; reply: LoadReply }
  /** One reply per item of the batch, in order. */
  | { type: "result"; id: number; replies: EvalReply[] }
  | { type: "progress"; id: number; index: number }
  | { type: "fatal"; message: string };
