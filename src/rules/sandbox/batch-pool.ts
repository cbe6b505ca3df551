/**
 * The impact estimate's sandboxes, seen from the service: a few processes of their own (not the
 * employee pool), each holding a share of the employee directory (chunk j goes to process
 * j mod n), all evaluating one estimate at once over their shares. One estimate or load at a
 * time; a few more wait their turn, beyond that the caller is told to come back. A process that
 * dies or goes silent past the time limit is killed and replaced, and its share loaded again.
 * The processes run at a lower CPU priority than the service, so that /user.tabs goes first.
 */
import { setPriority } from "node:os";
import { fileURLToPath } from "node:url";
import type { Subprocess } from "bun";
import type { EmployeeEvidence } from "../../evidence/index.ts";
import type { Logger } from "../../log.ts";
import type { BatchEstimateReply, BatchEstimateRequest, FromBatch, ToBatch } from "./batch-protocol.ts";

const HOST_SCRIPT = fileURLToPath(new URL("./batch-host.ts", import.meta.url));
const LOAD_TIMEOUT_MS = 60_000;
/** Past the estimate's own time limit, the silence after which a process counts as hung. */
const WATCHDOG_MARGIN_MS = 2_000;
/** Niceness of the impact processes (0 is the service's). */
const NICENESS = 10;

export interface BatchPoolOptions {
  workers: number;
  logger: Logger;
  /** The employees to hold, in chunks, the same every time it is called until the next load. */
  source: () => AsyncIterable<readonly EmployeeEvidence[]>;
  /** Estimates that may wait while one runs (more: BatchPoolBusy). */
  maxWaiting?: number;
}

export class BatchPoolBusy extends Error {
  constructor() {
    super("an impact estimate is running and others are waiting");
    this.name = "BatchPoolBusy";
  }
}

/** No employees are held (no copy loaded yet, or it is empty). */
export class BatchPoolEmpty extends Error {
  constructor() {
    super("the impact sandboxes hold no employees");
    this.name = "BatchPoolEmpty";
  }
}

export interface BatchPool {
  /** (Re)loads every process's share from the source; resolves to the employees held. */
  load(): Promise<number>;
  estimate(request: BatchEstimateRequest): Promise<BatchEstimateReply>;
  /** Employees held (0 until the first load). */
  readonly size: number;
  close(): Promise<void>;
}

let nextId = 1;

class BatchProcess {
  readonly ready: Promise<boolean>;
  dead = false;
  private readonly proc: Subprocess;
  private waiting: { id: number; settle: (m: FromBatch | undefined) => void; timer: Timer } | undefined;

  constructor(onFatal: (message: string) => void) {
    let markReady: (ok: boolean) => void = () => {};
    this.ready = new Promise((resolve) => {
      markReady = resolve;
    });
    this.proc = Bun.spawn([process.execPath, HOST_SCRIPT], {
      ipc: (message: FromBatch) => {
        if (message.type === "ready") markReady(true);
        else if (message.type === "fatal") onFatal(message.message);
        else if (message.type !== "progress" && this.waiting?.id === message.id) this.settle(message);
      },
      serialization: "json",
      stdio: ["ignore", "inherit", "inherit"],
      env: { PATH: process.env.PATH ?? "" },
      onExit: () => {
        this.dead = true;
        markReady(false);
        this.settle(undefined);
      },
    });
    try {
      setPriority(this.proc.pid, NICENESS);
    } catch {
      // Not allowed here (some containers): it runs at the service's priority.
    }
  }

  /** Sends one message; its answer, or undefined when the process died or went silent. */
  ask(message: ToBatch, timeoutMs: number): Promise<FromBatch | undefined> {
    return new Promise((resolve) => {
      if (this.dead) return resolve(undefined);
      this.waiting = {
        id: message.id,
        settle: resolve,
        timer: setTimeout(() => {
          this.kill();
        }, timeoutMs),
      };
      try {
        this.proc.send(message);
      } catch {
        this.settle(undefined);
      }
    });
  }

  kill(): void {
    if (!this.dead) this.proc.kill(9);
    this.dead = true;
    this.settle(undefined);
  }

  private settle(message: FromBatch | undefined): void {
    const w = this.waiting;
    if (!w) return;
    this.waiting = undefined;
    clearTimeout(w.timer);
    w.settle(message);
  }
}

/** Employees → the batch runner's chunk: per field, the distinct values and an index each. */
export function encodeChunk(employees: readonly EmployeeEvidence[]): string {
  const first = employees[0];
  if (!first) return JSON.stringify({ n: 0, f: {} });
  const fields: Record<string, { d: unknown[]; i: number[] }> = {};
  for (const field of Object.keys(first) as Array<keyof EmployeeEvidence>) {
    const d: unknown[] = [];
    const i: number[] = new Array(employees.length);
    const index = new Map<unknown, number>();
    employees.forEach((employee, k) => {
      const value = employee[field];
      // Scalars are their own key; lists (roles, apps, org paths) by their text.
      const key = Array.isArray(value) ? `\u0001${value.join("\u0001")}` : value;
      let at = index.get(key);
      if (at === undefined) {
        at = d.length;
        d.push(value);
        index.set(key, at);
      }
      i[k] = at;
    });
    fields[field] = { d, i };
  }
  return JSON.stringify({ n: employees.length, f: fields });
}

