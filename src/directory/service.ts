/**
 * The employee directory copy as the rest of the service sees it: start a sync (on demand or on
 * the schedule), its status, and the news that a sync finished (the impact sandbox reloads).
 */
import type { Database } from "../db/index.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import { createSyncLock } from "./lock.ts";
import { DEFAULT_PAGE_RETRY, type PageRetryPolicy } from "./page-retry.ts";
import type { DirectoryStatus } from "./schemas.ts";
import {
  countEmployees,
  lastSucceededRun,
  latestRun,
  type SyncRunRow,
  type SyncTrigger,
  unfinishedRun,
} from "./store.ts";
import { type EmployeeLister, runSync, SyncInterrupted } from "./sync.ts";
import { createKnownValues, type KnownValuesIndex } from "./values.ts";

export interface DirectoryOptions {
  database: Database;
  /** SAP's listing; without it the copy can be read but not synced. */
  lister?: EmployeeLister;
  logger: Logger;
  metrics: Metrics;
  /** Hours between scheduled syncs (DIRECTORY_SYNC_INTERVAL_H); 0: none. */
  intervalH: number;
  pageSize?: number;
  pageRetry?: PageRetryPolicy;
  /** See SyncDeps.minListedShare (default 0.5). */
  minListedShare?: number;
  /** See SyncDeps.pagePauseMs. */
  pagePauseMs?: number;
}

export type SyncStart = { accepted: true } | { accepted: false; reason: "running" | "no_sap" };

export interface DirectoryService {
  /** Starts a sync in the background unless one runs (here or on another instance). */
  requestSync(trigger: SyncTrigger, options?: { restart?: boolean }): Promise<SyncStart>;
  /** The sync running in this process, if any (resolves when it ends, never rejects). */
  running(): Promise<SyncRunRow | undefined> | undefined;
  status(): Promise<DirectoryStatus>;
  /** Called after every successful sync (and once at start when a synced copy exists). */
  onSynced(listener: (run: SyncRunRow) => void): void;
  /** Starts the schedule (and resumes an interrupted run soon). */
  startSchedule(): Promise<void>;
  /** The values each field has in the copy (for the editor and the check's warnings). */
  readonly values: KnownValuesIndex;
  /** Stops the schedule and interrupts a running sync (it resumes on the next one). */
  close(): Promise<void>;
}

const DEFAULT_PAGE_SIZE = 1000;
/** A run marked running that wrote nothing for this long is not running anywhere. */
const STALE_RUN_MS = 60_000;
const RESUME_DELAY_MS = 5_000;
const MAX_TIMER_MS = 2_147_483_647;

export function createDirectoryService(options: DirectoryOptions): DirectoryService {
  const { database, logger: parentLogger, metrics } = options;
  const { db } = database;
  const logger = parentLogger.child({ component: "directory" });
  const lock = createSyncLock(database);
  const listeners: Array<(run: SyncRunRow) => void> = [];
  let current: Promise<SyncRunRow | undefined> | undefined;
  let abort: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const onPage = (run: SyncRunRow) => {
    metrics.directorySyncEmployees.set(run.employees);
    if (run.total !== null) metrics.directorySyncTotal.set(run.total);
  };

  async function syncUnderLock(
    trigger: SyncTrigger,
    restart: boolean,
    release: () => Promise<void>,
    signal: AbortSignal,
  ) {
    try {
      const run = await runSync(
        {
          db,
          lister: options.lister as EmployeeLister,
          logger,
          pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
          pageRetry: options.pageRetry ?? DEFAULT_PAGE_RETRY,
          minListedShare: options.minListedShare ?? 0.5,
          onPage,
          restart,
          pagePauseMs: options.pagePauseMs,
        },
        trigger,
        signal,
      );
      metrics.directorySyncRuns.inc({ outcome: run.status });
      if (run.status === "succeeded") {
        metrics.directoryEmployees.set(await countEmployees(db));
        for (const listener of listeners) listener(run);
      }
      return run;
    } catch (error) {
      metrics.directorySyncRuns.inc({ outcome: error instanceof SyncInterrupted ? "interrupted" : "error" });
      if (!(error instanceof SyncInterrupted)) {
        logger.error("directory sync stopped", { error: String(error) });
      }
      return undefined;
    } finally {
      await release().catch(() => {});
    }
  }

  async function requestSync(
    trigger: SyncTrigger,
    startOptions: { restart?: boolean } = {},
  ): Promise<SyncStart> {
    if (!options.lister) return { accepted: false, reason: "no_sap" };
    if (current || closed) return { accepted: false, reason: "running" };
    const controller = new AbortController();
    const held = await lock.tryAcquire((error) => {
      logger.error("directory sync lock lost; stopping the sync", { error: String(error) });
      controller.abort();
    });
    if (!held) {
      logger.info("directory sync not started: one is running", { trigger });
      return { accepted: false, reason: "running" };
    }
    const run = syncUnderLock(
      trigger,
      startOptions.restart === true,
      () => held.release(),
      controller.signal,
    );
    current = run;
    abort = controller;
    void run.finally(() => {
      if (current === run) current = undefined;
    });
    return { accepted: true };
  }

  async function status(): Promise<DirectoryStatus> {
    const [run, succeeded, copy] = await Promise.all([
      latestRun(db),
      lastSucceededRun(db),
      countEmployees(db),
    ]);
    const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
    let state: DirectoryStatus["status"] = run ? run.status : "never";
    if (run?.status === "running" && !current && Date.now() - run.updatedAt.getTime() > STALE_RUN_MS) {
      state = "interrupted";
    }
    return {
      status: state,
      employees: run?.employees ?? 0,
      total: run?.total ?? null,
      pages: run?.pages ?? 0,
      started_at: iso(run?.startedAt),
      finished_at: iso(run?.finishedAt),
      error: run?.error ?? null,
      run_id: run?.id ?? null,
      synced_at: iso(succeeded?.finishedAt),
      copy_employees: copy,
    };
  }

  function schedule(delayMs: number) {
    if (closed || options.intervalH <= 0) return;
    clearTimeout(timer);
    timer = setTimeout(() => void tick(), Math.min(Math.max(0, delayMs), MAX_TIMER_MS));
    timer.unref?.();
  }

  async function tick() {
    const started = await requestSync("schedule").catch((error) => {
      logger.error("scheduled directory sync could not start", { error: String(error) });
      return undefined;
    });
    if (started?.accepted) await current;
    schedule(await nextDelay());
  }

  async function nextDelay(): Promise<number> {
    const intervalMs = options.intervalH * 3_600_000;
    if (await unfinishedRun(db)) return RESUME_DELAY_MS;
    const last = await lastSucceededRun(db);
    return last?.finishedAt ? last.finishedAt.getTime() + intervalMs - Date.now() : 0;
  }

  return {
    requestSync,
    values: createKnownValues(db),
    running: () => current,
    status,
    onSynced(listener) {
      listeners.push(listener);
    },
    async startSchedule() {
      const last = await lastSucceededRun(db);
      if (last) {
        metrics.directoryEmployees.set(await countEmployees(db));
        for (const listener of listeners) listener(last);
      }
      if (options.intervalH > 0 && options.lister) schedule(await nextDelay());
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      abort?.abort();
      await current;
    },
  };
}
