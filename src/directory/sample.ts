/**
 * The trial's sample from the directory copy: a fixed, deterministic pick (the same copy gives
 * the same employees) spread over regions and roles, with the awkward records real data has
 * (no birthday, no hire date, no roles, no store, no gender, a short org path, external, part
 * time) first. Computed once per successful sync.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/index.ts";
import type { EmployeeEvidence } from "../evidence/index.ts";
import { lastSucceededRun } from "./store.ts";

/** What makes a record awkward, as SQL over `evidence`; a couple of each are in every sample. */
const AWKWARD = [
  sql`evidence->'birthday' = 'null'::jsonb`,
  sql`evidence->'hire_date' = 'null'::jsonb`,
  sql`jsonb_array_length(evidence->'roles') = 0`,
  sql`jsonb_array_length(evidence->'apps') = 0`,
  sql`evidence->'store_id' = 'null'::jsonb`,
  sql`evidence->'gender' = 'null'::jsonb`,
  sql`jsonb_array_length(evidence->'orgunit_path') <= 3`,
  sql`evidence->>'employee_group' <> '1'`,
  sql`evidence->>'employment_type' = 'part_time'`,
  sql`(evidence->>'is_manager')::boolean`,
];
const PER_AWKWARD_KIND = 2;

export async function directorySample(db: Db, limit: number): Promise<EmployeeEvidence[]> {
  const picked = new Map<string, EmployeeEvidence>();
  const add = (rows: ReadonlyArray<{ evidence: unknown }>) => {
    for (const row of rows) {
      const e = row.evidence as EmployeeEvidence;
      if (picked.size < limit && !picked.has(e.personnel_number)) picked.set(e.personnel_number, e);
    }
  };
  for (const predicate of AWKWARD) {
    add(
      await rows(
        db,
        sql`select evidence from directory_employees where gone_at is null and ${predicate}
            order by personnel_number limit ${PER_AWKWARD_KIND}`,
      ),
    );
  }
  // Round-robin over (region, roles): the first of every group, then the second of each, …
  add(
    await rows(
      db,
      sql`select evidence from (
            select evidence, personnel_number,
              row_number() over (partition by evidence->>'region', evidence->'roles' order by personnel_number) as rn
            from directory_employees where gone_at is null) ranked
          order by rn, personnel_number limit ${limit}`,
    ),
  );
  return [...picked.values()];
}

async function rows(db: Db, query: ReturnType<typeof sql>): Promise<Array<{ evidence: unknown }>> {
  const result = await db.execute(query);
  return (Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? [])) as Array<{
    evidence: unknown;
  }>;
}

/** Employees kept for the trial: enough for any sample (the trial asks for ~114). */
const KEPT = 256;

/**
 * The sample held in memory, computed again after every successful sync. The trial at save runs
 * inside the change's transaction, so it must not query the database itself (on PGlite, one
 * connection, that would wait for the transaction it runs in).
 */
export function createDirectorySampleCache(db: Db, logger?: { warn(msg: string, fields?: object): void }) {
  let employees: EmployeeEvidence[] = [];
  return {
    /** Up to `limit` of the sample ([] until a sync has succeeded). */
    get: (limit: number): EmployeeEvidence[] => employees.slice(0, limit),
    async refresh(): Promise<void> {
      try {
        employees = (await lastSucceededRun(db)) ? await directorySample(db, KEPT) : [];
      } catch (error) {
        logger?.warn("the trial's sample could not be read from the directory", { error: String(error) });
      }
    },
  };
}
