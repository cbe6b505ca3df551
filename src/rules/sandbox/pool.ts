/**
 * The sandbox processes and their watchdog. Each process runs one QuickJS engine
 * (host-process.ts) and gets one request at a time; a request that gets no answer within the
 * hard deadline (reset whenever the sandbox reports progress) has its process killed and
 * replaced. The request is then answered anyway:
 *   1. it is re-run one rule at a time, the sandbox reporting each rule before it starts;
 *   2. if that hangs too, the rule that was running is the culprit: it is reported as "hang"
 *      (the evaluator quarantines it) and the request is re-run without it;
 *   3. if even that hangs, every rule of the request fails — the next request starts over.
 * Nothing here rejects: every failure becomes per-rule errors.
 */
import { fileURLToPath } from "node:url";
import type { Subprocess } from "bun";
import type { SandboxProgram } from "../compile/program.ts";
import type { EvalReply, FromSandbox, LoadReply, RestartReason, RuleError, ToSandbox } from "./protocol.ts";

export interface PoolOptions {
  /** Number of sandbox processes. */
  size: number;
  /** How long a sandbox may stay silent on one request (or one rule, going stepwise). */
  hardDeadlineMs: number;
  /** How long loading one program may take. */
  loadTimeoutMs?: number;
  /** Loaded programs each process keeps (the current rule set and a few before it). */
  keepVersions?: number;
  /** A sandbox process reported something it could not handle (it is replaced). */
  onFatal?: (message: string) => void;
  /** A process was replaced while no request was waiting on it. */
  onIdleRestart?: (reason: RestartReason) => void;
}

export interface PoolEvalInput {
  version: string;
  program: SandboxProgram;
  evidence: string;
  skip: readonly number[];
  budgetMs: number;
}

export interface SandboxPool {
  /** Loads a program into every process; one reply per process. */
  load(version: string, program: SandboxProgram): Promise<LoadReply[]>;
  evaluate(input: PoolEvalInput): Promise<EvalReply>;
  close(): Promise<void>;
}

type EvalTask = {
  kind: "eval";
  input: PoolEvalInput;
  attempt: 1 | 2 | 3;
  hung: number[];
  restarts: RestartReason[];
  resolve: (reply: EvalReply) => void;
};
type LoadTask = {
  kind: "load";
  version: string;
  program: SandboxProgram;
  resolve: (reply: LoadReply) => void;
};
type Task = EvalTask | LoadTask;

type Answer = { ok: true; message: FromSandbox } | { ok: false; reason: "watchdog" | "exit" };

const HOST_SCRIPT = fileURLToPath(new URL("./host-process.ts", import.meta.url));

