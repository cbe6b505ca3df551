import { and, desc, eq, gte, lt, type SQL } from "drizzle-orm";
import { type Db, schema } from "../../db/index.ts";
import { parseInput } from "../parse.ts";
import { type AuditEntry, type AuditPage, AuditQuerySchema } from "./schemas.ts";

const { auditLog } = schema;

/** Newest first, filtered, paged by id (stable under concurrent inserts, unlike offsets). */
export async function listAudit(db: Db, input: unknown): Promise<AuditPage> {
  const query = parseInput(AuditQuerySchema, input, "query");
  const where: SQL[] = [];
  if (query.entity) where.push(eq(auditLog.entity, query.entity));
  if (query.entity_id !== undefined) where.push(eq(auditLog.entityId, query.entity_id));
  if (query.actor) where.push(eq(auditLog.actor, query.actor));
  if (query.since) where.push(gte(auditLog.at, new Date(query.since)));
  if (query.until) where.push(lt(auditLog.at, new Date(query.until)));
  if (query.before_id !== undefined) where.push(lt(auditLog.id, query.before_id));
  const rows = await db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const items: AuditEntry[] = page.map((row) => ({
    id: row.id,
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action as AuditEntry["action"],
    entity: row.entity as AuditEntry["entity"],
    entity_id: row.entityId,
    before: (row.before as Record<string, unknown> | null) ?? null,
    after: (row.after as Record<string, unknown> | null) ?? null,
  }));
  const last = page.at(-1);
  return { items, next_before_id: rows.length > query.limit && last ? last.id : null };
}
