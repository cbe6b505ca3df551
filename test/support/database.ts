import postgres from "postgres";
import { type Database, openDatabase } from "../../src/db/index.ts";

/**
 * A fresh, migrated database for one test file. With DATABASE_URL set (CI's second pass) it is
 * a new PostgreSQL database created beside the one named there and dropped afterwards;
 * otherwise in-memory PGlite. Same code, same migrations.
 */
export async function freshDatabase(): Promise<Database & { url?: string }> {
  const base = process.env.DATABASE_URL;
  if (!base) return openDatabase({ kind: "pglite", dir: "memory://", template: await migratedTemplate() });
  const name = `lk_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: "postgres", url: url.toString() });
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const cleanup = postgres(base, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

// PGlite's initdb takes seconds; each test file starts from one migrated dump made per process.
let template: Promise<Blob> | undefined;
function migratedTemplate(): Promise<Blob> {
  template ??= (async () => {
    const database = await openDatabase({ kind: "pglite", dir: "memory://" });
    const dump = await database.dump?.();
    await database.close();
    if (!dump) throw new Error("PGlite could not dump its data directory");
    return dump;
  })();
  return template;
}

export const usingPostgres = () => Boolean(process.env.DATABASE_URL);
