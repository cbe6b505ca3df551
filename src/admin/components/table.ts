import { asc, eq, sql } from "drizzle-orm";
import type { Db, schema, Tx } from "../../db/index.ts";

export type ComponentTable =
  | typeof schema.sidebarGroups
  | typeof schema.cardGroups
  | typeof schema.sections
  | typeof schema.banners;

/**
 * The reads and the delete every component table shares (each has id and order). Drizzle cannot
 * type a query over a union of tables, hence the casts, kept here; inserts and updates are
 * written per kind, fully typed.
 */
export function tableOps<T extends ComponentTable>(table: T) {
  type Row = T["$inferSelect"];
  const anyTable = table as ComponentTable;
  return {
    async list(db: Db): Promise<Row[]> {
      return (await db.select().from(anyTable).orderBy(asc(anyTable.order), asc(anyTable.id))) as Row[];
    },
    async find(db: Db | Tx, id: number): Promise<Row | undefined> {
      const [row] = await db.select().from(anyTable).where(eq(anyTable.id, id));
      return row as Row | undefined;
    },
    async remove(tx: Tx, id: number): Promise<void> {
      await tx.delete(anyTable).where(eq(anyTable.id, id));
    },
  };
}

/** The columns every update sets besides the fields: the next version and the time. */
export const nextVersion = (current: { version: number }) => ({
  version: current.version + 1,
  updatedAt: sql`now()`,
});

/** The one row an insert or an update of one id gives back. */
export function onlyRow<R>(rows: R[]): R {
  const [row] = rows;
  if (!row) throw new Error("the row vanished inside its own transaction");
  return row;
}
