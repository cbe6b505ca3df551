/**
 * Rules as plain JS, no sandbox: each rule a `new Function` over the evidence and the helpers,
 * the way the old portal's "15-minute cache" fix held compiled rules (and, compiled again on
 * every request, the way it ran before). The reference floor of the benchmarks.
 */
import type { Evidence } from "../src/evidence/index.ts";
import type { CompiledRuleset, RuleDefinition } from "../src/rules/index.ts";
import { createPlainHelpers } from "../src/rules/sandbox/library.ts";
import { EVIDENCE } from "../src/rules/vocabulary.ts";

type RuleFn = (evidence: unknown, results: boolean[], helpers: unknown) => boolean;

export interface PlainRules {
  /** Compiles every rule (a `new Function` each). */
  compile(): Array<RuleFn | null>;
  /** Every rule's outcome for one employee, in the rule set's order. */
  evaluate(compiled: ReadonlyArray<RuleFn | null>, evidence: Evidence): boolean[];
}

export function plainRules(ruleset: CompiledRuleset, rules: readonly RuleDefinition[]): PlainRules {
  const current: { evidence: unknown } = { evidence: null };
  const helpers = createPlainHelpers(current);
  const helperNames = Object.keys(helpers);
  const evidenceNames = [...EVIDENCE];
  const byName = new Map(rules.map((r) => [r.name, r]));
  const sources = ruleset.rules.map((r, i) => {
    const def = byName.get(r.name);
    if (!def || ruleset.broken.has(r.name)) return null;
    const expression =
      def.kind === "lk1" ? `apps.some((a) => ${JSON.stringify(def.appCodes)}.includes(a))` : def.expression;
    const refs = ruleset.rules
      .slice(0, i)
      .map((other, j) => `const ${other.name} = $R[${j}];`)
      .filter((line) => expression.includes(line.split(" ")[1] ?? "\u0000"))
      .join(" ");
    return `"use strict"; const { ${evidenceNames.join(", ")} } = $E; const { ${helperNames.join(", ")} } = $H; ${refs} return !!(${expression});`;
  });
  return {
    compile: () =>
      sources.map((body) => (body === null ? null : (new Function("$E", "$R", "$H", body) as RuleFn))),
    evaluate(compiled, evidence) {
      current.evidence = evidence;
      const results: boolean[] = [];
      for (let k = 0; k < compiled.length; k++) {
        const fn = compiled[k];
        try {
          results[k] = fn ? fn(evidence, results, helpers) : false;
        } catch {
          results[k] = false;
        }
      }
      return results;
    },
  };
}
