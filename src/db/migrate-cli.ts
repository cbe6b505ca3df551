// `bun run db:migrate`: applies pending migrations to DATABASE_URL, or to embedded PGlite.
import { loadConfigOrExit } from "../config.ts";
import { openDatabase } from "./index.ts";

const config = loadConfigOrExit();
const database = await openDatabase(config.database);
console.log(`migrations applied (${database.kind})`);
await database.close();
