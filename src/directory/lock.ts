/**
 * One directory sync at a time. Within a process a flag; across instances on PostgreSQL a
 * transaction-scoped advisory lock, held by a transaction that stays open for the whole sync on
 * a connection of its own (the sync's writes go through the pool's other connections). If that
 * connection dies, PostgreSQL drops the lock and `onLost` stops the sync, so two instances never
 * keep writing at once.
 *
 * PGlite: pg_try_advisory_lock "works", but PGlite is one session in one process, and a session
 * may take its own advisory lock again and again, so it would exclude nothing; and a transaction
 * held open there would block every other query. The process-local flag is the whole lock there.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../db/index.ts";

/** pg_advisory lock key of the directory sync (the migration lock is 74_260_001). */
const SYNC_LOCK_KEY = 74_260_002;

export interface HeldLock {
  release(): Promise<void>;
}

export interface SyncLock {
  /** The lock, or undefined when a sync holds it (here or on another instance). */
  tryAcquire(onLost: (error: unknown) => void): Promise<HeldLock | undefined>;
}

export function createSyncLock(database: Database): SyncLock {
  let heldHere = false;
  return {
    async tryAcquire(onLost) {
      if (heldHere) return undefined;
      heldHere = true;
      const across = database.kind === "postgres" ? await acrossInstances(database, onLost) : noLock;
      if (!across) {
        heldHere = false;
        return undefined;
      }
      return {
        async release() {
          await across.release();
          heldHere = false;
        },
      };
    },
  };
}

const noLock: HeldLock = { release: async () => {} };

async function acrossInstances(database: Database, onLost: (error: unknown) => void) {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let decide: (got: boolean) => void = () => {};
  const decision = new Promise<boolean>((resolve) => {
    decide = resolve;
  });
  let acquired = false;
  const holder = database.db
    .transaction(async (tx) => {
      const result = await tx.execute(sql`select pg_try_advisory_xact_lock(${SYNC_LOCK_KEY}) as got`);
      const rows = (Array.isArray(result) ? result : (result as { rows?: unknown[] }).rows) ?? [];
      acquired = (rows[0] as { got?: unknown } | undefined)?.got === true;
      decide(acquired);
      if (acquired) await released;
    })
    .catch((error) => {
      decide(false);
      if (acquired) onLost(error);
    });
  if (!(await decision)) {
    await holder;
    return undefined;
  }
  return {
    async release() {
      release();
      await holder;
    },
  };
}
