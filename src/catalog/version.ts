import { eq, sql } from "drizzle-orm";
import { type Db, schema, type Tx } from "../db/index.ts";

/** The committed catalog version (0 before the first migration's row exists). */
export async function readCatalogVersion(db: Db | Tx): Promise<number> {
  const [row] = await db
    .select({ version: schema.catalogState.version })
    .from(schema.catalogState)
    .where(eq(schema.catalogState.id, 1));
  return row?.version ?? 0;
}

/**
 * Every admin change calls this inside its own transaction. The catalog_state trigger NOTIFYs
 * on commit, so every instance rebuilds at once; the row also serves the periodic check.
 */
export async function bumpCatalogVersion(tx: Tx): Promise<number> {
  const [row] = await tx
    .update(schema.catalogState)
    .set({ version: sql`${schema.catalogState.version} + 1`, changedAt: sql`now()` })
    .where(eq(schema.catalogState.id, 1))
    .returning({ version: schema.catalogState.version });
  if (!row) throw new Error("catalog_state row is missing (migrations not applied?)");
  return row.version;
}
