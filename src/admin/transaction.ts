import { bumpCatalogVersion } from "../catalog/index.ts";
import type { Db, Tx } from "../db/index.ts";
import { translateDatabaseError } from "./database-errors.ts";

export interface Committed<T> {
  result: T;
  /** catalog_state.version after this change; instances serving it or later show the change. */
  catalogVersion: number;
}

/**
 * Runs one admin change. The catalog version is bumped first: that UPDATE takes catalog_state's
 * row lock, so admin changes run one at a time and every check inside sees the latest committed
 * catalog (no two edits can each pass a check the other breaks). On commit the catalog_state
 * trigger NOTIFYs every instance. Anything thrown rolls the whole change back, bump included.
 */
export async function catalogChange<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<Committed<T>> {
  try {
    return await db.transaction(async (tx) => {
      const catalogVersion = await bumpCatalogVersion(tx);
      const result = await work(tx);
      return { result, catalogVersion };
    });
  } catch (error) {
    throw translateDatabaseError(error);
  }
}
