// `bun run lk2:import --from <postgres URL | export.json> [--dry-run] [--json]`: reads LK2's catalog
// (its database or an export file), imports it into our database (DATABASE_URL, or embedded
// PGlite, as the service) and prints the report. Exit code 0 when done, 1 when refused, 2 on usage.
import { parseArgs } from "node:util";
import { loadConfigOrExit } from "../../config.ts";
import { openDatabase } from "../../db/index.ts";
import { isAppError } from "../../errors.ts";
import { formatReport, readLk2 } from "../../lk2/index.ts";
import { importLk2, LK2_ACTOR } from "./lk2-import.ts";

const USAGE = "usage: bun run lk2:import --from <postgres://… | export.json> [--dry-run] [--json]";

let options: { from?: string; "dry-run"?: boolean; json?: boolean };
try {
  options = parseArgs({
    options: { from: { type: "string" }, "dry-run": { type: "boolean" }, json: { type: "boolean" } },
  }).values;
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (!options.from) {
  console.error(USAGE);
  process.exit(2);
}

const config = loadConfigOrExit();

const database = await openDatabase(config.database);
let status = 0;
try {
  const source = await readLk2(options.from);
  const report = await importLk2(database.db, source, {
    dryRun: options["dry-run"] === true,
    actor: LK2_ACTOR,
  });
  console.log(options.json ? JSON.stringify(report, null, 2) : formatReport(report));
} catch (error) {
  if (!isAppError(error)) throw error;
  console.error(`refused (${error.code}): ${error.message}`);
  for (const detail of error.details.slice(0, 20)) {
    console.error(`  ${detail.path ? `${detail.path}: ` : ""}${detail.message}`);
  }
  status = 1;
} finally {
  await database.close();
}
process.exit(status);
