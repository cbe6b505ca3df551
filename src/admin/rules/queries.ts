import { asc, desc, eq } from "drizzle-orm";
import { type Db, schema, type Tx } from "../../db/index.ts";
import { AppError } from "../../errors.ts";
import type { RuleRevisionView, RuleView } from "./schemas.ts";

type RuleRow = schema.RuleRow;
type RevisionRow = typeof schema.ruleRevisions.$inferSelect;

/** What a rule and each of its revisions show alike. */
const revisedFields = (row: RuleRow | RevisionRow) => ({
  version: row.version,
  name: row.name,
  title: row.title,
  kind: row.kind,
  expression: row.expression,
  app_codes: row.appCodes,
  enabled: row.enabled,
  created_at: row.createdAt.toISOString(),
});

export function toRuleView(row: RuleRow): RuleView {
  return {
    id: row.id,
    ...revisedFields(row),
    depends_on: row.dependsOn,
    updated_at: row.updatedAt.toISOString(),
  };
}

export function toRevisionView(row: RevisionRow): RuleRevisionView {
  return { ...revisedFields(row), author: row.author };
}

export async function findRuleRow(db: Db | Tx, id: number): Promise<RuleRow> {
  const [row] = await db.select().from(schema.rules).where(eq(schema.rules.id, id));
  if (!row) throw new AppError("not_found", `rule #${id} does not exist`);
  return row;
}

export async function listRules(db: Db): Promise<RuleView[]> {
  const rows = await db.select().from(schema.rules).orderBy(asc(schema.rules.name));
  return rows.map(toRuleView);
}

export async function getRule(db: Db, id: number): Promise<RuleView> {
  return toRuleView(await findRuleRow(db, id));
}

/** Newest first. */
export async function listRevisions(db: Db, id: number): Promise<RuleRevisionView[]> {
  await findRuleRow(db, id);
  const rows = await db
    .select()
    .from(schema.ruleRevisions)
    .where(eq(schema.ruleRevisions.ruleId, id))
    .orderBy(desc(schema.ruleRevisions.version));
  return rows.map(toRevisionView);
}
