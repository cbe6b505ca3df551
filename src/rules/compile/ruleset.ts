/**
 * The enabled rules → one sandbox program. Pure and total: a rule that does not validate, has a
 * bad or duplicate name, or sits on a cycle is marked broken (it evaluates as an error) and the
 * rest compile as usual. Rules are ordered so that every rule comes after the rules it names.
 */
import { createHash } from "node:crypto";
import { checkExpression, checkLk1, readsOf } from "../check/check-rule.ts";
import { describeCycle, findCycles } from "../check/cycles.ts";
import { ruleNameProblem } from "../check/names.ts";
import type { RuleDefinition, RuleKind } from "../types.ts";
import { ConstantPool, lk1Expression, ruleExpression } from "./codegen.ts";
import type { ProgramRule, SandboxProgram } from "./program.ts";

/** Bump when the generated code changes meaning, so versions from older code never mix. */
const COMPILER_REVISION = 1;

/** One rule of a compiled set (what `CompiledRuleset.rules` holds at run time). */
export interface CompiledRule {
  id: number;
  name: string;
  version: number;
  kind: RuleKind;
}

export interface CompiledRuleset {
  /** Identifies this rule set: changes whenever any rule's id/version (or content) changes. */
  readonly version: string;
  /** Every rule, in evaluation (dependency) order; broken rules last. */
  readonly rules: ReadonlyArray<{ id: number; name: string }>;
  /** Rules that could not be compiled, by name, with why; they evaluate as errors (false). */
  readonly broken: ReadonlyMap<string, string>;
  /** Evidence variables any rule reads: the result cache key is built from these only. */
  readonly reads: readonly string[];
  /**
   * What the sandbox loads (see compile/program.ts). Always set by compileRuleset; optional so
   * that hand-made rule sets in other modules' tests stay valid (they evaluate as errors).
   */
  readonly program?: SandboxProgram;
}

/** What compileRuleset returns: a rule set with its program. */
export type LoadableRuleset = CompiledRuleset & { readonly program: SandboxProgram };

interface Prepared {
  rule: RuleDefinition;
  /** Other rules it names. */
  refs: string[];
  /** Evidence it names directly (bound as locals in the program). */
  evidence: readonly string[];
  /** Evidence it depends on, helpers' implied reads included. */
  reads: Set<string>;
  helpers: readonly string[];
  emit: (pool: ConstantPool) => string;
}

export function compileRuleset(rules: readonly RuleDefinition[]): LoadableRuleset {
  const sorted = [...rules].sort((a, b) => a.id - b.id);
  const broken = new Map<string, string>();
  const count = new Map<string, number>();
  for (const rule of sorted) count.set(rule.name, (count.get(rule.name) ?? 0) + 1);
  /** Names other rules may refer to: every well-formed name, even of a rule that is broken. */
  const knownNames = new Set<string>();
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

  const prepared = new Map<string, Prepared>();
  for (const rule of candidates) {
    const entry = prepare(rule, knownNames);
    if (typeof entry === "string") broken.set(rule.name, entry);
    else prepared.set(rule.name, entry);
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

  const pool = new ConstantPool();
  const sources: Array<ProgramRule | null> = [];
  const compiled: CompiledRule[] = [];
  const reads = new Set<string>();
  const helpers = new Set<string>();
  const evidence = new Set<string>();
  const referenced = new Set<string>();
  for (const p of order) {
    let source: ProgramRule | null = null;
    try {
      source = { expression: p.emit(pool) };
      for (const name of p.reads) reads.add(name);
      for (const name of p.helpers) helpers.add(name);
      for (const name of p.evidence) evidence.add(name);
      for (const name of p.refs) referenced.add(name);
    } catch (error) {
      broken.set(
        p.rule.name,
        `internal compiler error: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    sources.push(source);
    compiled.push(describe(p.rule));
  }
  for (const rule of brokenRules) {
    sources.push(null);
    compiled.push(describe(rule));
  }
  const ruleRefs = [...referenced].sort().map((name) => [name, ruleIndex.get(name) ?? -1] as const);

  return {
    version: rulesetVersion(sorted),
    rules: compiled,
    broken,
    reads: [...reads].sort(),
    program: {
      prologue: prologue(helpers, pool),
      rules: sources,
      evidence: [...evidence].sort(),
      ruleRefs,
      ruleVersions: compiled.map((r) => r.version),
    },
  };
}

function prepare(rule: RuleDefinition, knownNames: ReadonlySet<string>): Prepared | string {
  if (rule.kind === "lk1") {
    const check = checkLk1(rule.appCodes);
    if (!check.valid) return check.errors.map((e) => e.message).join("; ");
    return {
      rule,
      refs: [],
      evidence: [],
      reads: new Set(["apps"]),
      helpers: [],
      emit: (pool) => lk1Expression(rule.appCodes, pool),
    };
  }
  if (rule.kind !== "expression") return `unknown rule kind "${String(rule.kind)}"`;
  const others = new Set([...knownNames].filter((name) => name !== rule.name));
  const checked = checkExpression(rule.expression, { ruleNames: others, selfName: rule.name });
  if (!checked.valid) {
    const first = checked.check.errors[0];
    return first ? `${first.line}:${first.column}: ${first.message}` : "invalid expression";
  }
  const { expression, analysis } = checked;
  return {
    rule,
    refs: [...analysis.rules.keys()],
    evidence: [...analysis.evidence],
    reads: readsOf(analysis),
    helpers: [...analysis.helpers],
    emit: (pool) => ruleExpression({ source: rule.expression, expression, analysis, pool }),
  };
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

function prologue(helpers: ReadonlySet<string>, pool: ConstantPool): string {
  const bind = helpers.size > 0 ? `const { ${[...helpers].sort().join(", ")} } = $H;\n` : "";
  return bind + pool.text();
}

function describe(rule: RuleDefinition): CompiledRule {
  return { id: rule.id, name: rule.name, version: rule.version, kind: rule.kind };
}

/** A hash of everything that shapes the program, independent of the order rules arrive in. */
export function rulesetVersion(sortedRules: readonly RuleDefinition[]): string {
  const hash = createHash("sha256");
  hash.update(`lk-rules/${COMPILER_REVISION}\n`);
  for (const r of sortedRules) {
    hash.update(JSON.stringify([r.id, r.version, r.name, r.kind, r.expression, r.appCodes]));
    hash.update("\n");
  }
  return hash.digest("hex").slice(0, 20);
}
