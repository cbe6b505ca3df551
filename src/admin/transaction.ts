import { bumpCatalogVersion, readCatalogVersion } from "../catalog/index.ts";
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

/** What a change that may write nothing says it did. */
export interface MaybeWritten<T> {
  result: T;
  wrote: boolean;
}

/** Thrown out of the transaction so that it rolls back, catalog version bump included. */
class NothingWritten<T> extends Error {
  constructor(readonly result: T) {
    super("nothing to write");
  }
}

/**
 * Runs an admin change that may turn out to change nothing (an import run again): then it is
 * rolled back, so the catalog version is not bumped and no instance rebuilds for nothing, and
 * the answer carries the version as it stands.
 */
export async function catalogChangeIfAny<T>(
  db: Db,
  work: (tx: Tx) => Promise<MaybeWritten<T>>,
): Promise<Committed<T>> {
  try {
    return await catalogChange(db, async (tx) => {
      const { result, wrote } = await work(tx);
      if (!wrote) throw new NothingWritten(result);
      return result;
    });
  } catch (error) {
    if (!(error instanceof NothingWritten)) throw error;
    return { result: error.result as T, catalogVersion: await readCatalogVersion(db) };
  }
}
