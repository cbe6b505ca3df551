/**
 * QuickJS itself: one WebAssembly module, runtime and context holding the loaded rule programs,
 * and the evaluation of one request in one call into the guest. Everything that can go wrong in
 * there is turned into per-rule errors:
 *  - a rule that throws: caught in the guest (wasm/runner.js);
 *  - a rule over its CPU budget: stopped by the interrupt handler, marked, the rest resumed;
 *  - out of memory: the rule fails, and the runtime is rebuilt after the request;
 *  - an exception on the host side (the module is then unusable): a new module is built and
 *    the request is re-run a rule at a time, skipping the rule that broke it.
 * Runs wherever it is created: in a sandbox process (host-process.ts), or in tests directly.
 */
import {
  newQuickJSWASMModuleFromVariant,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSWASMModule,
  RELEASE_SYNC,
} from "quickjs-emscripten";
import { programText, type SandboxProgram, singleRuleText } from "../compile/program.ts";
import { LIMITS } from "../limits.ts";
import { sandboxLibrarySource } from "./library.ts";
import type { EvalReply, EvalRequest, LoadReply, RestartReason, RuleError } from "./protocol.ts";

export interface EngineOptions {
  /** Builds a fresh QuickJS module (injectable so tests can simulate a broken one). */
  newModule?: () => Promise<QuickJSWASMModule>;
  stackBytes?: number;
  requestHeadroomBytes?: number;
}

export interface Engine {
  load(version: string, program: SandboxProgram): Promise<LoadReply>;
  drop(version: string): void;
  has(version: string): boolean;
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

type CallResult = { ok: true; value: string } | { ok: false; kind: RuleError[1]; message: string };

interface LoadedProgram {
  program: SandboxProgram;
  refused: Map<number, string>;
  loadError?: string;
  run?: QuickJSHandle;
  cont?: QuickJSHandle;
  fail?: QuickJSHandle;
}

interface Room {
  module: QuickJSWASMModule;
  runtime: QuickJSRuntime;
  context: QuickJSContext;
  load: QuickJSHandle;
}

const MAX_CRASH_RECOVERIES = 3;

export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  const newModule = options.newModule ?? (() => newQuickJSWASMModuleFromVariant(RELEASE_SYNC));
  const stackBytes = options.stackBytes ?? LIMITS.stackBytes;
  const headroom = options.requestHeadroomBytes ?? LIMITS.requestHeadroomBytes;
  const library = sandboxLibrarySource();
  const programs = new Map<string, LoadedProgram>();
  let deadline = Number.POSITIVE_INFINITY;
  let room = await build(await newModule());
  let rebuildPending = false;

