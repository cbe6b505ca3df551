/**
 * The enabled rules → one sandbox program. Pure and total: a rule that does not validate, has a
 * bad or duplicate name, or sits on a cycle is marked broken (it evaluates as an error) and the
 * rest compile as usual. Rules are ordered so that every rule comes after the rules it names.
 *
 * Each rule compiles on its own (compile/rule.ts); given a RuleCompileCache, a rule version
 * compiled for an earlier rule set is reused while the rule names it depends on still resolve
 * the same way, so a rebuild after one edit checks and generates only what changed.
 */
import { createHash } from "node:crypto";
import { describeCycle, findCycles } from "../check/cycles.ts";
import { ruleNameProblem } from "../check/names.ts";
import type { RuleDefinition, RuleKind } from "../types.ts";
import type { ProgramList } from "./constants.ts";
import type { ProgramRule, SandboxProgram } from "./program.ts";
import {
  type CompiledUnit,
  compileRule,
  type MemoEntry,
  memoKey,
  type RuleCompilation,
  type RuleCompileCache,
  RuleNames,
  reusable,
  ruleFingerprint,
} from "./rule.ts";

/** Bump when the generated code changes meaning, so versions from older code never mix. */
const COMPILER_REVISION = 2;

/** One rule of a compiled set (what `CompiledRuleset.rules` holds at run time). */
export interface CompiledRule {
  id: number;
  name: string;
  version: number;
  kind: RuleKind;
}

export interface CompiledRuleset {
  /** Identifies this rule set: changes whenever any rule's id/version (or content) changes. */
  readonly rulesetKey: string;
  /** Every rule, in evaluation (dependency) order; broken rules last. */
  readonly rules: ReadonlyArray<{ id: number; name: string }>;
  /** Rules that could not be compiled, by name, with why; they evaluate as errors (false). */
  readonly broken: ReadonlyMap<string, string>;
  /** Evidence variables any rule reads: the result cache key is built from these only. */
  readonly reads: readonly string[];
  /** What the sandbox loads (see compile/program.ts). */
  readonly program: SandboxProgram;
}

interface Prepared {
  rule: RuleDefinition;
  compiled: CompiledUnit;
  /** Other rules it names. */
  refs: readonly string[];
}

export interface CompileOptions {
  /** Reuse of earlier compilations (see compile/rule.ts); none: every rule compiles. */
  cache?: RuleCompileCache;
}

export function compileRuleset(
  rules: readonly RuleDefinition[],
  options: CompileOptions = {},
): CompiledRuleset {
  const { cache } = options;
  const sorted = [...rules].sort((a, b) => a.id - b.id);
  const broken = new Map<string, string>();
  const count = new Map<string, number>();
  for (const rule of sorted) count.set(rule.name, (count.get(rule.name) ?? 0) + 1);
  /** Names other rules may refer to: every well-formed name, even of a rule that is broken. */
  const knownNames = new RuleNames();
  const candidates: RuleDefinition[] = [];
  for (const rule of sorted) {
    const problem = ruleNameProblem(rule.name);
    if (problem) broken.set(rule.name, problem);
    else {
      knownNames.add(rule.name);
      // Names are unique by contract; if not, no rule of that name runs.
      if ((count.get(rule.name) ?? 0) > 1)
        broken.set(rule.name, `more than one rule is named "${rule.name}"`);
      else candidates.push(rule);
    }
  }

  const memo = new Map<string, MemoEntry>();
  const fingerprints = new Map<RuleDefinition, string>();
  const prepared = new Map<string, Prepared>();
  for (const rule of candidates) {
    const { outcome, fingerprint } = compileWithMemo(rule, knownNames, cache, memo);
    if (fingerprint) fingerprints.set(rule, fingerprint);
    if (!outcome.ok) broken.set(rule.name, outcome.error);
    else prepared.set(rule.name, { rule, compiled: outcome.compiled, refs: outcome.compiled.refs });
  }
  if (cache) {
    // Keep what this rule set uses: the cache holds one catalog's rules, not every version seen.
    cache.entries.clear();
    for (const [key, entry] of memo) cache.entries.set(key, entry);
  }

  const graph = new Map([...prepared].map(([name, p]) => [name, p.refs]));
  for (const members of findCycles(graph)) {
    const text = `cycle: ${describeCycle(members, graph)}`;
    for (const name of members) {
      broken.set(name, text);
      prepared.delete(name);
    }
  }

  const order = dependencyOrder(prepared);
  const ruleIndex = new Map(order.map((p, i) => [p.rule.name, i]));
  // Broken rules keep a place (after all others) so rules referring to them read false.
  const brokenRules = sorted.filter((r) => !prepared.has(r.name));
  brokenRules.forEach((r, i) => {
    if (!ruleIndex.has(r.name)) ruleIndex.set(r.name, order.length + i);
  });

  const units: Array<ProgramRule | null> = [];
  const compiled: CompiledRule[] = [];
  const lists = new Map<string, string>();
  const reads = new Set<string>();
  const referenced = new Set<string>();
  for (const p of order) {
    units.push(p.compiled.unit);
    compiled.push(describe(p.rule));
    for (const [key, encoded] of p.compiled.lists) lists.set(key, encoded);
    for (const name of p.compiled.reads) reads.add(name);
    for (const name of p.refs) referenced.add(name);
  }
  for (const rule of brokenRules) {
    units.push(null);
    compiled.push(describe(rule));
  }
  const ruleRefs = [...referenced].sort().map((name) => [name, ruleIndex.get(name) ?? -1] as const);

  return {
    rulesetKey: rulesetKeyOf(sorted, (r) => fingerprints.get(r) ?? ruleFingerprint(r)),
    rules: compiled,
    broken,
    reads: [...reads].sort(),
    program: {
      rules: units,
      lists: [...lists] as ProgramList[],
      ruleRefs,
      ruleVersions: compiled.map((r) => r.version),
    },
  };
}

