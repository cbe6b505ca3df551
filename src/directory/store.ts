/**
 * The directory copy in the database: sync runs and employee rows. Every write a sync makes for
 * one page (its rows and the run's progress) is one transaction, so a run interrupted anywhere
 * resumes exactly after the last page it wrote.
 */
import { createHash } from "node:crypto";
import { and, asc, desc, eq, gt, inArray, isNull, lt, ne, sql } from "drizzle-orm";
import { type Db, schema } from "../db/index.ts";
import type { EmployeeEvidence } from "../evidence/index.ts";

const { directoryEmployees: employees, directorySyncRuns: runs } = schema;

export type SyncRunRow = typeof runs.$inferSelect;
export type SyncTrigger = "manual" | "schedule" | "demo" | "resume";

/** Gone rows are kept this long (an employee back from leave keeps their history), then purged. */
const PURGE_GONE_AFTER_DAYS = 30;

/** A hash of the evidence as mapped (the mapping gives its fields in one order). */
export function contentHash(evidence: EmployeeEvidence): string {
  return createHash("sha256").update(JSON.stringify(evidence)).digest("base64url").slice(0, 22);
}

export async function latestRun(db: Db): Promise<SyncRunRow | undefined> {
  const [row] = await db.select().from(runs).orderBy(desc(runs.id)).limit(1);
  return row;
}

export async function lastSucceededRun(db: Db): Promise<SyncRunRow | undefined> {
  const [row] = await db
    .select()
    .from(runs)
    .where(eq(runs.status, "succeeded"))
    .orderBy(desc(runs.id))
    .limit(1);
  return row;
}

/** The newest run still marked running: under the sync lock, one whose holder went away. */
export async function unfinishedRun(db: Db): Promise<SyncRunRow | undefined> {
  const [row] = await db
    .select()
    .from(runs)
    .where(eq(runs.status, "running"))
    .orderBy(desc(runs.id))
    .limit(1);
  return row;
}

export async function createRun(db: Db, trigger: SyncTrigger, pageSize: number): Promise<SyncRunRow> {
  const [row] = await db.insert(runs).values({ status: "running", trigger, pageSize }).returning();
  if (!row) throw new Error("the sync run was not created");
  return row;
}

export async function markResumed(db: Db, run: SyncRunRow): Promise<SyncRunRow> {
  const [row] = await db
    .update(runs)
    .set({ resumes: sql`${runs.resumes} + 1`, updatedAt: new Date() })
    .where(eq(runs.id, run.id))
    .returning();
  return row ?? run;
}

export interface PageWrite {
  run: SyncRunRow;
  skip: number;
  rows: number;
  count: number | undefined;
  employees: readonly EmployeeEvidence[];
  rejectedPernrs: readonly string[];
}

/** One page's employees and the run's progress, in one transaction; the run as it now is. */
export async function writePage(db: Db, page: PageWrite): Promise<SyncRunRow> {
  const now = new Date();
  // A personnel number twice in one page would make the upsert touch a row twice.
  const unique = new Map(page.employees.map((e) => [e.personnel_number, e]));
  const values = [...unique.values()].map((evidence) => ({
    personnelNumber: evidence.personnel_number,
    evidence,
    contentHash: contentHash(evidence),
    seenAt: now,
    seenRun: page.run.id,
    changedAt: now,
    goneAt: null,
  }));
  return db.transaction(async (tx) => {
    if (values.length > 0) {
      await tx
        .insert(employees)
        .values(values)
        .onConflictDoUpdate({
          target: employees.personnelNumber,
          set: {
            evidence: sql`excluded.evidence`,
            contentHash: sql`excluded.content_hash`,
            seenAt: sql`excluded.seen_at`,
            seenRun: sql`excluded.seen_run`,
            goneAt: sql`null`,
            changedAt: sql`case when ${employees.contentHash} = excluded.content_hash then ${employees.changedAt} else excluded.changed_at end`,
          },
        });
    }
    // SAP listed them but their row did not map: keep the last good copy, and do not call them gone.
    const rejected = page.rejectedPernrs.filter((p) => !unique.has(p));
    if (rejected.length > 0) {
      await tx
        .update(employees)
        .set({ seenAt: now, seenRun: page.run.id })
        .where(inArray(employees.personnelNumber, rejected));
    }
    const [row] = await tx
      .update(runs)
      .set({
        nextSkip: page.skip + page.rows,
        pages: sql`${runs.pages} + 1`,
        employees: sql`${runs.employees} + ${unique.size}`,
        rejected: sql`${runs.rejected} + ${page.rows - page.employees.length}`,
        total: page.count ?? page.run.total,
        updatedAt: now,
      })
      .where(eq(runs.id, page.run.id))
      .returning();
    if (!row) throw new Error(`sync run ${page.run.id} is gone`);
    return row;
  });
}