  async function build(module: QuickJSWASMModule): Promise<Room> {
    const runtime = module.newRuntime();
    runtime.setMaxStackSize(stackBytes);
    runtime.setMemoryLimit(LIMITS.loadMemoryBytes);
    runtime.setInterruptHandler(() => performance.now() > deadline);
    const context = runtime.newContext({
      intrinsics: {
        BaseObjects: true,
        Date: true,
        Eval: true, // needed by evalCode; the library removes eval and Function for rules
        StringNormalize: true,
        RegExp: true,
        JSON: true,
        MapSet: true,
      },
    });
    deadline = performance.now() + LIMITS.loadBudgetMs;
    const result = context.evalCode(library, "lk-library.js");
    if (result.error) {
      const message = describeHandle(context, result.error);
      result.error.dispose();
      throw new Error(`the sandbox library failed to load: ${message}`);
    }
    return { module, runtime, context, load: result.value };
  }

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
    room = await build(await newModule());
    for (const p of programs.values()) install(p);
    fitMemoryLimit();
  }

  function fitMemoryLimit() {
    const { runtime, context } = room;
    const usage = runtime.computeMemoryUsage();
    const used = Number((context.dump(usage) as { malloc_size?: number }).malloc_size ?? 0);
    usage.dispose();
    runtime.setMemoryLimit(used + headroom);
  }

  function call(fn: QuickJSHandle, args: readonly string[], budgetMs: number): CallResult {
    const { context } = room;
    const handles = args.map((a) => context.newString(a));
    try {
      deadline = performance.now() + budgetMs;
      const result = context.callFunction(fn, context.undefined, ...handles);
      if (result.error) {
        // Reading what escaped is bounded too, in case it is a trap.
        deadline = performance.now() + Math.min(budgetMs, 100);
        const message = describeHandle(context, result.error);
        result.error.dispose();
        return { ok: false, kind: classify(message), message };
      }
      const value = context.typeof(result.value) === "string" ? context.getString(result.value) : "";
      result.value.dispose();
      return { ok: true, value };
    } finally {
      deadline = Number.POSITIVE_INFINITY;
      for (const h of handles) if (h.alive) h.dispose();
    }
  }

  /** Compiles a program into the current context, isolating rules QuickJS refuses to compile. */
  function install(p: LoadedProgram) {
    const { context, load } = room;
    p.loadError = undefined;
    deadline = performance.now() + LIMITS.loadBudgetMs;
    try {
      let factory = context.evalCode(programText(p.program, new Set(p.refused.keys())), "rules.js");
      if (factory.error) {
        factory.error.dispose();
        p.program.rules.forEach((rule, i) => {
          if (rule === null || p.refused.has(i)) return;
          const single = context.evalCode(singleRuleText(rule), "rule.js");
          if (single.error) {
            p.refused.set(
              i,
              `the sandbox could not compile this rule: ${describeHandle(context, single.error)}`,
            );
            single.error.dispose();
          } else single.value.dispose();
        });
        factory = context.evalCode(programText(p.program, new Set(p.refused.keys())), "rules.js");
      }
      if (factory.error) {
        p.loadError = `the sandbox could not compile the rule set: ${describeHandle(context, factory.error)}`;
        factory.error.dispose();
        return;
      }
      const runner = context.callFunction(load, context.undefined, factory.value);
      factory.value.dispose();
      if (runner.error) {
        p.loadError = `the sandbox could not load the rule set: ${describeHandle(context, runner.error)}`;
        runner.error.dispose();
        return;
      }
      p.run = context.getProp(runner.value, "run");
      p.cont = context.getProp(runner.value, "cont");
      p.fail = context.getProp(runner.value, "fail");
      runner.value.dispose();
    } finally {
      deadline = Number.POSITIVE_INFINITY;
    }
  }

  async function load(version: string, program: SandboxProgram): Promise<LoadReply> {
    const existing = programs.get(version);
    const p: LoadedProgram = existing ?? { program, refused: new Map() };
    if (!existing) programs.set(version, p);
    if (!p.run && !p.loadError) {
      room.runtime.setMemoryLimit(LIMITS.loadMemoryBytes);
      try {
        install(p);
      } catch {
        // The module itself failed: start over on a new one.
        p.loadError = undefined;
        await rebuild();
      }
      fitMemoryLimit();
    }
    return { version, error: p.loadError, refused: [...p.refused] };
  }

  function drop(version: string) {
    const p = programs.get(version);
    if (!p) return;
    releaseHandles(p);
    programs.delete(version);
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
    const p = programs.get(request.version);
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
    has: (version) => programs.has(version),
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

function classify(message: string): RuleError[1] {
  if (message.includes("interrupted")) return "budget";
  if (message.includes("out of memory")) return "oom";
  if (message.includes("stack overflow")) return "stack";
  return "throw";
}

/**
 * The message of a value that escaped the guest. Only primitive reads: the escaped value is
 * normally QuickJS's own uncatchable "interrupted" error, but nothing of the guest's is trusted.
 */
function describeHandle(context: QuickJSContext, handle: QuickJSHandle): string {
  try {
    const type = context.typeof(handle);
    if (type === "string") return context.getString(handle).slice(0, LIMITS.maxErrorMessage);
    if (type !== "object") return `threw a ${type}`;
    const parts: string[] = [];
    for (const key of ["name", "message"]) {
      const h = context.getProp(handle, key);
      if (context.typeof(h) === "string") parts.push(context.getString(h).slice(0, LIMITS.maxErrorMessage));
      h.dispose();
    }
    return parts.join(": ") || "unknown error";
  } catch {
    return "unreadable error";
  }
}
