/**
 * The shape of a compiled rule set as the sandbox receives it, and how its text is assembled.
 *
 * One program per rule set: the shared constants (built once, at load), then one function that
 * evaluates every rule in order, straight-line, each in its own try/catch. Rule i's outcome is
 * stored as `$R[i]` ("1" true, "0" false, "e" error, "s" did not run), appended in order, so
 * `$R.length` is always the rule being evaluated: when the host stops a runaway rule it knows
 * which one, and `run` resumes after it (wasm/runner.js). A rule's value is also kept in a local
 * named after the rule, which is how later rules read it. One function rather than one per rule,
 * and no per-rule bookkeeping calls: in an interpreter those are most of the cost.
 */
export interface ProgramRule {
  /** The rule as one JS expression over the bound names (see `bindings`). */
  readonly expression: string;
}

export interface SandboxProgram {
  /** Statements run once at load: helper bindings and the hoisted constants. */
  readonly prologue: string;
  /** Per rule, in evaluation order; null for a rule that does not run. */
  readonly rules: ReadonlyArray<ProgramRule | null>;
  /** Evidence variables the expressions use by name. */
  readonly evidence: readonly string[];
  /** Rule names the expressions use, with their index in `rules`. */
  readonly ruleRefs: ReadonlyArray<readonly [string, number]>;
  /** Each rule's version, by index (for logging once per version and quarantine). */
  readonly ruleVersions: readonly number[];
}

/**
 * The program as one function expression `($H, $L) => { size, run }`; rules whose index is in
 * `omit` are left out (they do not run, as if null).
 */
export function programText(program: SandboxProgram, omit: ReadonlySet<number> = new Set()): string {
  const evidence = program.evidence.map((name) => `${name} = $E.${name}`);
  const refs = program.ruleRefs.map(([name, index]) => [name, index] as const);
  const refByIndex = new Map(refs.map(([name, index]) => [index, name]));
  const cases = program.rules.map((rule, i) => {
    const head = `case ${i}: if (${i} >= $limit) break;`;
    if (rule === null || omit.has(i)) return `${head} $R[${i}] = "s";`;
    const local = refByIndex.get(i);
    const store = local ? `${local} = $v; ` : "";
    return `${head} if ($skip[${i}] === true) $R[${i}] = "s"; else try { const $v = !!(${rule.expression}
); ${store}$R[${i}] = $v ? "1" : "0"; } catch ($e) { $R[${i}] = $fault($e, ${i}, $errors); }`;
  });
  return `(function ($H, $L) {
"use strict";
const $key = $L.key, $freeze = $L.freeze, $fault = $L.fault;
${program.prologue}
const run = ($E, $R, $errors, $skip, $limit) => {
${evidence.length > 0 ? `const ${evidence.join(", ")};` : ""}
${refs.length > 0 ? `let ${refs.map(([name, index]) => `${name} = $R[${index}] === "1"`).join(", ")};` : ""}
switch ($R.length) {
${cases.join("\n")}
}
};
return { size: ${program.rules.length}, run };
})`;
}

/**
 * One rule alone, for finding which rule QuickJS refuses when the whole program does not
 * compile (free names are not resolved at compile time, so no bindings are needed).
 */
export function singleRuleText(rule: ProgramRule): string {
  return `(function ($E, $R) {\n"use strict";\nreturn (${rule.expression}\n);\n})`;
}
