/**
 * The impact estimate's QuickJS: one room (room.ts, with the batch library) holding a share of the
 * employee directory as columns, and the evaluation of one compiled rule set over all of them in
 * slices of one call each. The limits are the employee sandbox's: the same stack, the memory the
 * data occupies plus the same per-request headroom, and the same CPU budget, per employee: a
 * slice is sized to take a fraction of the budget, so when the interrupt handler stops one, the
 * employee being evaluated overran it (it counts as an error and the slice resumes after it).
 */
import { newQuickJSWASMModuleFromVariant, type QuickJSHandle, RELEASE_SYNC } from "quickjs-emscripten";
import type { SandboxProgram } from "../compile/program.ts";
import { LIMITS } from "../limits.ts";
import { HELPER_READS } from "../vocabulary.ts";
import { batchLibrarySource } from "./batch-library.ts";
import type { BatchEstimateReply, BatchEstimateRequest, BatchFailure } from "./batch-protocol.ts";
import { buildRoom, type CallResult, callGuest, fitMemoryLimit, installProgram, sweepRoom } from "./room.ts";

export interface BatchEngine {
  clear(): void;
  /** Adds employees (see wasm/batch-runner.js appendData); the count held. */
  append(chunkJson: string): number;
  /** Fits the memory limit to the data now held (after the last append). */
  fit(): void;
  estimate(request: BatchEstimateRequest, onProgress: () => void): BatchEstimateReply;
  readonly size: number;
}

const FIRST_SLICE = 64;
/** Wall time a guest call may take, in budgets (CPU time is the budget itself). */
const WALL_FACTOR = 20;
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const MAX_SLICE = 8192;
/** A slice is sized to take this share of the per-employee budget. */
const SLICE_SHARE_OF_BUDGET = 0.25;

interface SliceTotals {
  at: number;
  matches: number;
  errors: number;
  not: number;
  matching: string[];
  others: string[];
  failed: BatchFailure[];
}