/** How many rows are in the copy now (not gone), and how many of them `run` has listed. */
export async function copyCounts(db: Db, runId: number): Promise<{ current: number; seen: number }> {
  const [row] = await db
    .select({
      current: sql<number>`count(*)::int`,
      seen: sql<number>`(count(*) filter (where ${employees.seenRun} = ${runId}))::int`,
    })
    .from(employees)
    .where(isNull(employees.goneAt));
  return { current: row?.current ?? 0, seen: row?.seen ?? 0 };
}

/**
 * The end of a successful run, in one transaction: employees it did not list are marked gone
 * (only now, so that a failed run never takes anyone out of the copy), long-gone rows purged.
 */
export async function finishRun(db: Db, run: SyncRunRow): Promise<SyncRunRow> {
  const now = new Date();
  return db.transaction(async (tx) => {
    const gone = await tx
      .update(employees)
      .set({ goneAt: now })
      .where(and(isNull(employees.goneAt), ne(employees.seenRun, run.id)))
      .returning({ pernr: employees.personnelNumber });
    const purgeBefore = new Date(now.getTime() - PURGE_GONE_AFTER_DAYS * 86_400_000);
    await tx.delete(employees).where(lt(employees.goneAt, purgeBefore));
    const [row] = await tx
      .update(runs)
      .set({ status: "succeeded", gone: gone.length, finishedAt: now, updatedAt: now, error: null })
      .where(eq(runs.id, run.id))
      .returning();
    return row ?? run;
  });
}

export async function failRun(db: Db, run: SyncRunRow, error: string): Promise<SyncRunRow> {
  const now = new Date();
  const [row] = await db
    .update(runs)
    .set({ status: "failed", error: error.slice(0, 500), finishedAt: now, updatedAt: now })
    .where(eq(runs.id, run.id))
    .returning();
  return row ?? run;
}

/** Employees in the copy (not gone). */
export async function countEmployees(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(employees)
    .where(isNull(employees.goneAt));
  return row?.n ?? 0;
}

/**
 * The copy in personnel-number order, `chunkSize` rows at a time (keyset paging: each chunk is
 * one short query, and only one chunk is in memory).
 */
export async function* employeeChunks(db: Db, chunkSize: number): AsyncGenerator<EmployeeEvidence[]> {
  let after = "";
  for (;;) {
    const rows = await db
      .select({ pernr: employees.personnelNumber, evidence: employees.evidence })
      .from(employees)
      .where(and(isNull(employees.goneAt), gt(employees.personnelNumber, after)))
      .orderBy(asc(employees.personnelNumber))
      .limit(chunkSize);
    if (rows.length === 0) return;
    yield rows.map((row) => row.evidence as EmployeeEvidence);
    after = rows[rows.length - 1]?.pernr ?? after;
    if (rows.length < chunkSize) return;
  }
}

/** Whether the row of `pernr` is marked gone (undefined: no such row). For tests and the admin. */
export async function goneAt(db: Db, pernr: string): Promise<Date | null | undefined> {
  const [row] = await db
    .select({ goneAt: employees.goneAt })
    .from(employees)
    .where(eq(employees.personnelNumber, pernr));
  return row === undefined ? undefined : row.goneAt;
}
