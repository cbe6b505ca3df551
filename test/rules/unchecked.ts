/**
 * TEST-ONLY escape hatch: a rule set whose rule bodies are raw JavaScript that never went through
 * the validator. The hardening tests use it to prove that the sandbox, not only the validator,
 * contains a hostile rule (e.g. `return Array(2 ** 32 - 1).includes(1)`). It lives with the
 * tests: nothing in the service can reach it.
 */
import { EVIDENCE_VARIABLES } from "../../src/evidence/index.ts";
import { contentKey } from "../../src/rules/compile/constants.ts";
import type { CompiledRuleset } from "../../src/rules/compile/ruleset.ts";
import { rulesetKeyOf } from "../../src/rules/compile/ruleset.ts";

export interface UncheckedRule {
  id: number;
  name: string;
  /** A function body over `$E` (evidence) and `$R` (earlier results), e.g. "return $E.roles.length > 0". */
  body: string;
}

export function compileUnchecked(rules: readonly UncheckedRule[]): CompiledRuleset {
  const definitions = rules.map((r) => ({
    id: r.id,
    name: r.name,
    kind: "expression" as const,
    expression: r.body,
    appCodes: [],
    version: 1,
  }));
  return {
    rulesetKey: `unchecked-${rulesetKeyOf(definitions)}`,
    rules: definitions.map((r) => ({ id: r.id, name: r.name, version: r.version, kind: r.kind })),
    broken: new Map(),
    reads: [...EVIDENCE_VARIABLES].sort(), // it could read anything

    program: {
      rules: rules.map((r) => {
        const body = {
          expression: `(() => {\n${r.body}\n})()`,
          evidence: [],
          rules: [],
          helpers: [],
          constants: [],
        };
        return { key: `unchecked-${contentKey(JSON.stringify(body))}`, ...body };
      }),
      lists: [],
      ruleRefs: [],
      ruleVersions: rules.map(() => 1),
    },
  };
}
