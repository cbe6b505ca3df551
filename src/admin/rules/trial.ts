/**
 * The trial at save, seen from the rule service: which saved rules go into the trial with the
 * draft, and what a refusal looks like on the wire. The trial itself is src/admin/trial.
 */
import { inArray } from "drizzle-orm";
import { type Db, schema, type Tx } from "../../db/index.ts";
import { AppError } from "../../errors.ts";
import { type RuleCheck, ruleNameProblem } from "../../rules/index.ts";
import { asTrialRule, type RuleTrial, type TrialReport, type TrialRule } from "../trial/runner.ts";
import type { SavedRule } from "./check.ts";

/** The names `direct` reads, and the names those read, and so on (by the stored depends_on). */
export function dependencyClosure(direct: readonly string[], others: readonly SavedRule[]): string[] {
  const byName = new Map(others.map((rule) => [rule.name, rule]));
  const found = new Set<string>();
  const pending = [...direct];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (found.has(name)) continue;
    const rule = byName.get(name);
    if (!rule) continue;
    found.add(name);
    pending.push(...rule.dependsOn);
  }
  return [...found].sort();
}

/**
 * Runs the trial for a draft that passed the static check. `others` are the saved rules the
 * check saw (the draft itself excluded); the ones it reads are loaded whole from `db`, so that
 * inside a change's transaction the trial sees exactly what the change is checked against.
 */
export async function tryDraft(
  db: Db | Tx,
  trial: RuleTrial,
  /** Its id when it is saved, 0 for a new one; its name may be empty (validate without one). */
  draft: TrialRule,
  check: RuleCheck,
  others: readonly SavedRule[],
): Promise<TrialReport> {
  const names = dependencyClosure(check.rules, others);
  const rows =
    names.length === 0 ? [] : await db.select().from(schema.rules).where(inArray(schema.rules.name, names));
  const taken = new Set(names);
  return trial.run({
    rule: { ...asTrialRule(draft), name: candidateName(draft.name, taken) },
    dependencies: rows.map(asTrialRule),
    constant: check.variables.length === 0 && check.rules.length === 0,
  });
}

/** A draft without a (well-formed) name still needs one for the compiler. */
function candidateName(name: string, taken: ReadonlySet<string>): string {
  if (name !== "" && !ruleNameProblem(name) && !taken.has(name)) return name;
  let candidate = "unsaved_rule";
  for (let i = 2; taken.has(candidate); i += 1) candidate = `unsaved_rule_${i}`;
  return candidate;
}

/** A refused trial is 422 `rule_trial_failed`, details `[{ message, personnel_number, kind }]`. */
export function refuseUnlessPassed(report: TrialReport): void {
  if (report.passed) return;
  const first = report.problems[0];
  throw new AppError(
    "rule_trial_failed",
    `the rule was tried on ${report.sample.size} sample employees and cannot go live: ${first?.message ?? "it failed"}`,
    report.problems.map((problem) => ({ ...problem })),
  );
}
