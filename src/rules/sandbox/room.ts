/**
 * One QuickJS context with the sandbox library in it (wasm/runner.js), and what it holds: the
 * lists and rule units defined in it, by content key. Installing a program defines only what
 * the context does not hold yet, so a new version of a rule set with one rule edited compiles
 * one unit and decodes at most one list. The engine (engine.ts) owns the rooms; a room is
 * abandoned whole when its module fails, and the programs are installed again in a new one.
 */
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from "quickjs-emscripten";
import {
  layoutJson,
  type ProgramRule,
  programUnits,
  type SandboxProgram,
  unitConstantsJson,
  unitsText,
  unitText,
} from "../compile/program.ts";
import { LIMITS } from "../limits.ts";
import type { RuleError } from "./protocol.ts";

export type CallResult = { ok: true; value: string } | { ok: false; kind: RuleError[1]; message: string };

/** The library's functions (wasm/runner.js). */
type Library = Record<"defineLists" | "defineUnits" | "dropLists" | "dropUnits" | "load", QuickJSHandle>;

export interface Room {
  readonly module: QuickJSWASMModule;
  readonly runtime: QuickJSRuntime;
  readonly context: QuickJSContext;
  readonly library: Library;
  /** When the interrupt handler stops the guest (performance.now() time). */
  readonly clock: { deadline: number };
  /** Lists and units defined in this context, by content key. */
  readonly lists: Set<string>;
  readonly units: Set<string>;
  /** Units QuickJS refused (to compile or to build), with why. */
  readonly refusedUnits: Map<string, string>;
  /** The memory limit last fitted (see fitMemoryLimit), and text defined since. */
  readonly memory: { limit: number | undefined; unfittedBytes: number };
}

/** A program installed in a room: its entry points, or why it could not be. */
export type Installed =
  | { ok: true; run: QuickJSHandle; cont: QuickJSHandle; fail: QuickJSHandle; refused: Map<number, string> }
  | { ok: false; error: string; refused: Map<number, string> };

/** What installing a program had to compile (see EngineOptions.onInstall). */
export interface InstallWork {
  units: number;
  lists: number;
}

export function buildRoom(module: QuickJSWASMModule, stackBytes: number, librarySource: string): Room {
  const runtime = module.newRuntime();
  runtime.setMaxStackSize(stackBytes);
  runtime.setMemoryLimit(LIMITS.loadMemoryBytes);
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
  const clock = { deadline: performance.now() + LIMITS.loadBudgetMs };
  runtime.setInterruptHandler(() => performance.now() > clock.deadline);
  const result = context.evalCode(librarySource, "lk-library.js");
  if (result.error) {
    const message = describeHandle(context, result.error);
    result.error.dispose();
    throw new Error(`the sandbox library failed to load: ${message}`);
  }
  const value = result.value;
  const get = (name: keyof Library) => context.getProp(value, name);
  const library: Library = {
    defineLists: get("defineLists"),
    defineUnits: get("defineUnits"),
    dropLists: get("dropLists"),
    dropUnits: get("dropUnits"),
    load: get("load"),
  };
  value.dispose();
  clock.deadline = Number.POSITIVE_INFINITY;
  return {
    module,
    runtime,
    context,
    library,
    clock,
    lists: new Set(),
    units: new Set(),
    refusedUnits: new Map(),
    memory: { limit: undefined, unfittedBytes: 0 },
  };
}

/**
 * Calls a guest function; a guest error is returned with its kind. Host-side failures throw
 * (the module is then unusable). The deadline is the caller's business: `beforeDescribe` lets it
 * give reading an escaped error a bounded time of its own (it may be a trap).
 */