/**
 * One rule's compilation: from the cache when it still holds, else compiled (and remembered in
 * `memo`, which becomes the cache's content), with its fingerprint when the memo has it.
 */
function compileWithMemo(
  rule: RuleDefinition,
  names: RuleNames,
  cache: RuleCompileCache | undefined,
  memo: Map<string, MemoEntry>,
): { outcome: RuleCompilation; fingerprint?: string } {
  if (!cache) return { outcome: compileRule(rule, names).outcome };
  const key = memoKey(rule);
  const cached = cache.entries.get(key);
  const reused = reusable(cached, rule, names);
  if (reused && cached) {
    cache.stats.reused += 1;
    memo.set(key, cached);
    return { outcome: reused, fingerprint: cached.fingerprint };
  }
  cache.stats.compiled += 1;
  const { outcome, asked } = compileRule(rule, names);
  if (!asked) return { outcome }; // it depends on every rule name: not reusable
  const copy = { ...rule, appCodes: [...rule.appCodes] };
  const entry: MemoEntry = { rule: copy, asked, outcome, fingerprint: ruleFingerprint(copy) };
  memo.set(key, entry);
  return { outcome, fingerprint: entry.fingerprint };
}

/** Dependencies first; otherwise by id, so the same set always compiles to the same program. */
function dependencyOrder(prepared: ReadonlyMap<string, Prepared>): Prepared[] {
  const order: Prepared[] = [];
  const done = new Set<string>();
  const visit = (start: Prepared) => {
    // Iterative DFS (a chain of 1,000 rules must not overflow the stack); the graph is acyclic here.
    const stack: Array<{ p: Prepared; next: number }> = [{ p: start, next: 0 }];
    const entered = new Set<string>([start.rule.name]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (!top) break;
      const ref = top.p.refs[top.next];
      if (ref !== undefined) {
        top.next += 1;
        const dep = prepared.get(ref);
        if (dep && !done.has(ref) && !entered.has(ref)) {
          entered.add(ref);
          stack.push({ p: dep, next: 0 });
        }
        continue;
      }
      stack.pop();
      if (!done.has(top.p.rule.name)) {
        done.add(top.p.rule.name);
        order.push(top.p);
      }
    }
  };
  for (const p of prepared.values()) if (!done.has(p.rule.name)) visit(p);
  return order;
}

function describe(rule: RuleDefinition): CompiledRule {
  return { id: rule.id, name: rule.name, version: rule.version, kind: rule.kind };
}

/**
 * A hash of everything that shapes the program, independent of the order rules arrive in: of
 * each rule's id, version and content (`fingerprint`, which the compile memo keeps per rule
 * version, so that hashing a catalog of long rules does not re-read every rule).
 */
export function rulesetKeyOf(
  sortedRules: readonly RuleDefinition[],
  fingerprint: (rule: RuleDefinition) => string = ruleFingerprint,
): string {
  const lines = sortedRules.map((r) => `${r.id}:${r.version}:${fingerprint(r)}\n`);
  const hash = createHash("sha256").update(`lk-rules/${COMPILER_REVISION}\n${lines.join("")}`);
  return hash.digest("hex").slice(0, 20);
}