export function createSandboxPool(options: PoolOptions): SandboxPool {
  const loadTimeoutMs = options.loadTimeoutMs ?? 60_000;
  const keepVersions = options.keepVersions ?? 4;
  let nextId = 1;
  let closed = false;

  const slots = Array.from({ length: Math.max(1, options.size) }, () => createSlot());

  function createSlot() {
    const queue: Task[] = [];
    let busy = false;
    let proc: Subprocess | undefined;
    let generation = 0;
    let ready: Promise<boolean> = Promise.resolve(false);
    let markReady: (ok: boolean) => void = () => {};
    /** Whether the current process ever got ready (one that cannot start is not respawned in a loop). */
    let started = false;
    /** Versions loaded in the current process, least recently used first. */
    const loaded = new Map<string, LoadReply>();
    /** The one request in flight: its id, how to answer it, and the watchdog. */
    let waiting:
      | { id: number; settle: (answer: Answer) => void; timer: ReturnType<typeof setTimeout>; ms: number }
      | undefined;
    let lastProgress: number | undefined;

    const start = () => {
      generation += 1;
      const gen = generation;
      loaded.clear();
      started = false;
      ready = new Promise((resolve) => {
        markReady = resolve;
      });
      proc = Bun.spawn([process.execPath, HOST_SCRIPT], {
        ipc: (message: FromSandbox) => {
          if (gen === generation) onMessage(message);
        },
        // Every message is plain data (strings, numbers, arrays), so JSON carries it exactly, and
        // it is measurably cheaper per round trip than "advanced" (structured clone).
        serialization: "json",
        stdio: ["ignore", "inherit", "inherit"],
        // Nothing of the service's environment (database URLs, secrets) goes into the sandbox.
        env: { PATH: process.env.PATH ?? "" },
        onExit: () => {
          if (gen !== generation) return;
          markReady(false);
          if (waiting) settle({ ok: false, reason: "exit" });
          else if (!closed && started) {
            // Died between requests: replace it now rather than on the next request's time.
            options.onIdleRestart?.("exit");
            start();
          }
        },
      });
    };

    const onMessage = (message: FromSandbox) => {
      switch (message.type) {
        case "ready":
          started = true;
          markReady(true);
          return;
        case "fatal":
          options.onFatal?.(message.message);
          return;
        case "progress":
          if (waiting?.id !== message.id) return;
          if (message.index >= 0) lastProgress = message.index;
          clearTimeout(waiting.timer);
          waiting.timer = setTimeout(() => settle({ ok: false, reason: "watchdog" }), waiting.ms);
          return;
        default:
          if (message.type === "result" && message.reply.restarts.includes("oom")) {
            // The process rebuilds its sandbox after answering and says "ready" when done.
            ready = new Promise((resolve) => {
              markReady = resolve;
            });
          }
          if (waiting?.id === message.id) settle({ ok: true, message });
      }
    };

    const settle = (answer: Answer) => {
      const w = waiting;
      if (!w) return;
      waiting = undefined;
      clearTimeout(w.timer);
      w.settle(answer);
    };

    const ask = (message: ToSandbox & { id: number }, ms: number): Promise<Answer> =>
      new Promise((resolve) => {
        lastProgress = undefined;
        waiting = {
          id: message.id,
          settle: resolve,
          ms,
          timer: setTimeout(() => settle({ ok: false, reason: "watchdog" }), ms),
        };
        try {
          proc?.send(message);
        } catch {
          settle({ ok: false, reason: "exit" });
        }
      });

    /** Kills the process (whatever it is doing) and starts a fresh one. */
    const replace = () => {
      generation += 1; // ignore whatever the old process still says
      proc?.kill(9);
      if (!closed) start();
    };

    const ensureLoaded = async (version: string, program: SandboxProgram): Promise<LoadReply | undefined> => {
      const have = loaded.get(version);
      if (have) {
        loaded.delete(version);
        loaded.set(version, have);
        return have;
      }
      const answer = await ask({ type: "load", id: nextId++, version, program }, loadTimeoutMs);
      if (!answer.ok || answer.message.type !== "loaded") {
        replace();
        return undefined;
      }
      loaded.set(version, answer.message.reply);
      while (loaded.size > keepVersions) {
        const oldest = loaded.keys().next().value;
        if (oldest === undefined) break;
        loaded.delete(oldest);
        proc?.send({ type: "drop", version: oldest } satisfies ToSandbox);
      }
      return answer.message.reply;
    };

    const runEval = async (task: EvalTask) => {
      const { input } = task;
      const n = input.program.rules.length;
      if (!(await ready)) {
        replace();
        task.restarts.push("exit");
        task.resolve(failAll(n, "crash", "the sandbox process could not start", task.restarts));
        return;
      }
      const load = (await ready) ? await ensureLoaded(input.version, input.program) : undefined;
      if (!load) {
        task.restarts.push("watchdog");
        task.resolve(failAll(n, "load", "the sandbox could not load the rule set", task.restarts));
        return;
      }
      const skip = [...new Set([...input.skip, ...task.hung])];
      const answer = await ask(
        {
          type: "eval",
          id: nextId++,
          version: input.version,
          evidence: input.evidence,
          skip,
          budgetMs: input.budgetMs,
          stepwise: task.attempt === 2,
        },
        options.hardDeadlineMs,
      );
      if (answer.ok && answer.message.type === "result") {
        const reply = answer.message.reply;
        task.resolve(withHung(reply, task, options.hardDeadlineMs));
        return;
      }
      const reason = answer.ok ? "exit" : answer.reason;
      const culprit = lastProgress;
      replace();
      task.restarts.push(reason);
      if (task.attempt === 1) {
        queue.unshift({ ...task, attempt: 2 });
      } else if (task.attempt === 2 && culprit !== undefined) {
        queue.unshift({ ...task, attempt: 3, hung: [...task.hung, culprit] });
      } else {
        // Give up on this request (the next one starts over, without the culprits found so far).
        // Only identified culprits are "hang" (and get quarantined); the rest just failed.
        const why =
          reason === "watchdog"
            ? `the sandbox stopped answering (killed by the watchdog after ${options.hardDeadlineMs} ms)`
            : "the sandbox process died";
        const gaveUp = failAll(n, "crash", why, task.restarts);
        task.resolve(withHung(gaveUp, task, options.hardDeadlineMs));
      }
    };

    const runLoad = async (task: LoadTask) => {
      if (!(await ready)) {
        replace();
        task.resolve({ version: task.version, error: "the sandbox process could not start", refused: [] });
        return;
      }
      const reply = await ensureLoaded(task.version, task.program);
      task.resolve(
        reply ?? { version: task.version, error: "the sandbox could not load the rule set", refused: [] },
      );
    };

    const pump = async () => {
      if (busy) return;
      busy = true;
      try {
        for (let task = queue.shift(); task && !closed; task = queue.shift()) {
          if (task.kind === "eval") await runEval(task);
          else await runLoad(task);
        }
      } finally {
        busy = false;
      }
    };

    start();
    return {
      enqueue(task: Task) {
        queue.push(task);
        void pump();
      },
      get pending() {
        return queue.length + (busy ? 1 : 0);
      },
      close() {
        generation += 1;
        proc?.kill(9);
        markReady(false);
        for (const task of queue.splice(0)) {
          if (task.kind === "eval")
            task.resolve(failAll(task.input.program.rules.length, "crash", "the evaluator is closed", []));
          else task.resolve({ version: task.version, error: "the evaluator is closed", refused: [] });
        }
        settle({ ok: false, reason: "exit" });
      },
    };
  }

  return {
    load(version, program) {
      return Promise.all(
        slots.map(
          (slot) =>
            new Promise<LoadReply>((resolve) => slot.enqueue({ kind: "load", version, program, resolve })),
        ),
      );
    },
    evaluate(input) {
      if (closed)
        return Promise.resolve(failAll(input.program.rules.length, "crash", "the evaluator is closed", []));
      let best = slots[0];
      for (const slot of slots) if (best && slot.pending < best.pending) best = slot;
      return new Promise<EvalReply>((resolve) =>
        best?.enqueue({ kind: "eval", input, attempt: 1, hung: [], restarts: [], resolve }),
      );
    },
    async close() {
      closed = true;
      for (const slot of slots) slot.close();
    },
  };
}

/** The culprits found by the watchdog did not run: they fail as "hang". */
function withHung(reply: EvalReply, task: EvalTask, deadlineMs: number): EvalReply {
  const restarts = [...task.restarts, ...reply.restarts];
  if (task.hung.length === 0) return { ...reply, restarts };
  const codes = reply.codes.split("");
  const errors = reply.errors.filter(([i]) => !task.hung.includes(i));
  for (const i of task.hung) {
    codes[i] = "e";
    errors.push([i, "hang", `stopped by the watchdog: the sandbox did not answer within ${deadlineMs} ms`]);
  }
  return { codes: codes.join(""), errors, restarts };
}

function failAll(n: number, kind: RuleError[1], message: string, restarts: RestartReason[]): EvalReply {
  return {
    codes: "e".repeat(n),
    errors: Array.from({ length: n }, (_, i): RuleError => [i, kind, message]),
    restarts,
  };
}
