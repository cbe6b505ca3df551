import { and, eq, sql } from "drizzle-orm";
import { type Db, schema, type Tx } from "../../db/index.ts";
import { AppError } from "../../errors.ts";
import { recordAudit } from "../audit/record.ts";
import type { AuditAction } from "../audit/schemas.ts";
import { assertVersion } from "../concurrency.ts";
import { parseInput } from "../parse.ts";
import { type Committed, catalogChange } from "../transaction.ts";
import type { RuleTrial } from "../trial/runner.ts";
import { checkDraft, loadCatalogRules, type RuleDraft } from "./check.ts";
import { findRuleRow, toRuleView } from "./queries.ts";
import { RollbackRequestSchema, RuleInputSchema, type RuleView } from "./schemas.ts";
import { refuseUnlessPassed, tryDraft } from "./trial.ts";
import { listSome, userDetails, usersOfRule } from "./usage.ts";

type RuleRow = typeof schema.rules.$inferSelect;

interface RuleFields extends RuleDraft {
  title: string;
}

/**
 * Rule changes. Each runs in one transaction (see catalogChange) that checks, tries the rule (the
 * trial at save), writes the rule, its revision and the audit entry, and bumps the catalog
 * version. Invariants kept: the enabled rules always pass the static check together — every name
 * they refer to is an enabled rule, with no cycle — so a saved rule can never break the snapshot;
 * and no enabled rule version goes live without passing the trial. A refusal throws before
 * anything is written, so the transaction rolls back whole.
 */

/** What a rule change needs besides its input. */
export interface RuleChangeDeps {
  db: Db;
  /** The trial at save (its own sandbox). */
  trial: RuleTrial;
}

export async function createRule(
  deps: RuleChangeDeps,
  actor: string,
  body: unknown,
): Promise<Committed<RuleView>> {
  const input = parseInput(RuleInputSchema, body);
  const fields: RuleFields = {
    name: input.name,
    title: input.title,
    kind: input.kind ?? "expression",
    expression: input.expression ?? "",
    appCodes: input.app_codes ?? [],
    enabled: input.enabled ?? true,
  };
  return catalogChange(deps.db, (tx) => saveRule(tx, deps.trial, actor, "create", null, fields));
}

export interface RuleUpdate {
  id: number;
  /** The version the change was made against (If-Match). */
  expectedVersion: number;
  body: unknown;
}

export async function updateRule(
  deps: RuleChangeDeps,
  actor: string,
  update: RuleUpdate,
): Promise<Committed<RuleView>> {
  const input = parseInput(RuleInputSchema, update.body);
  return catalogChange(deps.db, async (tx) => {
    const before = await findRuleRow(tx, update.id);
    assertVersion("rule", before.id, before.version, update.expectedVersion);
    const fields: RuleFields = {
      name: input.name,
      title: input.title,
      kind: input.kind ?? before.kind,
      expression: input.expression ?? before.expression,
      appCodes: input.app_codes ?? before.appCodes,
      enabled: input.enabled ?? before.enabled,
    };
    return saveRule(tx, deps.trial, actor, "update", before, fields);
  });
}

export interface RuleRollback {
  id: number;
  expectedVersion?: number;
  body: unknown;
}

/** Makes a past revision current again, as a new version, checked like any other change. */
export async function rollbackRule(
  deps: RuleChangeDeps,
  actor: string,
  rollback: RuleRollback,
): Promise<Committed<RuleView>> {
  const { version } = parseInput(RollbackRequestSchema, rollback.body);
  return catalogChange(deps.db, async (tx) => {
    const before = await findRuleRow(tx, rollback.id);
    assertVersion("rule", before.id, before.version, rollback.expectedVersion);
    const [revision] = await tx
      .select()
      .from(schema.ruleRevisions)
      .where(and(eq(schema.ruleRevisions.ruleId, before.id), eq(schema.ruleRevisions.version, version)));
    if (!revision) throw new AppError("not_found", `rule #${before.id} has no version ${version}`);
    const fields: RuleFields = {
      name: revision.name,
      title: revision.title,
      kind: revision.kind,
      expression: revision.expression,
      appCodes: revision.appCodes,
      enabled: revision.enabled,
    };
    return saveRule(tx, deps.trial, actor, "rollback", before, fields);
  });
}

export interface RuleDeletion {
  id: number;
  expectedVersion?: number;
}

