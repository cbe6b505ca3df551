/**
 * QuickJS itself: one WebAssembly module, runtime and context holding the loaded rule programs,
 * and the evaluation of one request in one call into the guest. Loading a program compiles only
 * the rule units and decodes only the lists this context does not hold yet (both are kept by
 * content key, see compile/program.ts), so a new version of a rule set with one rule edited
 * costs one unit, not the whole set. Everything that can go wrong in there is turned into
 * per-rule errors:
 *  - a rule that throws: caught in the guest (wasm/runner.js);
 *  - a rule over its CPU budget: stopped by the interrupt handler, marked, the rest resumed;
 *  - out of memory: the rule fails, and the runtime is rebuilt after the request;
 *  - an exception on the host side (the module is then unusable): a new module is built and
 *    the request is re-run a rule at a time, skipping the rule that broke it.
 * Runs wherever it is created: in a sandbox process (host-process.ts), or in tests directly.
 */
import {
  newQuickJSWASMModuleFromVariant,
  type QuickJSHandle,
  type QuickJSWASMModule,
  RELEASE_SYNC,
} from "quickjs-emscripten";
import type { SandboxProgram } from "../compile/program.ts";
import { LIMITS } from "../limits.ts";
import { sandboxLibrarySource } from "./library.ts";
import type { EvalReply, EvalRequest, LoadReply, RestartReason, RuleError } from "./protocol.ts";
import {
  buildRoom,
  type CallResult,
  callGuest,
  fitMemoryLimit,
  type InstallWork,
  installProgram,
  sweepRoom,
} from "./room.ts";

export interface EngineOptions {
  /** Builds a fresh QuickJS module (injectable so tests can simulate a broken one). */
  newModule?: () => Promise<QuickJSWASMModule>;
  stackBytes?: number;
  requestHeadroomBytes?: number;
  /**
   * Called after each program is installed with what QuickJS had to compile for it: rule units
   * and lists not already in the context (a spy for tests and benchmarks).
   */
  onInstall?: (work: InstallWork) => void;
}

export interface Engine {
  load(rulesetKey: string, program: SandboxProgram): Promise<LoadReply>;
  drop(rulesetKey: string): void;
  has(rulesetKey: string): boolean;
  /**
   * `onProgress(i)` is called before rule i runs when `request.stepwise` is set, and otherwise
   * after each rule the budget stopped; `onProgress(-1)` around a rebuild. The sandbox process
   * forwards these to the watchdog as heartbeats.
   */
  evaluate(request: EvalRequest, onProgress?: (index: number) => void): Promise<EvalReply>;
  /**
   * Does deferred upkeep (rebuilding the sandbox after it ran out of memory): called by the
   * sandbox process after it has answered, so the rebuild is not on the request's clock.
   * True when something was done. `evaluate` does it first too, when nobody called this.
   */
  maintain(): Promise<boolean>;
  dispose(): void;
}

interface LoadedProgram {
  program: SandboxProgram;
  refused: Map<number, string>;
  loadError?: string;
  run?: QuickJSHandle;
  cont?: QuickJSHandle;
  fail?: QuickJSHandle;
}

const MAX_CRASH_RECOVERIES = 3;