export function createBatchPool(options: BatchPoolOptions): BatchPool {
  const { logger } = options;
  const maxWaiting = options.maxWaiting ?? 4;
  // Started at the first load: a service whose directory is never synced runs none of them.
  const processes: BatchProcess[] = [];
  const spawn = (i: number) => {
    processes[i] = new BatchProcess((message) => logger.error("impact sandbox failed", { message }));
  };
  let size = 0;
  let queue: Promise<unknown> = Promise.resolve();
  let waiting = 0;
  /** Shares to load again before the next estimate (a process was replaced). */
  const stale = new Set<number>();
  let closed = false;

  function exclusive<T>(work: () => Promise<T>, bounded: boolean): Promise<T> {
    if (bounded && waiting > maxWaiting) return Promise.reject(new BatchPoolBusy());
    waiting += 1;
    const result = queue.then(async () => {
      waiting -= 1;
      return work();
    });
    queue = result.catch(() => undefined);
    return result;
  }

  async function request(i: number, message: ToBatch, timeoutMs: number): Promise<FromBatch> {
    const proc = processes[i] as BatchProcess;
    if (!(await proc.ready)) throw new Error("the impact sandbox did not start");
    const answer = await proc.ask(message, timeoutMs);
    if (!answer) throw new Error("the impact sandbox died");
    return answer;
  }

  /** Loads the shares of `targets` (all when undefined) from the source. */
  async function loadShares(targets: readonly number[]): Promise<number> {
    const n = processes.length;
    await Promise.all(targets.map((i) => request(i, { type: "clear", id: nextId++ }, LOAD_TIMEOUT_MS)));
    // One chunk in flight per process: they load in parallel, and at most n chunks are in memory.
    const inFlight = new Map<number, Promise<FromBatch>>();
    let chunkIndex = 0;
    let held = 0;
    for await (const chunk of options.source()) {
      const i = chunkIndex++ % n;
      held += chunk.length;
      if (!targets.includes(i) || chunk.length === 0) continue;
      await inFlight.get(i);
      const sent = request(i, { type: "append", id: nextId++, chunk: encodeChunk(chunk) }, LOAD_TIMEOUT_MS);
      sent.catch(() => {}); // awaited below or before the next send
      inFlight.set(i, sent);
    }
    await Promise.all(inFlight.values());
    await Promise.all(targets.map((i) => request(i, { type: "fit", id: nextId++ }, LOAD_TIMEOUT_MS)));
    for (const i of targets) stale.delete(i);
    return held;
  }

  function replaceDead(): void {
    if (processes.length === 0 && !closed) for (let i = 0; i < options.workers; i++) spawn(i);
    processes.forEach((proc, i) => {
      if (!proc.dead || closed) return;
      spawn(i);
      stale.add(i);
    });
  }

  return {
    get size() {
      return size;
    },
    load: () =>
      exclusive(async () => {
        replaceDead();
        const all = processes.map((_, i) => i);
        try {
          size = await loadShares(all);
        } catch (error) {
          for (const i of all) stale.add(i);
          throw error;
        }
        logger.info("impact sandboxes loaded the directory", { employees: size, processes: all.length });
        return size;
      }, false),
    estimate: (req) =>
      exclusive(async () => {
        if (size === 0) throw new BatchPoolEmpty();
        replaceDead();
        if (stale.size > 0) await loadShares([...stale]);
        const timeoutMs = req.timeLimitMs + WATCHDOG_MARGIN_MS;
        const replies = await Promise.all(
          processes.map(async (_, i) => {
            const answer = await request(i, { type: "estimate", id: nextId++, ...req }, timeoutMs).catch(
              (error: unknown) => {
                stale.add(i);
                throw error;
              },
            );
            if (answer.type !== "estimated") throw new Error("the impact sandbox answered out of turn");
            if (answer.reply.outOfMemory) {
              // Its heap is not to be trusted any more: a fresh process, the share loaded again.
              processes[i]?.kill();
            }
            return answer.reply;
          }),
        ).catch((error) => {
          replaceDead();
          throw error;
        });
        replaceDead();
        return mergeReplies(replies, req.samples);
      }, true),
    async close() {
      closed = true;
      for (const proc of processes) proc.kill();
    },
  };
}

function mergeReplies(replies: readonly BatchEstimateReply[], samples: number): BatchEstimateReply {
  const merged: BatchEstimateReply = {
    evaluated: 0,
    total: 0,
    matches: 0,
    not: 0,
    errors: 0,
    matching: [],
    others: [],
    failed: [],
    outOfMemory: false,
    ms: 0,
  };
  for (const r of replies) {
    merged.evaluated += r.evaluated;
    merged.total += r.total;
    merged.matches += r.matches;
    merged.not += r.not;
    merged.errors += r.errors;
    merged.matching.push(...r.matching);
    merged.others.push(...r.others);
    merged.failed.push(...r.failed);
    merged.cutShort ??= r.cutShort;
    merged.outOfMemory ||= r.outOfMemory;
    merged.ms = Math.max(merged.ms, r.ms);
  }
  // Personnel-number order, so the samples do not depend on which share answered first.
  merged.matching = merged.matching.sort().slice(0, samples);
  merged.others = merged.others.sort().slice(0, samples);
  merged.failed = merged.failed.sort((a, b) => a[0].localeCompare(b[0])).slice(0, 5);
  return merged;
}
