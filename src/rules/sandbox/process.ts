/**
 * One sandbox process (host-process.ts runs a QuickJS engine in it), seen from the pool: it
 * boots, loads programs, answers one message at a time under a watchdog, and can always be
 * killed. It knows nothing of queues or spares; the pool decides what it does.
 */
import { fileURLToPath } from "node:url";
import type { Subprocess } from "bun";
import type { SandboxProgram } from "../compile/program.ts";
import { programDelta } from "./delta.ts";
import type { FromSandbox, LoadReply, ToSandbox } from "./protocol.ts";

/** What came back for one message: the reply, or why none will come. */
export type Answer = { ok: true; message: FromSandbox } | { ok: false; reason: "watchdog" | "exit" };

export interface SandboxProcessOptions {
  /** Loaded programs the process keeps (the current rule set and a few before it). */
  keepRulesets: number;
  loadTimeoutMs: number;
  /** The process reported something it could not handle. */
  onFatal?: (message: string) => void;
  /** The process ended on its own (not killed by us), whatever it was doing. */
  onExit?: (process: SandboxProcess) => void;
}

const HOST_SCRIPT = fileURLToPath(new URL("./host-process.ts", import.meta.url));

let nextMessageId = 1;

/** The message a reply is awaited for, and the watchdog on it. */
interface Waiting {
  id: number;
  settle: (answer: Answer) => void;
  /** Silence allowed, ms. */
  ms: number;
  /** When the process last said something about it (performance.now()). */
  lastWord: number;
  timer: Timer | undefined;
}

export class SandboxProcess {
  /** Resolves true once the engine inside is up, false if the process ended before that. */
  readonly ready: Promise<boolean>;
  isReady = false;
  isDead = false;
  /** Index of the rule the process last reported starting (stepwise runs). */
  lastProgress: number | undefined;

  private readonly proc: Subprocess;
  /** Rule sets loaded, least recently used first, with their programs (what the process holds). */
  private readonly loaded = new Map<string, { reply: LoadReply; program: SandboxProgram }>();
  private waiting: Waiting | undefined;
  private killed = false;
  /** Work queued or running (see exclusive). */
  private pending = 0;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: SandboxProcessOptions) {
    let markReady: (ok: boolean) => void = () => {};
    this.ready = new Promise((resolve) => {
      markReady = resolve;
    });
    this.proc = Bun.spawn([process.execPath, HOST_SCRIPT], {
      ipc: (message: FromSandbox) => this.onMessage(message, markReady),
      // Every message is plain data, so JSON carries it exactly, and it is measurably cheaper per
      // round trip than "advanced" (structured clone).
      serialization: "json",
      stdio: ["ignore", "inherit", "inherit"],
      // Nothing of the service's environment (database URLs, secrets) goes into the sandbox.
      env: { PATH: process.env.PATH ?? "" },
      onExit: () => {
        this.isDead = true;
        this.isReady = false;
        markReady(false);
        this.settle({ ok: false, reason: "exit" });
        if (!this.killed) this.options.onExit?.(this);
      },
    });
  }

  has(rulesetKey: string): boolean {
    return this.loaded.has(rulesetKey);
  }

  /** True while work is queued or running: the pool hands a busy process no requests. */
  get busy(): boolean {
    return this.pending > 0;
  }

  /**
   * Runs `work` after the work queued before it: one message exchange at a time reaches the
   * process, whoever asks (the dispatcher, a load, a culprit search).
   */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    this.pending += 1;
    const result = this.tail.then(async () => {
      try {
        return await work();
      } finally {
        this.pending -= 1;
      }
    });
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Loads a program unless it is loaded already; undefined when the process failed at it. */
  async ensureLoaded(rulesetKey: string, program: SandboxProgram): Promise<LoadReply | undefined> {
    const have = this.loaded.get(rulesetKey);
    if (have) {
      this.loaded.delete(rulesetKey);
      this.loaded.set(rulesetKey, have);
      return have.reply;
    }
    if (!(await this.ready)) return undefined;
    // Only what the process lacks travels: units and lists of the rule sets it holds go by key.
    const delta = programDelta(
      program,
      [...this.loaded.values()].map((l) => l.program),
    );
    const answer = await this.ask(
      { type: "load", id: nextMessageId++, rulesetKey, program: delta },
      this.options.loadTimeoutMs,
    );
    if (!answer.ok || answer.message.type !== "loaded") {
      this.kill();
      return undefined;
    }
    this.loaded.set(rulesetKey, { reply: answer.message.reply, program });
    while (this.loaded.size > this.options.keepRulesets) {
      const oldest = this.loaded.keys().next().value;
      if (oldest === undefined) break;
      this.loaded.delete(oldest);
      this.send({ type: "drop", rulesetKey: oldest });
    }
    return answer.message.reply;
  }

  /**
   * Sends one evaluation and waits for its result. The watchdog fires after `silenceMs` without a
   * word from the process; each progress report (stepwise runs, rules stopped by the budget)
   * starts the count again.
   */
  evaluate(message: Omit<Extract<ToSandbox, { type: "eval" }>, "id">, silenceMs: number): Promise<Answer> {
    return this.ask({ ...message, id: nextMessageId++ }, silenceMs);
  }

  kill(): void {
    if (this.killed) return;
    this.killed = true;
    this.isDead = true;
    this.isReady = false;
    this.proc.kill(9);
    this.settle({ ok: false, reason: "exit" });
  }

  private ask(message: ToSandbox & { id: number }, ms: number): Promise<Answer> {
    return new Promise((resolve) => {
      if (this.isDead) {
        resolve({ ok: false, reason: "exit" });
        return;
      }
      this.lastProgress = undefined;
      const w: Waiting = {
        id: message.id,
        settle: resolve,
        ms,
        lastWord: performance.now(),
        timer: undefined,
      };
      this.waiting = w;
      this.watch(w);
      this.send(message);
    });
  }

  private send(message: ToSandbox): void {
    try {
      this.proc.send(message);
    } catch {
      this.settle({ ok: false, reason: "exit" });
    }
  }

  private onMessage(message: FromSandbox, markReady: (ok: boolean) => void): void {
    if (this.killed) return; // whatever a killed process still says is ignored
    switch (message.type) {
      case "ready":
        this.isReady = true;
        markReady(true);
        return;
      case "fatal":
        this.options.onFatal?.(message.message);
        return;
      case "progress": {
        const w = this.waiting;
        if (w?.id !== message.id) return;
        if (message.index >= 0) this.lastProgress = message.index;
        w.lastWord = performance.now();
        this.watch(w);
        return;
      }
      default:
        if (this.waiting?.id === message.id) this.settle({ ok: true, message });
    }
  }

  /**
   * Arms the watchdog: `ms` of silence from the process kill it. When the timer fires, the verdict
   * waits one turn of the event loop, so that a word that arrived while this process's own event
   * loop was busy (a stall of the HTTP process, not of the sandbox) is read first and counts.
   */
  private watch(w: Waiting, delayMs = w.ms): void {
    clearTimeout(w.timer);
    w.timer = setTimeout(
      () =>
        setImmediate(() => {
          if (this.waiting !== w) return;
          const silentMs = performance.now() - w.lastWord;
          if (silentMs >= w.ms) this.settle({ ok: false, reason: "watchdog" });
          else this.watch(w, w.ms - silentMs);
        }),
      delayMs,
    );
  }

  private settle(answer: Answer): void {
    const w = this.waiting;
    if (!w) return;
    this.waiting = undefined;
    clearTimeout(w.timer);
    w.settle(answer);
  }
}
