/**
 * One rule → its unit (compile/program.ts), and the memo that lets a rebuild of the rule set
 * recompile only the rules that changed.
 *
 * What a rule compiles to depends on the rule (id, version, name, kind, text) and on one thing
 * outside it: which of the names it uses are rules. `a && is_manager` compiles while a rule `a`
 * exists and is broken ("unknown name") once it is gone. So the compile records every name it
 * asked about, with the answer, and a memo entry is reused only while all those answers hold.
 * An error message may list every rule name (the "did you mean" suggestion): such an outcome
 * depends on all names and is not reused.
 */
import { checkExpression, checkLk1, readsOf } from "../check/check-rule.ts";
import type { RuleDefinition } from "../types.ts";
import { lk1Expression, ruleExpression } from "./codegen.ts";
import { ConstantPool, contentKey, type ProgramList } from "./constants.ts";
import type { ProgramRule } from "./program.ts";

/** A rule that compiled. */
export interface CompiledUnit {
  /** Other rules it names: edges of the dependency graph. */
  readonly refs: readonly string[];
  /** Evidence it depends on, helpers' implied reads (and the clock) included. */
  readonly reads: readonly string[];
  readonly unit: ProgramRule;
  readonly lists: readonly ProgramList[];
}

export type RuleCompilation = { ok: true; compiled: CompiledUnit } | { ok: false; error: string };

/**
 * Memoised compilations, owned by whoever rebuilds rule sets (the catalog store) and passed to
 * compileRuleset. Holds the rules of the last rule set compiled with it.
 */
export interface RuleCompileCache {
  /** Rules compiled (memo misses) and reused (hits), since the cache was made. */
  readonly stats: { compiled: number; reused: number };
  /** @internal for compileRuleset */
  readonly entries: Map<string, MemoEntry>;
}

export interface MemoEntry {
  readonly rule: RuleDefinition;
  /** Names the check asked "is this a rule?" about, and the answers. */
  readonly asked: ReadonlyMap<string, boolean>;
  readonly outcome: RuleCompilation;
  /** ruleFingerprint(rule), for the rule set's version. */
  readonly fingerprint: string;
}

export function createRuleCompileCache(): RuleCompileCache {
  return { stats: { compiled: 0, reused: 0 }, entries: new Map() };
}

/**
 * The names of the rules, as the check of one rule sees them: every known name but its own.
 * A real Set of all names (the check may iterate it for suggestions) that notes what the check
 * asks: has() answers are recorded, and iterating marks the outcome as depending on every name.
 */
export class RuleNames extends Set<string> {
  private self = "";
  private asked = new Map<string, boolean>();
  private iterated = false;

  /** Starts the check of the rule named `self`. */
  checking(self: string): void {
    this.self = self;
    this.asked = new Map();
    this.iterated = false;
  }

  /** What the check of the current rule depended on; undefined when on every name. */
  dependencies(): ReadonlyMap<string, boolean> | undefined {
    return this.iterated ? undefined : this.asked;
  }

  /** Whether `name` is another rule, as the check of the current rule would see it. */
  isOther(name: string): boolean {
    return name !== this.self && super.has(name);
  }

  override has(name: string): boolean {
    const answer = this.isOther(name);
    this.asked.set(name, answer);
    return answer;
  }

  override get size(): number {
    return super.size - (super.has(this.self) ? 1 : 0);
  }

  // Iterating happens only to suggest a name for an unknown one: rare, so a copy is fine.
  override values(): SetIterator<string> {
    this.iterated = true;
    const others = new Set(super.values());
    others.delete(this.self);
    return others.values();
  }

  override keys(): SetIterator<string> {
    return this.values();
  }

  override [Symbol.iterator](): SetIterator<string> {
    return this.values();
  }

  override entries(): SetIterator<[string, string]> {
    return new Set(this.values()).entries();
  }

  override forEach(callback: (value: string, value2: string, set: Set<string>) => void, thisArg?: unknown) {
    for (const name of this.values()) callback.call(thisArg, name, name, this);
  }
}

/** A hash of what a rule says (not of its id and version). */
export function ruleFingerprint(rule: RuleDefinition): string {
  return contentKey(JSON.stringify([rule.name, rule.kind, rule.expression, rule.appCodes]));
}

/** The memo key: a rule version; the entry is checked against the content too. */
export function memoKey(rule: RuleDefinition): string {
  return `${rule.id}:${rule.version}`;
}

function sameContent(a: RuleDefinition, b: RuleDefinition): boolean {
  return (
    a.name === b.name &&
    a.kind === b.kind &&
    a.expression === b.expression &&
    a.appCodes.length === b.appCodes.length &&
    a.appCodes.every((code, i) => code === b.appCodes[i])
  );
}

/** The memoised compilation of `rule` if it still holds for these names. */
export function reusable(entry: MemoEntry | undefined, rule: RuleDefinition, names: RuleNames) {
  if (!entry || !sameContent(entry.rule, rule)) return undefined;
  names.checking(rule.name);
  for (const [name, answer] of entry.asked) if (names.isOther(name) !== answer) return undefined;
  return entry.outcome;
}

/**
 * Compiles one rule against the names of the others. Pure: the same rule and answers give the
 * same outcome. Returns the outcome and what it depended on (undefined: every name).
 */
export function compileRule(
  rule: RuleDefinition,
  names: RuleNames,
): { outcome: RuleCompilation; asked: ReadonlyMap<string, boolean> | undefined } {
  names.checking(rule.name);
  const outcome = compileChecked(rule, names);
  return { outcome, asked: names.dependencies() };
}

function compileChecked(rule: RuleDefinition, names: RuleNames): RuleCompilation {
  const pool = new ConstantPool();
  if (rule.kind === "lk1") {
    const check = checkLk1(rule.appCodes);
    if (!check.valid) return { ok: false, error: check.errors.map((e) => e.message).join("; ") };
    return emitted(pool, { refs: [], evidence: [], reads: ["apps"], helpers: [] }, () =>
      lk1Expression(rule.appCodes, pool),
    );
  }
  if (rule.kind !== "expression") return { ok: false, error: `unknown rule kind "${String(rule.kind)}"` };
  const checked = checkExpression(rule.expression, { ruleNames: names, selfName: rule.name });
  if (!checked.valid) {
    const first = checked.check.errors[0];
    return {
      ok: false,
      error: first ? `${first.line}:${first.column}: ${first.message}` : "invalid expression",
    };
  }
  const { expression, analysis } = checked;
  const shape = {
    refs: [...analysis.rules.keys()].sort(),
    evidence: [...analysis.evidence].sort(),
    reads: [...readsOf(analysis)].sort(),
    helpers: [...analysis.helpers].sort(),
  };
  return emitted(pool, shape, () => ruleExpression({ source: rule.expression, expression, analysis, pool }));
}

function emitted(
  pool: ConstantPool,
  shape: { refs: string[]; evidence: string[]; reads: string[]; helpers: string[] },
  emit: () => string,
): RuleCompilation {
  let expression: string;
  try {
    expression = emit();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `internal compiler error: ${message}` };
  }
  const constants = pool.bindings();
  const body = { expression, evidence: shape.evidence, rules: shape.refs, helpers: shape.helpers, constants };
  return {
    ok: true,
    compiled: {
      refs: shape.refs,
      reads: shape.reads,
      unit: { key: contentKey(JSON.stringify(body)), ...body },
      lists: pool.lists(),
    },
  };
}
