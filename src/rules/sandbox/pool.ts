/**
 * The sandbox processes that evaluate rules, and how a rule that breaks one is kept from
 * harming anyone else:
 *  - Requests wait in one queue; an idle process takes the next, or its share of the waiting
 *    requests of one rule set in one message when many wait (tasks.ts: one crossing for several
 *    saves the per-message cost on all but the first). Which rules to skip (quarantined ones) is
 *    read when a request is handed to a process, not when it was queued.
 *  - A process that stops answering (the watchdog: no word within the hard deadline) or dies is
 *    killed and its place taken at once by a warm spare, with the current programs loaded; a new
 *    spare boots in the background. So is a process whose sandbox ran out of memory.
 *  - After a kill, the rule to blame is found in a spare process that serves no traffic: it
 *    re-runs the request one rule at a time, each rule announced before it starts, so the rule
 *    running when the watchdog fires again is the culprit. Meanwhile requests for that rule set
 *    wait instead of hanging more processes, and are then handed out with the culprit skipped.
 *  - A rule that ran out of memory or hung a process is reported through `onKiller` at once (the
 *    evaluator quarantines it); the request that found it gets it as a "hang" or "oom" error.
 * Nothing here rejects: every failure becomes per-rule errors.
 */
import type { SandboxProgram } from "../compile/program.ts";
import { SandboxProcess } from "./process.ts";
import type { EvalReply, LoadReply, RestartReason } from "./protocol.ts";
import { failAll, killersIn } from "./replies.ts";
import {
  answerBatch,
  batchMessage,
  type EvalTask,
  giveUp,
  MAX_KILLS,
  type PoolEvalInput,
  takeBatch,
} from "./tasks.ts";

export type { PoolEvalInput } from "./tasks.ts";

export interface PoolOptions {
  /** Processes serving requests. */
  size: number;
  /** Warm processes kept ready to take the place of a killed one (and to find culprits). */
  spares?: number;
  /** How long a sandbox may stay silent on one request. */
  hardDeadlineMs: number;
  /** The CPU budget of one evaluation (sets how long a search may wait on one rule). */
  budgetMs?: number;
  /** How long loading one program may take. */
  loadTimeoutMs?: number;
  /** Loaded programs each process keeps (the current rule set and a few before it). */
  keepRulesets?: number;
  /** A sandbox process reported something it could not handle (it is replaced). */
  onFatal?: (message: string) => void;
  /** A process was killed or died and was replaced. */
  onRestart?: (reason: RestartReason) => void;
  /** Most requests of one rule set that cross to a process in one message. Default 8. */
  maxBatch?: number;
  /** Called with the number of requests in each evaluation message sent (a spy for tests). */
  onCrossing?: (requests: number) => void;
}

export interface SandboxPool {
  /** Loads a program into every serving process, one after another; one reply per process. */
  load(rulesetKey: string, program: SandboxProgram): Promise<LoadReply[]>;
  evaluate(input: PoolEvalInput): Promise<EvalReply>;
  close(): Promise<void>;
}

/** Boot failures in a row after which queued requests are answered with errors. */
const MAX_BOOT_FAILURES = 3;

export function createSandboxPool(options: PoolOptions): SandboxPool {
  return new ProcessPool(options);
}

class ProcessPool implements SandboxPool {
  private readonly active: SandboxProcess[];
  private readonly spares: SandboxProcess[] = [];
  private readonly queue: EvalTask[] = [];
  /** Programs new processes load before they serve, newest last. */
  private readonly programs = new Map<string, SandboxProgram>();
  /** Rule sets whose culprit is being looked for: their requests wait. */
  private readonly searching = new Set<string>();
  private readonly spareCount: number;
  /**
   * Silence allowed per rule while searching: each rule is announced before it starts and its
   * own budget stops it long before this, so the search can be quicker to judge than the
   * watchdog on a whole request.
   */
  private readonly searchDeadlineMs: number;
  private readonly keepRulesets: number;
  private readonly maxBatch: number;
  private bootFailures = 0;
  /** False until the first program is loaded or a process is replaced: spares wait till then. */
  private sparesWanted = false;
  private closed = false;

  constructor(private readonly options: PoolOptions) {
    this.keepRulesets = options.keepRulesets ?? 4;
    this.maxBatch = Math.max(1, options.maxBatch ?? 8);
    this.spareCount = Math.max(1, options.spares ?? 2);
    this.searchDeadlineMs = Math.min(options.hardDeadlineMs, Math.max(100, 2 * (options.budgetMs ?? 50)));
    this.active = Array.from({ length: Math.max(1, options.size) }, () => this.spawn());
  }

