import { type Db, schema, type Tx } from "../../db/index.ts";
import { AppError } from "../../errors.ts";
import { checkRule, findSlips, type RuleCheck, type RuleProblem } from "../../rules/index.ts";
import { parseInput } from "../parse.ts";
import { describeCodePoint, findUnsafeCharacter } from "../text.ts";
import type { RuleTrial } from "../trial/runner.ts";
import { ValidateRequestSchema, type ValidateResult } from "./schemas.ts";
import { tryDraft } from "./trial.ts";

/** A rule as it is about to be checked: what a change writes but its title and reads. */
export type RuleDraft = Omit<schema.RuleFields, "title" | "dependsOn">;

/** What the check needs to know about every other saved rule. */
export type SavedRule = Pick<schema.RuleRow, "id" | "name" | "enabled" | "dependsOn">;

export async function loadSavedRules(db: Db | Tx): Promise<SavedRule[]> {
  return db
    .select({
      id: schema.rules.id,
      name: schema.rules.name,
      enabled: schema.rules.enabled,
      dependsOn: schema.rules.dependsOn,
    })
    .from(schema.rules);
}

/**
 * The engine's static check with the world taken from the database. The snapshot holds only
 * enabled rules, so an enabled rule may refer only to enabled rules (otherwise its reference
 * would dangle there); a disabled rule may refer to any rule and is checked again when enabled.
 */
export function checkDraft(draft: RuleDraft, others: readonly SavedRule[]): RuleCheck {
  const visible = others.filter((rule) => rule.enabled || !draft.enabled);
  const early = textProblems(draft);
  if (early.length > 0) return { valid: false, errors: early, variables: [], rules: [], helpers: [] };
  const check = checkRule(
    { kind: draft.kind, expression: draft.expression, appCodes: draft.appCodes },
    {
      ruleNames: new Set(visible.map((rule) => rule.name)),
      dependencies: new Map(visible.map((rule) => [rule.name, rule.dependsOn])),
      selfName: draft.name || undefined,
    },
  );
  return draft.kind === "expression" ? withSlipAdvice(check, draft.expression) : check;
}

/** The first problem gets the advice for the slip that caused it ("write && instead of \"и\""). */
function withSlipAdvice(check: RuleCheck, expression: string): RuleCheck {
  const [first, ...rest] = check.errors;
  const slip = first ? findSlips(expression, first)[0] : undefined;
  if (!first || !slip) return check;
  return { ...check, errors: [{ ...first, message: `${first.message}: ${slip.advice}` }, ...rest] };
}

/** A check that failed is 422 `invalid_rule`, the first problem in the message, all in details. */
export function refuseUnlessValid(check: RuleCheck): void {
  if (check.valid) return;
  const first = check.errors[0];
  throw new AppError(
    "invalid_rule",
    first
      ? `the rule is not valid: ${first.message} (line ${first.line}, column ${first.column})`
      : "the rule is not valid",
    check.errors.map((problem) => ({ ...problem })),
  );
}

/**
 * Refused before the engine looks: an empty expression, and characters that make code read
 * differently from what it does (bidi overrides, other controls; tab and newlines are fine).
 */
function textProblems(draft: RuleDraft): RuleProblem[] {
  if (draft.kind === "lk1") return []; // its codes are checked by the engine's checkLk1
  if (draft.expression.trim() === "") return [{ message: "the expression is empty", line: 1, column: 1 }];
  const found = findUnsafeCharacter(draft.expression, { allowLayout: true });
  if (!found) return [];
  const before = draft.expression.slice(0, found.index).split(/\r\n|\r|\n/);
  return [
    {
      message: `${found.what} ${describeCodePoint(found.char)} is not allowed in an expression`,
      line: before.length,
      column: (before.at(-1)?.length ?? 0) + 1,
    },
  ];
}

/**
 * POST /admin/rules/validate: the same check as on save, as the admin types, and when it passes
 * the same trial as on save (whether or not the draft is enabled: the editor shows what enabling
 * it would meet).
 */
export async function validateRule(db: Db, trial: RuleTrial, input: unknown): Promise<ValidateResult> {
  const request = parseInput(ValidateRequestSchema, input);
  const all = await loadSavedRules(db);
  const others = all.filter((rule) => rule.name !== request.name);
  const draft: RuleDraft = {
    name: request.name ?? "",
    kind: request.kind ?? "expression",
    expression: request.expression,
    appCodes: request.app_codes ?? [],
    enabled: request.enabled ?? true,
  };
  const check = checkDraft(draft, others);
  const id = all.find((rule) => rule.name === request.name)?.id ?? 0;
  const report = check.valid ? await tryDraft(db, trial, { id, ...draft }, check, others) : null;
  return {
    valid: check.valid,
    errors: check.errors,
    warnings: report?.warnings ?? [],
    trial: report,
    variables: check.variables,
    rules: check.rules,
    helpers: check.helpers,
    slips: draft.kind === "expression" ? findSlips(draft.expression, check.errors[0]) : [],
  };
}
