/**
 * Reading LK2's catalog: from its PostgreSQL database (the five tables of docs/integrations.md,
 * read in one repeatable-read transaction so the rows agree with each other), or from an export
 * file of the same rows as JSON. Either way the result is validated by Lk2ExportSchema.
 */
import { readFile } from "node:fs/promises";
import postgres from "postgres";
import { AppError } from "../errors.ts";
import { type Lk2Export, parseLk2Export } from "./export.ts";

const TABLES = ["rule", "tab_theme", "group_theme", "tab", "banner"] as const;

export function isDatabaseUrl(from: string): boolean {
  return /^postgres(ql)?:\/\//i.test(from);
}

/** `from`: a postgres:// URL of LK2's database, or the path of an export file. */
export async function readLk2(from: string): Promise<Lk2Export> {
  return isDatabaseUrl(from) ? readLk2Database(from) : readLk2File(from);
}

export async function readLk2File(path: string): Promise<Lk2Export> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new AppError("bad_request", `cannot read ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError("bad_request", `${path} is not JSON: ${(error as Error).message}`);
  }
  return parseLk2Export(json);
}

/** Django's BigAutoField ids are int8, which postgres.js gives as strings: numbers here. */
function numbersOf(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...row };
  for (const key of ["id", "rule_id", "tab_theme_id", "group_theme_id", "order"]) {
    const value = out[key];
    if (typeof value === "string" && /^-?\d{1,15}$/.test(value)) out[key] = Number(value);
  }
  return out;
}

export async function readLk2Database(url: string): Promise<Lk2Export> {
  const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    const rows = await sql.begin("isolation level repeatable read read only", async (tx) => {
      const out: Record<string, unknown[]> = {};
      for (const table of TABLES) {
        // Older installs have no rule.name: SELECT * takes whatever columns there are.
        out[table] = (await tx.unsafe(`SELECT * FROM "${table}" ORDER BY id`)).map(numbersOf);
      }
      return out;
    });
    return parseLk2Export(rows);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("bad_request", `cannot read LK2's database: ${(error as Error).message}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