export async function deleteRule(
  db: Db,
  actor: string,
  deletion: RuleDeletion,
): Promise<Committed<RuleView>> {
  return catalogChange(db, async (tx) => {
    const before = await findRuleRow(tx, deletion.id);
    assertVersion("rule", before.id, before.version, deletion.expectedVersion);
    const users = await usersOfRule(tx, before);
    if (users.length > 0) {
      throw new AppError(
        "conflict",
        `rule ${before.name} is still used by ${listSome(users)}; change those first`,
        userDetails(users),
      );
    }
    await tx.delete(schema.rules).where(eq(schema.rules.id, before.id));
    const view = toRuleView(before);
    await recordAudit(tx, {
      actor,
      action: "delete",
      entity: "rule",
      entityId: before.id,
      before: view,
      after: null,
    });
    return view;
  });
}

async function saveRule(
  tx: Tx,
  trial: RuleTrial,
  actor: string,
  action: AuditAction,
  before: RuleRow | null,
  given: RuleFields,
): Promise<RuleView> {
  // The field the kind does not use is stored empty, so a rule never carries a stale one.
  const fields: RuleFields =
    given.kind === "expression" ? { ...given, appCodes: [] } : { ...given, expression: "" };
  const others = (await loadCatalogRules(tx)).filter((rule) => rule.id !== before?.id);

  const namesake = others.find((rule) => rule.name === fields.name);
  if (namesake) {
    throw new AppError("conflict", `a rule named ${fields.name} already exists (#${namesake.id})`, [
      { message: "name taken", path: "name", rule_id: namesake.id },
    ]);
  }
  if (before && before.name !== fields.name) {
    const referrers = (await usersOfRule(tx, before)).filter((user) => user.kind === "rule");
    if (referrers.length > 0) {
      throw new AppError(
        "conflict",
        `rule ${before.name} cannot be renamed: ${listSome(referrers)} refer to it by name; change those first`,
        userDetails(referrers),
      );
    }
  }
  if (before?.enabled && !fields.enabled) {
    const users = await usersOfRule(tx, before);
    if (users.length > 0) {
      throw new AppError(
        "conflict",
        `rule ${before.name} cannot be disabled: it is used by ${listSome(users)}; change those first`,
        userDetails(users),
      );
    }
  }

  const check = checkDraft(fields, others);
  if (!check.valid) {
    const first = check.errors[0];
    throw new AppError(
      "invalid_rule",
      first
        ? `the rule is not valid: ${first.message} (line ${first.line}, column ${first.column})`
        : "the rule is not valid",
      check.errors.map((problem) => ({ ...problem })),
    );
  }

  // Only a version that goes live is tried: a disabled rule is false for everyone (and is tried
  // when it is enabled). Inside the transaction, so the trial sees what the check saw.
  const report = fields.enabled
    ? await tryDraft(tx, trial, { id: before?.id ?? 0, ...fields }, check, others)
    : undefined;
  if (report) refuseUnlessPassed(report);

  const values = {
    name: fields.name,
    title: fields.title,
    kind: fields.kind,
    expression: fields.expression,
    appCodes: fields.appCodes,
    enabled: fields.enabled,
    dependsOn: check.rules,
  };
  const [row] = before
    ? await tx
        .update(schema.rules)
        .set({ ...values, version: before.version + 1, updatedAt: sql`now()` })
        .where(and(eq(schema.rules.id, before.id), eq(schema.rules.version, before.version)))
        .returning()
    : await tx.insert(schema.rules).values(values).returning();
  if (!row) throw new Error(`rule #${before?.id} vanished inside its own transaction`);

  await recordRuleRevision(tx, row, actor);
  const after = toRuleView(row);
  await recordAudit(tx, {
    actor,
    action,
    entity: "rule",
    entityId: row.id,
    before: before ? toRuleView(before) : null,
    after,
  });
  // Warnings are about this change, not part of the rule: the audit entry does not carry them.
  return report && report.warnings.length > 0 ? { ...after, warnings: report.warnings } : after;
}

/** Every stored version of a rule has its revision row: what it was, who made it, when. */
export async function recordRuleRevision(tx: Tx, row: RuleRow, author: string): Promise<void> {
  await tx.insert(schema.ruleRevisions).values({
    ruleId: row.id,
    version: row.version,
    name: row.name,
    title: row.title,
    kind: row.kind,
    expression: row.expression,
    appCodes: row.appCodes,
    enabled: row.enabled,
    author,
  });
}
