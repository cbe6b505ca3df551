/**
 * Requests waiting for a sandbox, and how the pool groups them: several requests for the same
 * rule set cross to a process in one message (see protocol.ts, EvalBatch).
 */
import type { SandboxProgram } from "../compile/program.ts";
import type { EvalReply, RestartReason, RuleError, ToSandbox } from "./protocol.ts";
import { failAll, killersIn, withCulprits } from "./replies.ts";

export interface PoolEvalInput {
  rulesetKey: string;
  program: SandboxProgram;
  evidence: string;
  /** Indexes of rules that must not run; called when the request is handed to a process. */
  skip: () => Iterable<number>;
  budgetMs: number;
  /** A rule of this program hung, crashed or exhausted a sandbox (called before any answer). */
  onKiller?: (index: number, kind: RuleError[1]) => void;
}

export interface EvalTask {
  input: PoolEvalInput;
  /** Kills this request has caused so far; at MAX_KILLS it is answered with errors. */
  kills: RestartReason[];
  /** Rules found to hang a sandbox on this request's behalf. */
  culprits: number[];
  /** It was in a batch whose process was killed: it crosses alone from now on (see takeBatch). */
  alone?: boolean;
  resolve: (reply: EvalReply) => void;
}

/** A request that has killed this many processes is answered with errors, not run again. */
export const MAX_KILLS = 2;

/**
 * Takes up to `size` waiting requests that can cross together: the same rule set and budget as
 * the first one that may run. A request that was in a killed process goes alone, so that the one
 * that hangs a sandbox is found on its own (and its culprit searched with its own evidence), and
 * its neighbours are not blamed.
 */
export function takeBatch(queue: EvalTask[], mayRun: (task: EvalTask) => boolean, size: number): EvalTask[] {
  const first = queue.findIndex(mayRun);
  const lead = queue[first];
  if (lead === undefined) return [];
  const batch = [lead];
  queue.splice(first, 1);
  const single = (task: EvalTask) => task.alone === true || task.kills.length > 0;
  if (single(lead)) return batch;
  for (let i = first; i < queue.length && batch.length < size; ) {
    const task = queue[i] as EvalTask;
    const fits =
      !single(task) &&
      task.input.rulesetKey === lead.input.rulesetKey &&
      task.input.budgetMs === lead.input.budgetMs;
    if (fits) {
      batch.push(task);
      queue.splice(i, 1);
    } else i += 1;
  }
  return batch;
}

/** The message for a batch; which rules to skip is read now, as it goes to a process. */
export function batchMessage(
  batch: readonly EvalTask[],
  batchLimitMs: number,
  stepwise = false,
): Omit<Extract<ToSandbox, { type: "eval" }>, "id"> {
  const lead = batch[0]?.input;
  return {
    type: "eval",
    rulesetKey: lead?.rulesetKey ?? "",
    budgetMs: lead?.budgetMs ?? 0,
    stepwise,
    batchLimitMs,
    items: batch.map((task) => ({
      evidence: task.input.evidence,
      skip: [...new Set([...task.input.skip(), ...task.culprits])],
    })),
  };
}

/**
 * Answers the requests of a batch that got a reply, after reporting the rules that broke the
 * sandbox. The sandbox stops a batch after a reply that left it untrusted (out of memory, or
 * rebuilt), or once the batch has taken its time limit: the requests after it are returned, to
 * run again elsewhere (after an untrusted reply with the rule that broke it quarantined by then).
 * `untrusted`: why the process must not serve again.
 */
export function answerBatch(
  batch: readonly EvalTask[],
  replies: readonly EvalReply[],
  hardDeadlineMs: number,
): { untrusted?: RestartReason; unanswered: EvalTask[] } {
  let untrusted: RestartReason | undefined;
  batch.forEach((task, k) => {
    const reply = replies[k];
    if (!reply) return;
    for (const [i, kind] of killersIn(reply)) task.input.onKiller?.(i, kind);
    if (reply.restarts.length > 0) untrusted ??= reply.restarts[0] ?? "crash";
    task.resolve(withCulprits(reply, task.kills, task.culprits, hardDeadlineMs));
  });
  return { untrusted, unanswered: batch.slice(replies.length) };
}

/** A request answered with errors for every rule. */
export function giveUp(task: EvalTask, why: string, hardDeadlineMs: number): void {
  const reply = failAll(task.input.program.rules.length, "crash", why, task.kills);
  task.resolve(withCulprits(reply, [], task.culprits, hardDeadlineMs));
}
