/**
 * One directory sync: page through SAP's EmployeeSet listing into the copy, a page at a time
 * (the next page is fetched while this one is written; never more than two pages in memory).
 * Progress is written with each page, so an interrupted run resumes where it stopped. A page
 * SAP fails to give is asked again (the client retries each call; this retries the page with a
 * longer backoff on top); when that is spent the run fails and nothing is marked gone, so the
 * copy stays what it was, plus whatever fresher rows the failed run wrote.
 */
import type { Db } from "../db/index.ts";
import type { EmployeePage } from "../evidence/index.ts";
import type { Logger } from "../log.ts";
import { type PageRetryPolicy, withPageRetry } from "./page-retry.ts";
import {
  copyCounts,
  createRun,
  failRun,
  finishRun,
  markResumed,
  type SyncRunRow,
  type SyncTrigger,
  unfinishedRun,
  writePage,
} from "./store.ts";

/** What the sync needs of SAP: the paged listing (SapClient has it). */
export interface EmployeeLister {
  listEmployees(top: number, skip: number): Promise<EmployeePage>;
}

export interface SyncDeps {
  db: Db;
  lister: EmployeeLister;
  logger: Logger;
  pageSize: number;
  /** Retries of one page on top of the client's own (see page-retry.ts). */
  pageRetry: PageRetryPolicy;
  /** Called after every page written (progress for metrics). */
  onPage?: (run: SyncRunRow) => void;
  /** A run that lists fewer than this share of the copy is refused before marking anyone gone. */
  minListedShare: number;
  /** Start over: an interrupted run is marked failed instead of resumed. */
  restart?: boolean;
  /** A pause after each page written (embedded PGlite writes on the service's own thread). */
  pagePauseMs?: number;
}

/** Thrown when the sync was stopped from outside (shutdown): the run stays resumable. */
export class SyncInterrupted extends Error {
  constructor() {
    super("the sync was interrupted; the next one resumes it");
    this.name = "SyncInterrupted";
  }
}

const LOG_EVERY_PAGES = 25;

/** Runs (or resumes) a sync; the caller holds the sync lock. Resolves to the finished run. */
export async function runSync(
  deps: SyncDeps,
  trigger: SyncTrigger,
  signal: AbortSignal,
): Promise<SyncRunRow> {
  const { db, logger } = deps;
  let interrupted = await unfinishedRun(db);
  if (interrupted && deps.restart) {
    await failRun(db, interrupted, "abandoned: a new sync was asked to start over");
    interrupted = undefined;
  }
  let run = interrupted ? await markResumed(db, interrupted) : await createRun(db, trigger, deps.pageSize);
  const pageSize = run.pageSize;
  logger.info(interrupted ? "directory sync resumed" : "directory sync started", {
    run: run.id,
    trigger,
    from: run.nextSkip,
    pageSize,
  });
  try {
    const fetchPage = (skip: number) =>
      withPageRetry(
        () => deps.lister.listEmployees(pageSize, skip),
        deps.pageRetry,
        signal,
        (error, attempt) =>
          logger.warn("directory sync: SAP listing failed, retrying the page", {
            run: run.id,
            skip,
            attempt: attempt + 1,
            error: String(error),
          }),
      );
    let skip = run.nextSkip;
    let next = fetchPage(skip);
    for (;;) {
      const page = await next;
      if (signal.aborted) throw new SyncInterrupted();
      const more = page.rows >= pageSize;
      if (more) {
        next = fetchPage(skip + page.rows);
        next.catch(() => {}); // awaited next turn; a failure there must not go unhandled meanwhile
      }
      run = await writePage(db, { run, skip, ...page });
      deps.onPage?.(run);
      if (run.pages % LOG_EVERY_PAGES === 0) {
        logger.info("directory sync progress", {
          run: run.id,
          pages: run.pages,
          employees: run.employees,
          total: run.total,
        });
      }
      if (!more) break;
      skip += page.rows;
      if (deps.pagePauseMs) await Bun.sleep(deps.pagePauseMs);
    }
    const counts = await copyCounts(db, run.id);
    const unlisted = counts.current - counts.seen;
    if (counts.current > 0 && counts.seen < counts.current * deps.minListedShare) {
      throw new Error(
        `SAP listed ${counts.seen} of the ${counts.current} employees in the copy: refusing to mark ${unlisted} gone`,
      );
    }
    run = await finishRun(db, run);
    logger.info("directory sync finished", {
      run: run.id,
      employees: run.employees,
      total: run.total,
      pages: run.pages,
      gone: run.gone,
      rejected: run.rejected,
    });
    return run;
  } catch (error) {
    if (error instanceof SyncInterrupted || signal.aborted) {
      logger.warn("directory sync interrupted; it resumes on the next sync", {
        run: run.id,
        at: run.nextSkip,
      });
      throw error instanceof SyncInterrupted ? error : new SyncInterrupted();
    }
    const message = error instanceof Error ? error.message : String(error);
    logger.error("directory sync failed; the previous copy stays in use", { run: run.id, error: message });
    return failRun(db, run, message);
  }
}
