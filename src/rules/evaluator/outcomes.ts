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

export function toResults(
  ruleset: CompiledRuleset,
  reply: EvalReply,
  whySkipped: (index: number) => string,
): RuleResults {
  const failures = new Map<number, { kind: RuleError[1]; message: string }>();
  for (const [i, kind, message] of reply.errors) if (!failures.has(i)) failures.set(i, { kind, message });
  const results = new Map<string, RuleOutcome>();
  ruleset.rules.forEach((rule, i) => {
    const code = reply.codes[i];
    if (code === "1") results.set(rule.name, TRUE);
    else if (code === "0") results.set(rule.name, FALSE);
    else if (code === "s") results.set(rule.name, { ok: false, kind: "skipped", error: whySkipped(i) });
    else {
      const failure = failures.get(i);
      results.set(rule.name, {
        ok: false,
        kind: failure?.kind ?? "throw",
        error: failure?.message ?? "the rule failed",
      });
    }
  });
  return results;
}

/** Every rule failed for one reason (used when nothing could be evaluated). */
export function allFailed(
  ruleset: CompiledRuleset,
  error: string,
  kind: RuleFailureKind = "crash",
): RuleResults {
  return new Map(ruleset.rules.map((rule) => [rule.name, { ok: false, error, kind }]));
}
