// `bun run catalog:import --from export.json [--dry-run] [--json]`: imports a catalog export (what
// GET /admin/export answers) into our database (DATABASE_URL, or embedded PGlite, as the service)
// and prints the report. Audited as `catalog-import`. The static check runs, the trial at save does
// not (it needs the service's admin sandbox: import over HTTP to have it). Exit code 0 when done,
// 1 when refused (a dry run that lists refusals too), 2 on usage.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../../config.ts";
import { type Database, openDatabase } from "../../db/index.ts";
import { AppError, isAppError } from "../../errors.ts";
import { CATALOG_IMPORT_ACTOR, importCatalog } from "./catalog-import.ts";
import { formatCatalogReport } from "./catalog-report.ts";

const USAGE = "usage: bun run catalog:import --from <export.json> [--dry-run] [--json]";

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const consoleOutput: CliOutput = { out: (text) => console.log(text), err: (text) => console.error(text) };

/** The command, given its arguments and where the database comes from (tests pass their own). */
export async function runCatalogImport(
  argv: readonly string[],
  open: () => Promise<Database>,
  output: CliOutput = consoleOutput,
): Promise<number> {
  let options: { from?: string; "dry-run"?: boolean; json?: boolean };
  try {
    options = parseArgs({
      args: [...argv],
      options: { from: { type: "string" }, "dry-run": { type: "boolean" }, json: { type: "boolean" } },
    }).values;
  } catch (error) {
    output.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!options.from) {
    output.err(USAGE);
    return 2;
  }
  let document: unknown;
  try {
    document = await readJson(options.from);
  } catch (error) {
    if (!isAppError(error)) throw error;
    output.err(error.message);
    return 1;
  }
  let database: Database;
  try {
    database = await open();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    output.err(error.message);
    return 1;
  }
  try {
    const report = await importCatalog(database.db, document, {
      dryRun: options["dry-run"] === true,
      actor: CATALOG_IMPORT_ACTOR,
    });
    output.out(options.json ? JSON.stringify(report, null, 2) : formatCatalogReport(report));
    return report.refused.length > 0 ? 1 : 0;
  } catch (error) {
    if (!isAppError(error)) throw error;
    output.err(`refused (${error.code}): ${error.message}`);
    for (const detail of error.details.slice(0, 20)) {
      output.err(`  ${detail.path ? `${detail.path}: ` : ""}${detail.message}`);
    }
    return 1;
  } finally {
    await database.close();
  }
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new AppError("bad_request", `cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError("bad_request", `${path} is not JSON: ${(error as Error).message}`);
  }
}

if (import.meta.main) {
  process.exit(await runCatalogImport(process.argv.slice(2), () => openDatabase(loadConfig().database)));
}