export function callGuest(
  room: Room,
  fn: QuickJSHandle,
  args: ReadonlyArray<string | QuickJSHandle>,
  beforeDescribe?: () => void,
): CallResult {
  const { context } = room;
  const made = args.map((a) => (typeof a === "string" ? context.newString(a) : undefined));
  try {
    const handles = args.map((a, i) => made[i] ?? (a as QuickJSHandle));
    const result = context.callFunction(fn, context.undefined, ...handles);
    if (result.error) {
      beforeDescribe?.();
      const message = describeHandle(context, result.error);
      result.error.dispose();
      return { ok: false, kind: classify(message), message };
    }
    const value = context.typeof(result.value) === "string" ? context.getString(result.value) : "";
    result.value.dispose();
    return { ok: true, value };
  } finally {
    for (const h of made) if (h?.alive) h.dispose();
  }
}

/** Installs a program: its lists and units the room does not hold yet, then its layout. */
export function installProgram(room: Room, program: SandboxProgram, work: InstallWork): Installed {
  room.clock.deadline = performance.now() + LIMITS.loadBudgetMs;
  try {
    const failed = defineLists(room, program, work) ?? defineUnits(room, programUnits(program), work);
    const refused = new Map<number, string>();
    if (failed !== undefined)
      return { ok: false, error: `the sandbox could not compile the rule set: ${failed}`, refused };
    program.rules.forEach((rule, i) => {
      const why = rule && room.refusedUnits.get(rule.key);
      if (why) refused.set(i, why);
    });
    const { context } = room;
    const layout = context.newString(layoutJson(program, new Set(refused.keys())));
    const runner = context.callFunction(room.library.load, context.undefined, layout);
    layout.dispose();
    if (runner.error) {
      const error = `the sandbox could not load the rule set: ${describeHandle(context, runner.error)}`;
      runner.error.dispose();
      return { ok: false, error, refused };
    }
    const entry = (name: string) => context.getProp(runner.value, name);
    const installed: Installed = {
      ok: true,
      run: entry("run"),
      cont: entry("cont"),
      fail: entry("fail"),
      refused,
    };
    runner.value.dispose();
    return installed;
  } finally {
    room.clock.deadline = Number.POSITIVE_INFINITY;
  }
}

/** Lists go in as strings of their own (no JSON to parse, and copy, again inside), a batch a call. */
const LISTS_PER_CALL = 256;

function defineLists(room: Room, program: SandboxProgram, work: InstallWork): string | undefined {
  const fresh = program.lists.filter(([key]) => !room.lists.has(key));
  for (let from = 0; from < fresh.length; from += LISTS_PER_CALL) {
    const batch = fresh.slice(from, from + LISTS_PER_CALL);
    const keys = batch.map(([key]) => key).join(",");
    const defined = callGuest(room, room.library.defineLists, [keys, ...batch.map(([, encoded]) => encoded)]);
    if (!defined.ok) return defined.message;
    for (const [key, encoded] of batch) {
      room.lists.add(key);
      room.memory.unfittedBytes += encoded.length;
    }
    work.lists += batch.length;
  }
  return undefined;
}

/**
 * Compiles the units the room does not hold yet, in one script; if QuickJS refuses it, one at a
 * time to find the units it refuses (the rest are still defined).
 */
