import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema.ts";

export { schema };

type Schema = typeof schema;
/** Drizzle over either driver: the rest of the code never knows which one it has. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type DatabaseTarget =
  | { kind: "postgres"; url: string }
  /** `template`: a PGlite data-dir dump to start from instead of running initdb (tests). */
  | { kind: "pglite"; dir: string; template?: Blob };

export interface Database {
  kind: DatabaseTarget["kind"];
  db: Db;
  /** Subscribes to a NOTIFY channel; resolves to an unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** True when a trivial query answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
  /** PGlite only: the data directory as a tarball, to start other instances from. */
  dump?(): Promise<Blob>;
}

const MIGRATION_LOCK_ID = 74_260_001;

export const MIGRATIONS_FOLDER = new URL("../../db/migrations", import.meta.url).pathname;

/** Opens the database and applies pending migrations (the same SQL on both drivers). */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === "postgres" ? openPostgres(target.url) : openPglite(target.dir, target.template);
}

async function openPostgres(url: string): Promise<Database> {
  const client = postgres(url, { max: 10, onnotice: () => {} });
  const db = drizzlePostgres(client, { schema });
  // Instances starting together must not apply the same migration twice: the first one takes
  // the lock and migrates, the others wait and then find nothing to do.
  const lock = await client.reserve();
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await migratePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await lock`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`.catch(() => {});
    lock.release();
  }
  return {
    kind: "postgres",
    db: db as unknown as Db,
    async listen(channel, onPayload) {
      // postgres.js keeps a dedicated connection for LISTEN and re-subscribes after reconnects.
      const sub = await client.listen(channel, onPayload);
      return () => sub.unlisten();
    },
    ping: () => client`select 1`.then(() => true).catch(() => false),
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dir: string, template?: Blob): Promise<Database> {
  if (dir !== "memory://" && !dir.startsWith("idb://")) mkdirSync(dir, { recursive: true });
  const client = new PGlite(dir === "memory://" ? undefined : dir, { loadDataDir: template });
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return {
    kind: "pglite",
    db: db as unknown as Db,
    // Embedded PGlite serves one process, so its in-process NOTIFY is all the fan-out needed.
    listen: async (channel, onPayload) => client.listen(channel, onPayload),
    ping: () =>
      client
        .query("select 1")
        .then(() => true)
        .catch(() => false),
    close: () => client.close(),
    dump: () => client.dumpDataDir("none"),
  };
}
