/**
 * A program as it travels to a sandbox process: the rule units and lists the process holds
 * already (they belong to rule sets it has loaded and not dropped) go by key only. A new rule set
 * with one rule edited then sends one unit and a layout, not the whole program again (1.1 MB at
 * 1,000 rules, once per process: bench/RESULTS.md, "Catalog at scale").
 */
import type { ProgramList } from "../compile/constants.ts";
import type { ProgramRule, SandboxProgram } from "../compile/program.ts";

export interface ProgramDelta {
  /** Per rule: the unit, the key of a unit the process holds, or null (a rule that does not run). */
  readonly rules: ReadonlyArray<ProgramRule | string | null>;
  /** The lists the process does not hold. */
  readonly lists: readonly ProgramList[];
  readonly ruleRefs: SandboxProgram["ruleRefs"];
  readonly ruleVersions: SandboxProgram["ruleVersions"];
}

/** What of `program` the holder of `held` lacks (host side). */
export function programDelta(program: SandboxProgram, held: Iterable<SandboxProgram>): ProgramDelta {
  const units = new Set<string>();
  const lists = new Set<string>();
  for (const p of held) {
    for (const rule of p.rules) if (rule) units.add(rule.key);
    for (const [key] of p.lists) lists.add(key);
  }
  return {
    rules: program.rules.map((rule) => (rule && units.has(rule.key) ? rule.key : rule)),
    lists: program.lists.filter(([key]) => !lists.has(key)),
    ruleRefs: program.ruleRefs,
    ruleVersions: program.ruleVersions,
  };
}

/**
 * The whole program again, from the delta and the programs the process holds (sandbox side).
 * Throws when the delta names a unit or list none of them has (the host's view went wrong; the
 * load then fails and the process is replaced).
 */
export function expandProgram(delta: ProgramDelta, held: Iterable<SandboxProgram>): SandboxProgram {
  const units = new Map<string, ProgramRule>();
  const lists = new Map<string, string>(delta.lists);
  for (const p of held) {
    for (const rule of p.rules) if (rule) units.set(rule.key, rule);
    for (const [key, encoded] of p.lists) if (!lists.has(key)) lists.set(key, encoded);
  }
  const rules = delta.rules.map((rule) => {
    if (typeof rule !== "string") return rule;
    const unit = units.get(rule);
    if (!unit) throw new Error(`unit ${rule} is not held by this sandbox`);
    return unit;
  });
  const used = new Map<string, string>();
  for (const rule of rules) {
    for (const [, key] of rule?.constants ?? []) {
      const encoded = lists.get(key);
      if (encoded === undefined) throw new Error(`list ${key} is not held by this sandbox`);
      used.set(key, encoded);
    }
  }
  return { rules, lists: [...used], ruleRefs: delta.ruleRefs, ruleVersions: delta.ruleVersions };
}