export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  const newModule = options.newModule ?? (() => newQuickJSWASMModuleFromVariant(RELEASE_SYNC));
  const stackBytes = options.stackBytes ?? LIMITS.stackBytes;
  const headroom = options.requestHeadroomBytes ?? LIMITS.requestHeadroomBytes;
  const librarySource = sandboxLibrarySource();
  const programs = new Map<string, LoadedProgram>();
  let room = buildRoom(await newModule(), stackBytes, librarySource);
  let rebuildPending = false;

  function releaseHandles(p: LoadedProgram) {
    for (const h of [p.run, p.cont, p.fail]) if (h?.alive) h.dispose();
    p.run = p.cont = p.fail = undefined;
  }

  /**
   * Moves to a brand-new module and reloads every program. The old module is abandoned, not
   * disposed: freeing a runtime whose heap saw a failure can trip QuickJS's own assertions and
   * abort, and an unreferenced WebAssembly instance is reclaimed by the garbage collector anyway.
   */
  async function rebuild() {
    for (const p of programs.values()) {
      p.run = p.cont = p.fail = undefined;
    }
    room = buildRoom(await newModule(), stackBytes, librarySource);
    for (const p of programs.values()) install(p);
    fitMemoryLimit(room, headroom);
  }

  /** One call into the guest under the CPU budget; reading what escaped is bounded too. */
  function call(fn: QuickJSHandle, args: readonly string[], budgetMs: number): CallResult {
    try {
      room.clock.deadline = performance.now() + budgetMs;
      return callGuest(room, fn, args, () => {
        room.clock.deadline = performance.now() + Math.min(budgetMs, 100);
      });
    } finally {
      room.clock.deadline = Number.POSITIVE_INFINITY;
    }
  }

  /** Installs a program into the current room (new lists and units, then its layout). */
  function install(p: LoadedProgram) {
    const work: InstallWork = { units: 0, lists: 0 };
    const installed = installProgram(room, p.program, work);
    options.onInstall?.(work);
    p.refused = installed.refused;
    p.loadError = installed.ok ? undefined : installed.error;
    if (installed.ok) {
      p.run = installed.run;
      p.cont = installed.cont;
      p.fail = installed.fail;
    }
  }

  async function load(rulesetKey: string, program: SandboxProgram): Promise<LoadReply> {
    const existing = programs.get(rulesetKey);
    const p: LoadedProgram = existing ?? { program, refused: new Map() };
    if (!existing) programs.set(rulesetKey, p);
    if (!p.run && !p.loadError) {
      room.runtime.setMemoryLimit(LIMITS.loadMemoryBytes);
      try {
        install(p);
      } catch {
        // The module itself failed: start over on a new one.
        p.loadError = undefined;
        await rebuild();
      }
      fitMemoryLimit(room, headroom);
    }
    return { rulesetKey, error: p.loadError, refused: [...p.refused] };
  }

  function drop(rulesetKey: string) {
    const p = programs.get(rulesetKey);
    if (!p) return;
    releaseHandles(p);
    programs.delete(rulesetKey);
    try {
      sweepRoom(
        room,
        [...programs.values()].map((q) => q.program),
      );
    } catch {
      // The module failed: the next request rebuilds it, with only the programs still loaded.
    }
  }

  /**
   * Runs rules [from, n) once: the whole range in one call, or (stepwise) one rule per call.
   * Throws only when the host side of the sandbox failed.
   */
  function runRange(
    p: LoadedProgram,
    request: EvalRequest,
    from: number,
    prev: string,
    stepwise: boolean,
    onStep: (position: number, encoded: string | undefined, afterFailure?: boolean) => void,
  ): string {
    const n = p.program.rules.length;
    const { run, cont, fail } = p;
    if (!run || !cont || !fail) throw new Error("program not installed");
    const skip =
      p.refused.size === 0 ? request.skip.join(",") : [...request.skip, ...p.refused.keys()].join(",");
    let position = from;
    let first = true;
    for (let guard = 0; guard <= 2 * n + 2; guard += 1) {
      const limit = stepwise ? Math.min(position + 1, n) : n;
      onStep(position, undefined);
      const result = first
        ? call(run, [`${limit}|${skip}|${prev}\n${request.evidence}`], request.budgetMs)
        : call(cont, [String(limit)], request.budgetMs);
      first = false;
      if (result.ok) {
        position = limit;
        if (position >= n) return result.value;
        onStep(position, result.value);
        continue;
      }
      const message =
        result.kind === "budget"
          ? `stopped: the rule ran over its ${request.budgetMs} ms budget`
          : result.message;
      const marked = call(fail, [result.kind, message], LIMITS.loadBudgetMs);
      if (!marked.ok) throw new Error(`the sandbox could not record a failure: ${marked.message}`);
      position = decode(marked.value).codes.length;
      onStep(position, marked.value, true);
    }
    throw new Error("the sandbox did not make progress");
  }

  async function maintain(): Promise<boolean> {
    if (!rebuildPending) return false;
    rebuildPending = false;
    await rebuild();
    return true;
  }

  async function evaluate(request: EvalRequest, onProgress?: (index: number) => void): Promise<EvalReply> {
    await maintain();
    const restarts: RestartReason[] = [];
    const p = programs.get(request.rulesetKey);
    if (!p) return failRest("", [], 0, "load", "the rule set is not loaded in this sandbox", restarts);
    const n = p.program.rules.length;
    if (p.loadError) return failRest("", [], n, "load", p.loadError, restarts);
    // Settled results for rules [0, from): codes and their errors.
    let codes = "";
    let errors: RuleError[] = [];
    let from = 0;
    let stepwise = request.stepwise === true;
    for (let recoveries = 0; ; recoveries += 1) {
      let seenCodes = codes;
      let seenErrors: RuleError[] = [];
      let position = from;
      try {
        const encoded = runRange(p, request, from, codes, stepwise, (at, partial, afterFailure) => {
          position = at;
          // Stepwise: before every rule (to blame a hang). Otherwise after a rule was stopped, as a
          // heartbeat: the sandbox is cooperating, however long a run of runaway rules takes.
          if (partial === undefined ? stepwise : afterFailure && !stepwise) onProgress?.(at);
          if (partial === undefined) return;
          const decoded = decode(partial);
          seenCodes = decoded.codes;
          seenErrors = decoded.errors;
        });
        const decoded = decode(encoded);
        codes = decoded.codes;
        errors = [...errors, ...decoded.errors];
        break;
      } catch {
        // The host side of the module failed, so the module is unusable: build a new one. When
        // going a rule at a time we know which rule was running; otherwise re-run a rule at a
        // time to find out.
        restarts.push("crash");
        if (stepwise) {
          codes = `${seenCodes.slice(0, position)}e`;
          errors = [...errors, ...seenErrors, [position, "crash", "the rule crashed the sandbox"]];
          from = position + 1;
        } else {
          codes = "";
          errors = [];
          from = 0;
          stepwise = true;
        }
        try {
          onProgress?.(-1); // a heartbeat: rebuilding takes a while, but we are not hung
          await rebuild();
          onProgress?.(-1);
        } catch (error) {
          return failRest(
            codes,
            errors,
            n,
            "crash",
            `the sandbox could not be rebuilt: ${String(error)}`,
            restarts,
          );
        }
        if (from >= n) break;
        if (p.loadError || !p.run || recoveries >= MAX_CRASH_RECOVERIES) {
          return failRest(codes, errors, n, "crash", "the sandbox failed repeatedly", restarts);
        }
      }
    }
    if (p.refused.size > 0) {
      const patched = codes.split("");
      for (const [i, message] of p.refused) {
        patched[i] = "e";
        errors.push([i, "compile", message]);
      }
      codes = patched.join("");
    }
    if (errors.some(([, kind]) => kind === "oom")) {
      // The guest survived running out of memory, but the next request starts on a clean heap
      // (rebuilt by maintain(), after this answer has gone out).
      restarts.push("oom");
      rebuildPending = true;
    }
    return { codes, errors, restarts };
  }

  return {
    load,
    drop,
    has: (rulesetKey) => programs.has(rulesetKey),
    evaluate,
    maintain,
    dispose: () => {
      // Abandoned like a rebuilt module (see rebuild); only our references go.
      programs.clear();
    },
  };
}

/** Settled results so far, with every rule from `codes.length` on failed for one reason. */
function failRest(
  codes: string,
  errors: RuleError[],
  n: number,
  kind: RuleError[1],
  message: string,
  restarts: RestartReason[],
): EvalReply {
  const rest = Array.from(
    { length: Math.max(0, n - codes.length) },
    (_, k): RuleError => [codes.length + k, kind, message],
  );
  return { codes: codes + "e".repeat(rest.length), errors: [...errors, ...rest], restarts };
}

/** Splits the runner's answer (see wasm/runner.js). */
export function decode(encoded: string): { codes: string; errors: RuleError[] } {
  const sep = encoded.indexOf("\u0001");
  if (sep < 0) return { codes: encoded, errors: [] };
  return { codes: encoded.slice(0, sep), errors: JSON.parse(encoded.slice(sep + 1)) as RuleError[] };
}
