/**
 * The values that exist in the directory copy, per evidence field, with how many employees have
 * each (and names for regions and positions; for org units, their path): what the rule editor
 * offers and what the check compares string literals with. Counted once per successful sync.
 * Org units count every employee under them (a unit is any element of an employee's org path),
 * as `inOrgUnit` and `orgunit_path.includes` see them.
 */
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/index.ts";
import { lastSucceededRun } from "./store.ts";

export const VALUE_FIELDS = [
  "roles",
  "apps",
  "region",
  "orgunit_id",
  "position_id",
  "employee_group",
  "employment_type",
] as const;
export type ValueField = (typeof VALUE_FIELDS)[number];

/** The names the editor may use as well (`field=regions`, `field=org_units`, …). */
const ALIASES: Record<string, ValueField> = {
  role: "roles",
  app: "apps",
  regions: "region",
  orgunit: "orgunit_id",
  orgunits: "orgunit_id",
  org_units: "orgunit_id",
  orgunit_path: "orgunit_id",
  position: "position_id",
  positions: "position_id",
  employee_groups: "employee_group",
  employment_types: "employment_type",
};

export const ValuesQuerySchema = z.strictObject({
  field: z
    .string()
    .transform((f) => ALIASES[f] ?? f)
    .pipe(z.enum(VALUE_FIELDS))
    .describe(
      `one of ${VALUE_FIELDS.join(", ")} (or regions, org_units, positions, employee_groups, employment_types)`,
    ),
  q: z.string().max(200).optional().describe("only values whose value or name contains this (any case)"),
  limit: z.coerce.number().int().min(1).max(500).optional().describe("at most this many (default 50)"),
});

export const KnownValueSchema = z.object({
  value: z.string(),
  count: z.number().int().describe("employees with it"),
  name: z.string().nullable().describe("a region's or a position's name"),
  path: z.array(z.string()).nullable().describe("an org unit's path from the root (itself last)"),
});
export type KnownValue = z.infer<typeof KnownValueSchema>;

export const KnownValuesSchema = z.object({
  field: z.enum(VALUE_FIELDS),
  values: z.array(KnownValueSchema).describe("most employees first"),
  total: z.number().int().describe("distinct values matching (before `limit`)"),
  directory_synced_at: z.string().nullable(),
});
export type KnownValues = z.infer<typeof KnownValuesSchema>;

export interface KnownValuesIndex {
  /** Every value of `field` in the last synced copy (empty before the first sync). */
  all(field: ValueField): Promise<{ values: readonly KnownValue[]; syncedAt: Date | null }>;
  search(field: ValueField, q?: string, limit?: number): Promise<KnownValues>;
}

const NAMED: Partial<Record<ValueField, string>> = { region: "region_name", position_id: "position" };

export function createKnownValues(db: Db): KnownValuesIndex {
  const cache = new Map<ValueField, { run: number; values: KnownValue[] }>();
  async function all(field: ValueField) {
    const run = await lastSucceededRun(db);
    if (!run) return { values: [], syncedAt: null };
    const hit = cache.get(field);
    if (hit?.run === run.id) return { values: hit.values, syncedAt: run.finishedAt };
    const values = await count(db, field);
    cache.set(field, { run: run.id, values });
    return { values, syncedAt: run.finishedAt };
  }
  return {
    all,
    async search(field, q, limit = 50) {
      const { values, syncedAt } = await all(field);
      const needle = q?.trim().toLocaleLowerCase();
      const found = needle
        ? values.filter(
            (v) =>
              v.value.toLocaleLowerCase().includes(needle) || v.name?.toLocaleLowerCase().includes(needle),
          )
        : values;
      return {
        field,
        values: found.slice(0, limit),
        total: found.length,
        directory_synced_at: syncedAt?.toISOString() ?? null,
      };
    },
  };
}

async function count(db: Db, field: ValueField): Promise<KnownValue[]> {
  const alive = sql`gone_at is null`;
  let query: ReturnType<typeof sql>;
  if (field === "roles" || field === "apps" || field === "orgunit_id") {
    const list = field === "orgunit_id" ? "orgunit_path" : field;
    // One org path that holds the unit, to cut its path from (min: deterministic).
    const path = field === "orgunit_id" ? sql`min(evidence->>'orgunit_path')` : sql`null`;
    query = sql`select v as value, count(*)::int as count, null as name, ${path} as path
      from directory_employees, jsonb_array_elements_text(evidence->(${list}::text)) v
      where ${alive} group by v`;
  } else {
    const name = NAMED[field];
    query = sql`select evidence->>(${field}::text) as value, count(*)::int as count,
        ${name ? sql`min(evidence->>(${name}::text))` : sql`null`} as name, null as path
      from directory_employees where ${alive} group by 1`;
  }
  const result = await db.execute(query);
  const rows = (Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? [])) as Array<{
    value: string | null;
    count: number;
    name: string | null;
    path: string | null;
  }>;
  return rows
    .filter((row) => row.value !== null && row.value !== "")
    .map((row) => {
      const value = row.value as string;
      const full = row.path ? (JSON.parse(row.path) as string[]) : null;
      return {
        value,
        count: Number(row.count),
        name: row.name,
        path: full ? full.slice(0, full.indexOf(value) + 1) : null,
      };
    })
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}
