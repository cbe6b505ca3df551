/**
 * The shape of a compiled rule set as the sandbox receives it, and the text of its parts.
 *
 * Each rule is its own unit: a function compiled once per content (its `key`) and kept by the
 * sandbox across versions of the rule set, so that a rule set with one rule edited compiles one
 * unit, not all of them. The literal lists the rules use are data (`lists`, see
 * compile/constants.ts), decoded once per content too. What a version adds is only which unit
 * runs at which position: the evaluation loop (wasm/runner.js) calls the units in dependency
 * order, each in its own try/catch. Rule i's outcome is stored as `$R[i]` ("1" true, "0" false,
 * "e" error, "s" did not run), appended in order, so `$R.length` is always the rule being
 * evaluated: when the host stops a runaway rule it knows which one, and the loop resumes after
 * it. A rule reads the rules it names by name, from the values of the rules before it.
 *
 * Why not one function for the whole set, as before: it evaluated ~15–20 % faster (a call per
 * rule is the price), but QuickJS has to compile it whole for every version: a generated driver
 * calling cached units still took ~140 ms to compile at 1,000 rules (bench/RESULTS.md).
 */
import type { ConstantBinding, ProgramList } from "./constants.ts";

export interface ProgramRule {
  /** Content key of the unit: equal keys, equal units (the sandbox compiles a key once). */
  readonly key: string;
  /** The rule as one JS expression over the names below. */
  readonly expression: string;
  /** Evidence variables the expression reads by name. */
  readonly evidence: readonly string[];
  /** Other rules the expression reads by name. */
  readonly rules: readonly string[];
  /** Helpers the expression calls. */
  readonly helpers: readonly string[];
  /** The constants it uses, bound to local names. */
  readonly constants: readonly ConstantBinding[];
}

export interface SandboxProgram {
  /** Per rule, in evaluation order; null for a rule that does not run. */
  readonly rules: ReadonlyArray<ProgramRule | null>;
  /** Every list the rules' constants refer to, once each. */
  readonly lists: readonly ProgramList[];
  /** Rule names the expressions use, with their index in `rules`. */
  readonly ruleRefs: ReadonlyArray<readonly [string, number]>;
  /** Each rule's version, by index (for logging once per version and quarantine). */
  readonly ruleVersions: readonly number[];
}

/**
 * One rule's unit: `($H, $L, ...constants) => ($E, $V, $R) => boolean`, given the helpers, the
 * runner's library and its constants; $E is the (frozen) evidence, $V the values of the rules it
 * names, $R the codes so far. The newline before the closing parenthesis keeps a trailing line
 * comment in the admin's text from swallowing it.
 */
export function unitText(rule: ProgramRule): string {
  const params = ["$H", "$L", ...rule.constants.map(([local]) => local)].join(", ");
  const helpers = rule.helpers.length > 0 ? `const { ${rule.helpers.join(", ")} } = $H;\n` : "";
  const evidence =
    rule.evidence.length > 0
      ? `const ${rule.evidence.map((name) => `${name} = $E.${name}`).join(", ")};\n`
      : "";
  const refs =
    rule.rules.length > 0 ? `const ${rule.rules.map((name) => `${name} = $V.${name}`).join(", ")};\n` : "";
  return `(function (${params}) {
"use strict";
const $key = $L.key;
${helpers}return ($E, $V, $R) => {
${evidence}${refs}return !!(${rule.expression}
);
};
})`;
}

/** Units as one script whose value is the array of their factories (one compile for many). */
export function unitsText(rules: readonly ProgramRule[]): string {
  return `[\n${rules.map(unitText).join(",\n")}\n]`;
}

/** The distinct units of a program, in order of first use. */
export function programUnits(program: SandboxProgram): ProgramRule[] {
  const units = new Map<string, ProgramRule>();
  for (const rule of program.rules) if (rule && !units.has(rule.key)) units.set(rule.key, rule);
  return [...units.values()];
}

/** What the runner's `load` takes (see wasm/runner.js): unit key and referenced name per index. */
export function layoutJson(program: SandboxProgram, omit: ReadonlySet<number> = new Set()): string {
  const names: string[] = program.rules.map(() => "");
  for (const [name, index] of program.ruleRefs) if (index >= 0 && index < names.length) names[index] = name;
  return JSON.stringify({
    units: program.rules.map((rule, i) => (rule === null || omit.has(i) ? "" : rule.key)),
    names,
    refs: program.ruleRefs.map(([name]) => name),
  });
}

/** The constants each unit binds: [[list key, form], …] per unit, as JSON. */
export function unitConstantsJson(rules: readonly ProgramRule[]): string {
  return JSON.stringify(rules.map((rule) => rule.constants.map(([, list, form]) => [list, form])));
}

/**
 * The whole program as one script, for the runner in the host's own JS engine (reference tests
 * and the benchmark; see createPlainLoader): `($S) => runner`, given the library.
 */
export function programText(program: SandboxProgram): string {
  const units = programUnits(program);
  return `(function ($S) {
$S.defineLists(${JSON.stringify(program.lists.map(([key]) => key).join(","))}, ${program.lists.map(([, encoded]) => JSON.stringify(encoded)).join(", ")});
$S.defineUnits(${JSON.stringify(units.map((u) => u.key).join(","))}, ${unitsText(units)}, ${JSON.stringify(unitConstantsJson(units))});
return $S.load(${JSON.stringify(layoutJson(program))});
})`;
}
