// `bun run db:seed`: fills an empty catalog in DATABASE_URL (or embedded PGlite) with the demo
// catalog; a catalog that has rules is left alone. Migrations apply first, as on start.
import { loadConfigOrExit } from "../config.ts";
import { openDatabase } from "../db/index.ts";
import { seedDemoCatalog } from "./seed.ts";

const config = loadConfigOrExit();
const database = await openDatabase(config.database);
try {
  const seeded = await seedDemoCatalog(database.db);
  console.log(
    seeded
      ? `demo catalog created (${database.kind})`
      : `the catalog already has rules: left as it is (${database.kind})`,
  );
} finally {
  await database.close();
}
