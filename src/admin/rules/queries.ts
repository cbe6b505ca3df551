import { asc, desc, eq } from "drizzle-orm";
import { type Db, schema, type Tx } from "../../db/index.ts";
import { AppError } from "../../errors.ts";
import type { RuleRevisionView, RuleView } from "./schemas.ts";

type RuleRow = typeof schema.rules.$inferSelect;
type RevisionRow = typeof schema.ruleRevisions.$inferSelect;

export function toRuleView(row: RuleRow): RuleView {
  return {
    id: row.id,
    name: row.name,
    title: row.title,
    kind: row.kind,
    expression: row.expression,
    app_codes: row.appCodes,
    enabled: row.enabled,
    depends_on: row.dependsOn,
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export function toRevisionView(row: RevisionRow): RuleRevisionView {
  return {
    version: row.version,
    name: row.name,
    title: row.title,
    kind: row.kind,
    expression: row.expression,
    app_codes: row.appCodes,
    enabled: row.enabled,
    author: row.author,
    created_at: row.createdAt.toISOString(),
  };
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
