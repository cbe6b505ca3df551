/**
 * One sandbox process (host-process.ts runs a QuickJS engine in it), seen from the pool: it
 * boots, loads programs, answers one message at a time under a watchdog, and can always be
 * killed. It knows nothing of queues or spares; the pool decides what it does.
 */
import { fileURLToPath } from "node:url";
import type { Subprocess } from "bun";
import type { SandboxProgram } from "../compile/program.ts";
import type { FromSandbox, LoadReply, ToSandbox } from "./protocol.ts";

/** What came back for one message: the reply, or why none will come. */
export type Answer = { ok: true; message: FromSandbox } | { ok: false; reason: "watchdog" | "exit" };

export interface SandboxProcessOptions {
  /** Loaded programs the process keeps (the current rule set and a few before it). */
  keepVersions: number;
  loadTimeoutMs: number;
  /** The process reported something it could not handle. */
  onFatal?: (message: string) => void;
  /** The process ended on its own (not killed by us), whatever it was doing. */
  onExit?: (process: SandboxProcess) => void;
}

const HOST_SCRIPT = fileURLToPath(new URL("./host-process.ts", import.meta.url));

let nextMessageId = 1;

export class SandboxProcess {
  /** Resolves true once the engine inside is up, false if the process ended before that. */
  readonly ready: Promise<boolean>;
  isReady = false;
  isDead = false;
  /** Index of the rule the process last reported starting (stepwise runs). */
  lastProgress: number | undefined;

  private readonly proc: Subprocess;
  /** Versions loaded, least recently used first. */
  private readonly loaded = new Map<string, LoadReply>();
  private waiting: { id: number; settle: (answer: Answer) => void; timer: Timer; ms: number } | undefined;
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

  has(version: string): boolean {
    return this.loaded.has(version);
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
  async ensureLoaded(version: string, program: SandboxProgram): Promise<LoadReply | undefined> {
    const have = this.loaded.get(version);
    if (have) {
      this.loaded.delete(version);
      this.loaded.set(version, have);
      return have;
    }
    if (!(await this.ready)) return undefined;
    const answer = await this.ask(
      { type: "load", id: nextMessageId++, version, program },
      this.options.loadTimeoutMs,
    );
    if (!answer.ok || answer.message.type !== "loaded") {
      this.kill();
      return undefined;
    }
    this.loaded.set(version, answer.message.reply);
    while (this.loaded.size > this.options.keepVersions) {
      const oldest = this.loaded.keys().next().value;
      if (oldest === undefined) break;
      this.loaded.delete(oldest);
      this.send({ type: "drop", version: oldest });
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
      this.waiting = {
        id: message.id,
        settle: resolve,
        ms,
        timer: setTimeout(() => this.settle({ ok: false, reason: "watchdog" }), ms),
      };
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
        clearTimeout(w.timer);
        w.timer = setTimeout(() => this.settle({ ok: false, reason: "watchdog" }), w.ms);
        return;
      }
      default:
        if (this.waiting?.id === message.id) this.settle({ ok: true, message });
    }
  }

  private settle(answer: Answer): void {
    const w = this.waiting;
    if (!w) return;
    this.waiting = undefined;
    clearTimeout(w.timer);
    w.settle(answer);
  }
}
