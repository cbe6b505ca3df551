/**
 * The rules of an import, checked as the admin API checks a save (pure): every rule of the
 * document passes the static check against the catalog the import leaves — the document's rules
 * and ours that it does not name — and so does every enabled rule of ours it leaves alone (one
 * that uses a rule the document disables would break: the import is refused). Also which rules
 * go to the trial at save, with the rules they read.
 */
import type { RuleCheck } from "../../rules/index.ts";
import { checkDraft, type SavedRule } from "../rules/check.ts";
import { dependencyClosure } from "../rules/trial.ts";
import { asTrialRule, type TrialCandidate, type TrialRule } from "../trial/runner.ts";
import type { CurrentRule, KindDiff } from "./catalog-diff.ts";
import type { CatalogRule } from "./catalog-document.ts";
import type { CatalogRefusal } from "./catalog-report.ts";

export interface RuleVerdicts {
  /** The document's rules that pass, with the check (its `rules` become depends_on). */
  checks: Map<string, RuleCheck>;
  refused: CatalogRefusal[];
  /** Enabled rules that are new or whose logic changes, for the trial at save (when it runs). */
  trials: Array<{ rule: string; candidate: TrialCandidate }>;
}

interface ProjectedRule extends TrialRule {
  enabled: boolean;
  dependsOn: string[];
}

export function checkImportedRules(
  diff: KindDiff<CatalogRule>,
  current: readonly CurrentRule[],
): RuleVerdicts {
  const documentRules = [...diff.created, ...diff.updated, ...diff.unchanged];
  const idOf = new Map(current.map((rule) => [rule.name, rule.id]));
  const absent = new Set(diff.absent.map((rule) => rule.id));
  // Rules not written yet get ids of their own below 0 (the trial compiles rules by id).
  let unsaved = 0;
  const projected: ProjectedRule[] = [
    ...documentRules.map(({ entry }) => ({
      id: idOf.get(entry.name) ?? --unsaved,
      name: entry.name,
      kind: entry.kind,
      expression: entry.expression,
      appCodes: entry.app_codes,
      enabled: entry.enabled,
      dependsOn: [] as string[],
    })),
    ...current.filter((rule) => absent.has(rule.id)),
  ];

  // First what each document rule reads (checked as disabled: any rule may be read, and with no
  // reads known yet no cycle is looked for); cycles need everyone's reads, so they come second.
  const readsUnknown = projected.map((rule) => ({ ...rule, dependsOn: [] }));
  for (const rule of projected.slice(0, documentRules.length)) {
    const reads = checkDraft({ ...rule, enabled: false }, others(readsUnknown, rule));
    rule.dependsOn = reads.valid ? reads.rules : [];
  }

  const checks = new Map<string, RuleCheck>();
  const refused: CatalogRefusal[] = [];
  for (const [i, rule] of projected.entries()) {
    const isOurs = i >= documentRules.length;
    if (isOurs && !rule.enabled) continue; // a disabled rule may read anything; checked when enabled
    const check = checkDraft(rule, others(projected, rule));
    const first = check.errors[0];
    if (check.valid) {
      if (!isOurs) checks.set(rule.name, check);
    } else if (isOurs) {
      refused.push({
        rule: rule.name,
        code: "conflict",
        message: `rule ${rule.name} is not in the export and would no longer be valid: ${first?.message ?? "invalid"}`,
      });
    } else {
      refused.push({
        rule: rule.name,
        code: "invalid_rule",
        message: `the rule is not valid: ${first?.message ?? "invalid"}`,
        ...(first ? { line: first.line, column: first.column } : {}),
      });
    }
  }

  const refusedNames = new Set(refused.map((refusal) => refusal.rule));
  const byName = new Map(projected.map((rule) => [rule.name, rule]));
  const trials: RuleVerdicts["trials"] = [];
  for (const name of rulesToTry(diff)) {
    const check = checks.get(name);
    const rule = byName.get(name);
    if (!check || !rule) continue;
    const reads = dependencyClosure(check.rules, others(projected, rule));
    // Tried with a refused rule it reads, the verdict would be about that rule, not this one.
    if (reads.some((read) => refusedNames.has(read))) continue;
    trials.push({
      rule: name,
      candidate: {
        rule: asTrialRule(rule),
        dependencies: reads.flatMap((read) => {
          const found = byName.get(read);
          return found ? [asTrialRule(found)] : [];
        }),
        constant: check.variables.length === 0 && check.rules.length === 0,
      },
    });
  }
  return { checks, refused, trials };
}

function others(rules: readonly ProjectedRule[], rule: ProjectedRule): SavedRule[] {
  return rules.filter((other) => other.name !== rule.name);
}

/**
 * As on save, only a version that goes live is tried, and only when its logic is new to the
 * catalog: an enabled rule created, enabled, or given another kind, expression or app codes.
 * A rule whose title alone changes is already live as it is.
 */
function rulesToTry(diff: KindDiff<CatalogRule>): string[] {
  const logic = new Set(["kind", "expression", "app_codes", "enabled"]);
  return [
    ...diff.created.filter(({ entry }) => entry.enabled),
    ...diff.updated.filter(({ entry, fields }) => entry.enabled && fields.some((field) => logic.has(field))),
  ].map(({ entry }) => entry.name);
}