  async load(rulesetKey: string, program: SandboxProgram): Promise<LoadReply[]> {
    const first = this.programs.size === 0;
    this.programs.delete(rulesetKey);
    this.programs.set(rulesetKey, program);
    while (this.programs.size > this.keepRulesets) {
      const oldest = this.programs.keys().next().value;
      if (oldest === undefined) break;
      this.programs.delete(oldest);
    }
    // One serving process at a time, so the others keep answering meanwhile; the spares after
    // them, so that they do not compete for the cores while the serving ones load.
    // The very first program (at start, before any traffic) goes to all of them at once.
    const replies: LoadReply[] = [];
    if (first)
      replies.push(
        ...(await Promise.all(this.active.map((_, i) => this.loadIntoSlot(i, rulesetKey, program)))),
      );
    else
      for (let i = 0; i < this.active.length; i += 1)
        replies.push(await this.loadIntoSlot(i, rulesetKey, program));
    // The first program is in: now is the time to boot the spares (at start they would only
    // slow the serving processes down); new ones load the newest programs as they come up.
    this.sparesWanted = true;
    for (const spare of this.spares) void this.loadInto(spare, rulesetKey, program);
    this.refillSpares();
    return replies;
  }

  evaluate(input: PoolEvalInput): Promise<EvalReply> {
    if (this.closed)
      return Promise.resolve(failAll(input.program.rules.length, "crash", "the evaluator is closed"));
    if (!this.canSpawn() && this.active.every((p) => p.isDead)) this.bootFailures = 0; // try again
    return new Promise((resolve) => {
      this.queue.push({ input, kills: [], culprits: [], resolve });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of [...this.active, ...this.spares]) p.kill();
    for (const task of this.queue.splice(0)) this.giveUp(task, "the evaluator is closed");
  }

  /**
   * Hands queued requests to idle processes, several to a process when many wait: each idle
   * process takes its share of the queue (so that one does not take it all while another idles),
   * at most maxBatch, of one rule set.
   */
  private pump(): void {
    if (this.closed) return;
    for (const p of this.active) if (p.isDead && this.canSpawn()) this.replace(p, "exit");
    if (this.queue.length > 0 && !this.canSpawn() && !this.active.some((p) => p.isReady)) {
      // Processes cannot start: answer now rather than keep requests waiting for ever.
      for (const task of this.queue.splice(0)) this.giveUp(task, "the sandbox process could not start");
      this.bootFailures = 0; // the next request tries again
      return;
    }
    const idle = this.active.filter((p) => !p.busy && p.isReady);
    const mayRun = (t: EvalTask) => !this.searching.has(t.input.rulesetKey);
    for (const [k, p] of idle.entries()) {
      const share = Math.ceil(this.queue.length / (idle.length - k));
      const batch = takeBatch(this.queue, mayRun, Math.min(this.maxBatch, Math.max(1, share)));
      if (batch.length === 0) return;
      void p.exclusive(() => this.run(p, batch)).finally(() => this.pump());
    }
  }

  private async run(p: SandboxProcess, batch: EvalTask[]): Promise<void> {
    const lead = batch[0]?.input;
    if (!lead) return;
    const loaded = await p.ensureLoaded(lead.rulesetKey, lead.program);
    if (!loaded) {
      this.replace(p, "exit");
      this.again(batch, "exit");
      return;
    }
    const { hardDeadlineMs } = this.options;
    this.options.onCrossing?.(batch.length);
    const answer = await p.evaluate(batchMessage(batch, hardDeadlineMs / 10), hardDeadlineMs);
    if (answer.ok && answer.message.type === "result") {
      const { untrusted, unanswered } = answerBatch(batch, answer.message.replies, hardDeadlineMs);
      this.queue.unshift(...unanswered);
      // A sandbox that ran out of memory or was rebuilt is not trusted with the next request.
      if (untrusted) this.replace(p, untrusted);
      return;
    }
    // The search for the culprit takes the warmest spare first; the slot is refilled after.
    const reason = answer.ok ? "exit" : answer.reason;
    this.retire(p, reason);
    this.again(batch, reason);
    this.replace(p, reason);
  }

  /**
   * A batch whose process was killed or died. Which of them broke it is not known: the culprit is
   * searched for with the first one's evidence (a rule that hangs for everyone is found at once),
   * and the others run again alone, so that one whose own evidence hangs a sandbox is retried and
   * searched for as a request on its own is, and nobody else is blamed.
   */
  private again(batch: readonly EvalTask[], reason: RestartReason): void {
    const [first, ...rest] = batch;
    for (const task of rest) task.alone = true;
    this.queue.unshift(...rest);
    if (first) this.retry(first, reason);
  }

  /** After a kill: the request waits while its culprit is looked for, then runs again. */
  private retry(task: EvalTask, reason: RestartReason): void {
    task.kills.push(reason);
    if (task.kills.length >= MAX_KILLS) {
      const why =
        reason === "watchdog"
          ? `the sandbox stopped answering (killed by the watchdog after ${this.options.hardDeadlineMs} ms)`
          : "the sandbox process died";
      this.giveUp(task, why);
      return;
    }
    this.queue.unshift(task);
    void this.findCulprit(task);
  }

  /**
   * Re-runs the request that killed a process one rule at a time in a spare: if the spare is
   * killed too, the rule it had announced is the culprit. One culprit per search, so the
   * requests waiting on it go on at once; a second rule that hangs is found by the next kill.
   */
  private async findCulprit(task: EvalTask): Promise<void> {
    const { input } = task;
    if (this.searching.has(input.rulesetKey)) return;
    this.searching.add(input.rulesetKey);
    try {
      const p = await this.takeSpare();
      if (!p || this.closed) return;
      const answer = await p.exclusive(async () => {
        if (!(await p.ensureLoaded(input.rulesetKey, input.program))) return undefined;
        return p.evaluate(batchMessage([task], this.searchDeadlineMs / 4, true), this.searchDeadlineMs);
      });
      if (answer?.ok && answer.message.type === "result") {
        // It ran through (the hang depended on timing): nobody to blame this time.
        const reply = answer.message.replies[0] ?? failAll(0, "crash", "");
        for (const [i, kind] of killersIn(reply)) input.onKiller?.(i, kind);
        if (reply.restarts.length > 0) this.retire(p, reply.restarts[0] ?? "crash");
        else this.spares.unshift(p);
        return;
      }
      const culprit = p.lastProgress;
      this.retire(p, answer?.ok === false ? answer.reason : "exit");
      if (answer === undefined || culprit === undefined || task.culprits.includes(culprit)) return;
      task.culprits.push(culprit);
      input.onKiller?.(culprit, "hang");
    } finally {
      this.searching.delete(input.rulesetKey);
      this.refillSpares();
      this.pump();
    }
  }

  /** Kills a serving process (unless it is dead already) and puts a spare in its place. */
  private replace(p: SandboxProcess, reason: RestartReason): void {
    this.sparesWanted = true;
    this.retire(p, reason);
    const slot = this.active.indexOf(p);
    if (slot < 0 || this.closed) return; // replaced already
    const ready = this.spares.findIndex((s) => s.isReady && !s.busy);
    const [spare] = this.spares.splice(Math.max(ready, 0), 1);
    this.active[slot] = spare ?? this.spawn();
    this.refillSpares();
  }

  /** Kills a process; a death is counted once, whether we saw it or caused it. */
  private retire(p: SandboxProcess, reason: RestartReason): void {
    if (p.isDead) return;
    p.kill();
    this.options.onRestart?.(reason);
  }

  /** A warm process that serves no traffic (one booting, or a new one, if need be). */
  private async takeSpare(): Promise<SandboxProcess | undefined> {
    this.sparesWanted = true;
    const ready = this.spares.findIndex((s) => s.isReady && !s.busy);
    const [spare] = this.spares.splice(Math.max(ready, 0), 1);
    this.refillSpares();
    const p = spare ?? this.spawn();
    return (await p.ready) ? p : undefined;
  }

  private refillSpares(): void {
    for (let i = this.spares.length - 1; i >= 0; i -= 1) if (this.spares[i]?.isDead) this.spares.splice(i, 1);
    if (!this.sparesWanted) return;
    while (!this.closed && this.canSpawn() && this.spares.length < this.spareCount)
      this.spares.push(this.spawn());
  }

  /** False after several processes in a row failed to start (until a request tries again). */
  private canSpawn(): boolean {
    return this.bootFailures < MAX_BOOT_FAILURES;
  }

  /** A new process that loads the newest programs as soon as it is up. */
  private spawn(): SandboxProcess {
    const p = new SandboxProcess({
      keepRulesets: this.keepRulesets,
      loadTimeoutMs: this.options.loadTimeoutMs ?? 60_000,
      onFatal: this.options.onFatal,
      onExit: (dead) => {
        if (dead.isReady || this.active.includes(dead)) this.options.onRestart?.("exit");
        this.refillSpares();
        this.pump();
      },
    });
    void p
      .exclusive(async () => {
        if (!(await p.ready)) {
          this.bootFailures += 1;
          return;
        }
        this.bootFailures = 0;
        for (const [rulesetKey, program] of [...this.programs].reverse().slice(0, 2)) {
          await p.ensureLoaded(rulesetKey, program);
        }
      })
      .finally(() => this.pump());
    return p;
  }

  private async loadIntoSlot(slot: number, rulesetKey: string, program: SandboxProgram): Promise<LoadReply> {
    const p = this.active[slot];
    const reply = p ? await this.loadInto(p, rulesetKey, program) : undefined;
    if (reply) return reply;
    // The process failed at it: its replacement loads the program as it boots.
    if (p) this.replace(p, "exit");
    return { rulesetKey, error: "the sandbox could not load the rule set", refused: [] };
  }

  /** Loads into one process once it is free (an evaluation in progress finishes first). */
  private loadInto(p: SandboxProcess, rulesetKey: string, program: SandboxProgram) {
    return p.exclusive(() => p.ensureLoaded(rulesetKey, program)).finally(() => this.pump());
  }

  private giveUp(task: EvalTask, why: string): void {
    giveUp(task, why, this.options.hardDeadlineMs);
  }
}