function defineUnits(room: Room, units: readonly ProgramRule[], work: InstallWork): string | undefined {
  const { context } = room;
  let fresh = units.filter((u) => !room.units.has(u.key) && !room.refusedUnits.has(u.key));
  if (fresh.length === 0) return undefined;
  let factories = context.evalCode(unitsText(fresh), "rules.js");
  if (factories.error) {
    factories.error.dispose();
    fresh = fresh.filter((unit) => {
      const single = context.evalCode(unitText(unit), "rule.js");
      if (!single.error) {
        single.value.dispose();
        return true;
      }
      room.refusedUnits.set(
        unit.key,
        `the sandbox could not compile this rule: ${describeHandle(context, single.error)}`,
      );
      single.error.dispose();
      return false;
    });
    if (fresh.length === 0) return undefined;
    factories = context.evalCode(unitsText(fresh), "rules.js");
  }
  if (factories.error) {
    const why = describeHandle(context, factories.error);
    factories.error.dispose();
    return why;
  }
  try {
    const keys = fresh.map((u) => u.key).join(",");
    const defined = callGuest(room, room.library.defineUnits, [
      keys,
      factories.value,
      unitConstantsJson(fresh),
    ]);
    if (!defined.ok) return defined.message;
    const failed = new Map(
      defined.value === "" ? [] : (JSON.parse(defined.value) as Array<[string, string]>),
    );
    for (const unit of fresh) {
      const why = failed.get(unit.key);
      if (why === undefined) room.units.add(unit.key);
      else room.refusedUnits.set(unit.key, `the sandbox could not build this rule: ${why}`);
      room.memory.unfittedBytes += unit.expression.length;
    }
    work.units += fresh.length;
    return undefined;
  } finally {
    factories.value.dispose();
  }
}

/** Forgets the lists and units none of `programs` uses. */
export function sweepRoom(room: Room, programs: Iterable<SandboxProgram>): void {
  const liveUnits = new Set<string>();
  const liveLists = new Set<string>();
  for (const program of programs) {
    for (const rule of program.rules) {
      if (!rule) continue;
      liveUnits.add(rule.key);
      for (const [, list] of rule.constants) liveLists.add(list);
    }
  }
  const deadUnits = [...room.units].filter((key) => !liveUnits.has(key));
  const deadLists = [...room.lists].filter((key) => !liveLists.has(key));
  for (const key of room.refusedUnits.keys()) if (!liveUnits.has(key)) room.refusedUnits.delete(key);
  if (deadUnits.length > 0) callGuest(room, room.library.dropUnits, [deadUnits.join(",")]);
  if (deadLists.length > 0) callGuest(room, room.library.dropLists, [deadLists.join(",")]);
  for (const key of deadUnits) room.units.delete(key);
  for (const key of deadLists) room.lists.delete(key);
}

/** Text defined since the last fit after which the limit is fitted again (see fitMemoryLimit). */
const REFIT_AFTER_BYTES = 1024 * 1024;

/**
 * The memory limit of requests: what the loaded programs occupy + the headroom of one request.
 * quickjs-emscripten 0.32's dump has no `malloc_size` (reading it gave 0, so the limit was the
 * headroom alone, whatever the catalog took); `memory_used_size` is QuickJS's own count of the
 * heap. Measuring walks the whole heap (~2–6 ms at 1,000 rules), so after a load that added
 * little (an edited rule) the last limit is kept: requests get up to ~1 MiB of text's worth less
 * headroom until the next fit, which is noise next to 32 MiB.
 */
export function fitMemoryLimit(room: Room, headroomBytes: number): void {
  const { memory, runtime } = room;
  if (memory.limit !== undefined && memory.unfittedBytes < REFIT_AFTER_BYTES) {
    runtime.setMemoryLimit(memory.limit);
    return;
  }
  const usage = runtime.computeMemoryUsage();
  const dump = room.context.dump(usage) as { malloc_size?: number; memory_used_size?: number };
  usage.dispose();
  const used = Number(dump.malloc_size ?? dump.memory_used_size ?? 0);
  memory.limit = (Number.isFinite(used) ? used : 0) + headroomBytes;
  memory.unfittedBytes = 0;
  runtime.setMemoryLimit(memory.limit);
}

export function classify(message: string): RuleError[1] {
  if (message.includes("interrupted")) return "budget";
  if (message.includes("out of memory")) return "oom";
  if (message.includes("stack overflow")) return "stack";
  return "throw";
}

/**
 * The message of a value that escaped the guest. Only primitive reads: the escaped value is
 * normally QuickJS's own uncatchable "interrupted" error, but nothing of the guest's is trusted.
 */
export function describeHandle(context: QuickJSContext, handle: QuickJSHandle): string {
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
