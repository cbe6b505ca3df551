import { schema, type Tx } from "../../db/index.ts";
import type { AuditAction, AuditEntity } from "./schemas.ts";

export interface AuditRecord {
  actor: string;
  action: AuditAction;
  entity: AuditEntity;
  entityId: number;
  /** The object as the admin API shows it (snake_case), before and after the change. */
  before: object | null;
  after: object | null;
}

/** Written inside the change's own transaction: no change without its audit entry, and vice versa. */
export async function recordAudit(tx: Tx, record: AuditRecord): Promise<void> {
  await tx.insert(schema.auditLog).values({
    actor: record.actor,
    action: record.action,
    entity: record.entity,
    entityId: record.entityId,
    before: record.before,
    after: record.after,
  });
}
