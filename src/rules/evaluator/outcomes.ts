/** The sandbox's compact answer → one outcome per rule name. */
import type { CompiledRuleset } from "../compile/ruleset.ts";
import type { EvalReply, RuleError } from "../sandbox/protocol.ts";
import type { RuleFailureKind, RuleOutcome, RuleResults } from "../types.ts";

const TRUE: RuleOutcome = Object.freeze({ ok: true, value: true });
const FALSE: RuleOutcome = Object.freeze({ ok: true, value: false });

/** Errors that depend on timing or the sandbox's state, not only on the evidence: never cached. */
export const TRANSIENT_ERRORS: ReadonlySet<RuleError[1]> = new Set([
  "budget",
  "hang",
  "crash",
  "load",
  "oom",
]);

/**
 * A rule set's outcomes for one employee, read from the sandbox's compact answer (a code per rule)
 * when asked, by the rule's position: not a Map of every rule per employee. Building that Map was
 * a tenth of the HTTP process's CPU when every request missed the result cache, and the tree and
 * the metrics read only a few rules of it. Failures (rare) are worked out when the answer comes.
 */
class CodedResults implements RuleResults {
  constructor(
    private readonly names: readonly string[],
    private readonly positions: ReadonlyMap<string, number>,
    private readonly codes: string,
    private readonly failures: ReadonlyMap<number, RuleOutcome>,
  ) {}

  get size(): number {
    return this.names.length;
  }

  get(name: string): RuleOutcome | undefined {
    const i = this.positions.get(name);
    return i === undefined ? undefined : this.at(i);
  }

  has(name: string): boolean {
    return this.positions.has(name);
  }

  forEach(callback: (value: RuleOutcome, key: string, map: RuleResults) => void, thisArg?: unknown): void {
    for (let i = 0; i < this.names.length; i++)
      callback.call(thisArg, this.at(i), this.names[i] as string, this);
  }

  *entries(): MapIterator<[string, RuleOutcome]> {
    for (let i = 0; i < this.names.length; i++) yield [this.names[i] as string, this.at(i)];
  }

  keys(): MapIterator<string> {
    return this.names.values();
  }

  *values(): MapIterator<RuleOutcome> {
    for (let i = 0; i < this.names.length; i++) yield this.at(i);
  }

  [Symbol.iterator](): MapIterator<[string, RuleOutcome]> {
    return this.entries();
  }

  private at(i: number): RuleOutcome {
    const code = this.codes[i];
    return code === "1" ? TRUE : code === "0" ? FALSE : (this.failures.get(i) as RuleOutcome);
  }
}

/** Per rule set: its rule names in order, and each name's position. */
const layouts = new WeakMap<CompiledRuleset, { names: string[]; positions: Map<string, number> }>();

function layoutOf(ruleset: CompiledRuleset) {
  let layout = layouts.get(ruleset);
  if (!layout) {
    const names = ruleset.rules.map((rule) => rule.name);
    layout = { names, positions: new Map(names.map((name, i) => [name, i])) };
    layouts.set(ruleset, layout);
  }
  return layout;
}

export function toResults(
  ruleset: CompiledRuleset,
  reply: EvalReply,
  whySkipped: (index: number) => string,
): RuleResults {
  const { names, positions } = layoutOf(ruleset);
  const failed = new Map<number, { kind: RuleError[1]; message: string }>();
  for (const [i, kind, message] of reply.errors) if (!failed.has(i)) failed.set(i, { kind, message });
  const failures = new Map<number, RuleOutcome>();
  for (let i = 0; i < names.length; i++) {
    const code = reply.codes[i];
    if (code === "1" || code === "0") continue;
    if (code === "s") failures.set(i, { ok: false, kind: "skipped", error: whySkipped(i) });
    else {
      const failure = failed.get(i);
      failures.set(i, {
        ok: false,
        kind: failure?.kind ?? "throw",
        error: failure?.message ?? "the rule failed",
      });
    }
  }
  return new CodedResults(names, positions, reply.codes, failures);
}

/** Every rule failed for one reason (used when nothing could be evaluated). */
export function allFailed(
  ruleset: CompiledRuleset,
  error: string,
  kind: RuleFailureKind = "crash",
): RuleResults {
  return new Map(ruleset.rules.map((rule) => [rule.name, { ok: false, error, kind }]));
}