export async function createBatchEngine(): Promise<BatchEngine> {
  const module = await newQuickJSWASMModuleFromVariant(RELEASE_SYNC);
  const room = buildRoom(module, LIMITS.stackBytes, batchLibrarySource());
  const { context } = room;
  const appendData = context.getProp(room.library.load, "appendData");
  const clearData = context.getProp(room.library.load, "clearData");
  let size = 0;

  // The budget is CPU time of this process, not wall time: the impact processes run at a low
  // priority and wait whenever the service is busy, which must not count against a rule. Wall
  // time still stops the guest at WALL_FACTOR × the budget (room.clock, as in room.ts).
  const cpu = { deadline: Number.POSITIVE_INFINITY };
  room.runtime.setInterruptHandler(
    () =>
      performance.now() > room.clock.deadline ||
      (cpu.deadline !== Number.POSITIVE_INFINITY && cpuMs() > cpu.deadline),
  );
  const guest = (fn: QuickJSHandle, args: readonly string[], budgetMs: number): CallResult => {
    try {
      room.clock.deadline = performance.now() + budgetMs * WALL_FACTOR;
      cpu.deadline = cpuMs() + budgetMs;
      return callGuest(room, fn, args, () => {
        room.clock.deadline = performance.now() + Math.min(budgetMs, 100);
        cpu.deadline = Number.POSITIVE_INFINITY;
      });
    } finally {
      room.clock.deadline = Number.POSITIVE_INFINITY;
      cpu.deadline = Number.POSITIVE_INFINITY;
    }
  };
  const mustSucceed = (result: CallResult, what: string): string => {
    if (!result.ok) throw new Error(`${what} failed in the sandbox: ${result.message}`);
    return result.value;
  };

  return {
    get size() {
      return size;
    },
    clear() {
      mustSucceed(guest(clearData, [], LIMITS.loadBudgetMs), "clearing the directory");
      size = 0;
      room.runtime.setMemoryLimit(LIMITS.loadMemoryBytes);
    },
    append(chunkJson) {
      room.runtime.setMemoryLimit(LIMITS.loadMemoryBytes);
      size = Number(mustSucceed(guest(appendData, [chunkJson], LIMITS.loadBudgetMs), "loading employees"));
      return size;
    },
    fit() {
      room.memory.limit = undefined; // measure again: the data changed
      fitMemoryLimit(room, LIMITS.requestHeadroomBytes);
    },
    estimate(request, onProgress) {
      const started = performance.now();
      room.runtime.setMemoryLimit(LIMITS.loadMemoryBytes);
      const installed = installProgram(room, request.program, { units: 0, lists: 0 });
      fitMemoryLimit(room, LIMITS.requestHeadroomBytes);
      try {
        if (!installed.ok) return failedWhole(size, "load", installed.error, started);
        const refused = installed.refused.get(request.target);
        if (refused !== undefined) return failedWhole(size, "compile", refused, started);
        return runSlices(request, installed, onProgress, started);
      } finally {
        if (installed.ok) for (const h of [installed.run, installed.cont, installed.fail]) h.dispose();
        // Every estimate is a new rule set: keep nothing of it.
        sweepRoom(room, []);
      }
    },
  };

  function runSlices(
    request: BatchEstimateRequest,
    entry: { run: QuickJSHandle; cont: QuickJSHandle; fail: QuickJSHandle },
    onProgress: () => void,
    started: number,
  ): BatchEstimateReply {
    const total: SliceTotals = { at: 0, matches: 0, errors: 0, not: 0, matching: [], others: [], failed: [] };
    const shapes = JSON.stringify(unitShapes(request.program));
    const head = (from: number, to: number) =>
      `${from}|${to}|${request.samples}|${request.target}|${request.reads.join(",")}\n{"extras":${request.extrasJson},"units":${shapes}}`;
    let slice = FIRST_SLICE;
    let overruns = 0;
    let outOfMemory = false;
    let cutShort: string | undefined;
    for (let from = 0; from < size; ) {
      if (performance.now() - started > request.timeLimitMs) {
        cutShort = `stopped after ${request.timeLimitMs} ms`;
        break;
      }
      const sliceFrom = from;
      const to = Math.min(size, from + slice);
      const sliceStarted = performance.now();
      let result = guest(entry.run, [head(from, to)], request.budgetMs);
      // The budget stopped an employee: it is an error, the slice goes on after it.
      while (!result.ok) {
        if (result.kind === "oom") outOfMemory = true;
        else overruns += 1;
        const message =
          result.kind === "budget"
            ? `stopped: the rule ran over its ${request.budgetMs} ms budget`
            : result.message;
        const marked = guest(entry.fail, [result.kind, message], LIMITS.loadBudgetMs);
        if (!marked.ok) throw new Error(`the sandbox could not record a failure: ${marked.message}`);
        if (outOfMemory || overruns > request.maxOverruns) {
          result = marked;
          cutShort = outOfMemory
            ? "the rule ran the sandbox out of memory"
            : `${overruns} employees overran the budget`;
          break;
        }
        onProgress();
        result = guest(entry.cont, [], request.budgetMs);
      }
      const totals = JSON.parse(result.ok ? result.value : "{}") as SliceTotals;
      merge(total, totals, request.samples);
      onProgress();
      if (cutShort) break;
      from = totals.at;
      const perEmployee = (performance.now() - sliceStarted) / Math.max(1, from - sliceFrom);
      slice = Math.max(
        1,
        Math.min(
          MAX_SLICE,
          Math.floor((request.budgetMs * SLICE_SHARE_OF_BUDGET) / Math.max(perEmployee, 1e-4)),
        ),
      );
    }
    return {
      evaluated: total.matches + total.not + total.errors,
      total: size,
      matches: total.matches,
      not: total.not,
      errors: total.errors,
      matching: total.matching,
      others: total.others,
      failed: total.failed,
      cutShort,
      outOfMemory,
      ms: performance.now() - started,
    };
  }
}

/**
 * Per rule, the evidence fields its result depends on (what it names and what its helpers read;
 * the extras are left out, being the same for everyone) and the rules it names.
 */
export function unitShapes(
  program: SandboxProgram,
): Array<{ reads: string[]; refs: readonly string[] } | null> {
  const extras = new Set(["today", "now", "platform"]);
  return program.rules.map((unit) => {
    if (unit === null) return null;
    const reads = new Set(unit.evidence);
    for (const helper of unit.helpers) for (const name of HELPER_READS[helper] ?? []) reads.add(name);
    return { reads: [...reads].filter((name) => !extras.has(name)).sort(), refs: unit.rules };
  });
}

function merge(into: SliceTotals, slice: SliceTotals, samples: number): void {
  into.matches += slice.matches;
  into.errors += slice.errors;
  into.not += slice.not;
  for (const p of slice.matching) if (into.matching.length < samples) into.matching.push(p);
  for (const p of slice.others) if (into.others.length < samples) into.others.push(p);
  for (const f of slice.failed) if (into.failed.length < 5) into.failed.push(f);
}

function failedWhole(size: number, kind: string, message: string, started: number): BatchEstimateReply {
  return {
    evaluated: size,
    total: size,
    matches: 0,
    not: 0,
    errors: size,
    matching: [],
    others: [],
    failed: [["", kind, message]],
    outOfMemory: false,
    ms: performance.now() - started,
  };
}
