import { and, eq, sql } from "drizzle-orm";
import { type Db, schema, type Tx } from "../../db/index.ts";
import { AppError } from "../../errors.ts";
import { recordAudit } from "../audit/record.ts";
import type { AuditAction } from "../audit/schemas.ts";
import { assertNotStale } from "../concurrency.ts";
import { parseInput } from "../parse.ts";
import { type Committed, catalogChange } from "../transaction.ts";
import type { RuleTrial } from "../trial/runner.ts";
import { checkDraft, loadSavedRules, refuseUnlessValid } from "./check.ts";
import { findRuleRow, toRuleView } from "./queries.ts";
import { RollbackRequestSchema, RuleInputSchema, type RuleView } from "./schemas.ts";
import { refuseUnlessPassed, tryDraft } from "./trial.ts";
import { listSome, userDetails, usersOfRule } from "./usage.ts";

type RuleRow = schema.RuleRow;

/** What a change names; what the rule reads (dependsOn) comes from the check. */
type ChangedFields = Omit<schema.RuleFields, "dependsOn">;

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
  const fields: ChangedFields = {
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
  /** The rule's version the change was made against (If-Match). */
  expectedRuleVersion: number;
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
    assertNotStale("rule", before.id, before.version, update.expectedRuleVersion);
    const fields: ChangedFields = {
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
  expectedRuleVersion?: number;
  body: unknown;
}

/** Makes a past revision current again, as a new version, checked like any other change. */
export async function rollbackRule(
  deps: RuleChangeDeps,
  actor: string,
  rollback: RuleRollback,
): Promise<Committed<RuleView>> {
  const { version: ruleVersion } = parseInput(RollbackRequestSchema, rollback.body);
  return catalogChange(deps.db, async (tx) => {
    const before = await findRuleRow(tx, rollback.id);
    assertNotStale("rule", before.id, before.version, rollback.expectedRuleVersion);
    const [revision] = await tx
      .select()
      .from(schema.ruleRevisions)
      .where(and(eq(schema.ruleRevisions.ruleId, before.id), eq(schema.ruleRevisions.version, ruleVersion)));
    if (!revision) throw new AppError("not_found", `rule #${before.id} has no version ${ruleVersion}`);
    const fields: ChangedFields = {
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
  expectedRuleVersion?: number;
}

export async function deleteRule(
  db: Db,
  actor: string,
  deletion: RuleDeletion,
): Promise<Committed<RuleView>> {
  return catalogChange(db, async (tx) => {
    const before = await findRuleRow(tx, deletion.id);
    assertNotStale("rule", before.id, before.version, deletion.expectedRuleVersion);
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
  given: ChangedFields,
): Promise<RuleView> {
  // The field the kind does not use is stored empty, so a rule never carries a stale one.
  const fields: ChangedFields =
    given.kind === "expression" ? { ...given, appCodes: [] } : { ...given, expression: "" };
  const others = (await loadSavedRules(tx)).filter((rule) => rule.id !== before?.id);

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
  refuseUnlessValid(check);

  // Only a version that goes live is tried: a disabled rule is false for everyone (and is tried
  // when it is enabled). Inside the transaction, so the trial sees what the check saw.
  const report = fields.enabled
    ? await tryDraft(tx, trial, { id: before?.id ?? 0, ...fields }, check, others)
    : undefined;
  if (report) refuseUnlessPassed(report);

  const after = toRuleView(
    await writeRuleRow(tx, actor, action, before, { ...fields, dependsOn: check.rules }),
  );
  // Warnings are about this change, not part of the rule: the audit entry does not carry them.
  return report && report.warnings.length > 0 ? { ...after, warnings: report.warnings } : after;
}

/**
 * Writes a checked rule: inserted (no `before`) or updated as its next ruleVersion, with its
 * revision and its audit entry. The one write of a rule, for the admin API and both imports;
 * what decides whether it may be written is the caller's.
 */
export async function writeRuleRow(
  tx: Tx,
  actor: string,
  action: AuditAction,
  before: RuleRow | null,
  fields: schema.RuleFields,
): Promise<RuleRow> {
  const values = ruleFieldsOf(fields);
  const [row] = before
    ? await tx
        .update(schema.rules)
        .set({ ...values, version: before.version + 1, updatedAt: sql`now()` })
        .where(and(eq(schema.rules.id, before.id), eq(schema.rules.version, before.version)))
        .returning()
    : await tx.insert(schema.rules).values(values).returning();
  if (!row) throw new Error(`rule ${fields.name} vanished inside its own transaction`);
  await recordRuleRevision(tx, row, actor);
  await recordAudit(tx, {
    actor,
    action,
    entity: "rule",
    entityId: row.id,
    before: before ? toRuleView(before) : null,
    after: toRuleView(row),
  });
  return row;
}

/** Only the fields a rule change writes, of anything that has them (a row, a plan). */
export function ruleFieldsOf(rule: schema.RuleFields): schema.RuleFields {
  return {
    name: rule.name,
    title: rule.title,
    kind: rule.kind,
    expression: rule.expression,
    appCodes: rule.appCodes,
    enabled: rule.enabled,
    dependsOn: rule.dependsOn,
  };
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
