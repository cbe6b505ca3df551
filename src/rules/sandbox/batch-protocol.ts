/** Messages between the impact estimate's pool (batch-pool.ts) and its sandbox processes. */
import type { SandboxProgram } from "../compile/program.ts";

/** [personnel number, kind, message] of an employee the rule failed for. */
export type BatchFailure = [string, string, string];

export interface BatchEstimateRequest {
  program: SandboxProgram;
  /** Index of the rule whose result is counted (the others are the rules it reads). */
  target: number;
  /** Evidence fields the rule set reads (CompiledRuleset.reads). */
  reads: readonly string[];
  /** JSON of the request extras (today, now, platform), the same for every employee. */
  extrasJson: string;
  /** Personnel numbers kept of each kind (matching, not). */
  samples: number;
  /** CPU budget of one employee (the employee sandbox's). */
  budgetMs: number;
  /** The estimate stops (cut short) after this long, whatever the rule does. */
  timeLimitMs: number;
  /** ... or after this many employees overran the budget. */
  maxOverruns: number;
}

export interface BatchEstimateReply {
  evaluated: number;
  total: number;
  matches: number;
  not: number;
  errors: number;
  matching: string[];
  others: string[];
  failed: BatchFailure[];
  /** Why not every employee was evaluated. */
  cutShort?: string;
  /** The rule ran the sandbox out of memory: its room is rebuilt (and the data loaded again). */
  outOfMemory: boolean;
  ms: number;
}

export type ToBatch =
  | { type: "clear"; id: number }
  | { type: "append"; id: number; chunk: string }
  | { type: "fit"; id: number }
  | ({ type: "estimate"; id: number } & BatchEstimateRequest);

export type FromBatch =
  | { type: "ready" }
  | { type: "done"; id: number; size: number }
  | { type: "estimated"; id: number; reply: BatchEstimateReply }
  | { type: "progress"; id: number }
  | { type: "fatal"; message: string };
