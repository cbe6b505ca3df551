import { afterAll, afterEach, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { openDatabase } from "../../src/db/index.ts";
import { createDirectoryService, employeeChunks, goneAt } from "../../src/directory/index.ts";
import { generateEmployee, type MockSap, mapSapEmployee } from "../../src/evidence/index.ts";
import { createMemoryLogger } from "../../src/log.ts";
import { createMetrics } from "../../src/metrics.ts";
import { freshDatabase, usingPostgres } from "../support/database.ts";
import { directoryApp, FAST_PAGE_RETRY, listingSkips, sapClientFor, startDirectoryMock } from "./support.ts";

// Whole syncs into a real database on a shared, busy machine.
setDefaultTimeout(120_000);

let mock: MockSap;
beforeAll(async () => {
  mock = await startDirectoryMock();
});
afterAll(() => mock.close());
afterEach(() => {
  mock.setFaults({ listingFailsFromSkip: undefined, failureRate: 0, latencyMs: 0 });
  mock.resetCalls();
});

async function allEmployees(db: Parameters<typeof employeeChunks>[0]) {
  const found = [];
  for await (const chunk of employeeChunks(db, 700)) found.push(...chunk);
  return found;
}

async function waitForSync(app: Awaited<ReturnType<typeof directoryApp>>) {
  await app.ctx.directory.running();
  return (await app.admin("/admin/directory")).json();
}

describe("directory sync from the mock SAP over HTTP", () => {
  test("a full sync of 3,000 employees: every row mapped as /user.tabs maps it, status and metrics", async () => {
    const database = await freshDatabase();
    const app = await directoryApp(database, mock);
    try {
      const before = await (await app.admin("/admin/directory")).json();
      expect(before).toMatchObject({ status: "never", employees: 0, synced_at: null, copy_employees: 0 });
      const answer = await app.admin("/admin/directory/sync", { method: "POST" });
      expect(answer.status).toBe(202);
      expect((await answer.json()).accepted).toBe(true);
      const status = await waitForSync(app);
      expect(status).toMatchObject({
        status: "succeeded",
        employees: 3000,
        total: 3000,
        pages: 7,
        error: null,
      });
      expect(status.copy_employees).toBe(3000);
      expect(status.synced_at).toBe(status.finished_at);
      const rows = await allEmployees(database.db);
      expect(rows.length).toBe(3000);
      // The same mapping as /user.tabs: what the SAP client maps from the entity.
      for (const pernr of ["00000001", "00001234", "00003000"]) {
        expect(rows.find((r) => r.personnel_number === pernr)).toEqual(
          mapSapEmployee(generateEmployee(pernr)),
        );
      }
      expect(listingSkips(mock)).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000]);
      const metrics = await app.metrics.registry.metrics();
      expect(metrics).toContain("lk_directory_employees 3000");
      expect(metrics).toContain('lk_directory_sync_runs_total{outcome="succeeded"} 1');
      expect(app.logger.lines.some((l) => l.msg === "directory sync finished" && l.employees === 3000)).toBe(
        true,
      );
    } finally {
      await app.stop();
      await database.close();
    }
  });

  test("an interrupted sync resumes where it stopped, on the next instance", async () => {
    const database = await freshDatabase();
    mock.setFaults({ latencyMs: 30 });
    const first = await directoryApp(database, mock);
    await first.ctx.directory.requestSync("manual");
    while ((await first.ctx.directory.status()).pages < 2) await Bun.sleep(10);
    await first.stop(); // shutting down mid-sync
    const stopped = await first.ctx.directory.status();
    expect(stopped.status).toBe("running"); // left for the next sync, not failed
    expect(stopped.pages).toBeGreaterThanOrEqual(2);
    expect(stopped.pages).toBeLessThan(7);
    mock.setFaults({ latencyMs: 0 });
    mock.resetCalls();
    const second = await directoryApp(database, mock);
    try {
      expect((await second.ctx.directory.requestSync("manual")).accepted).toBe(true);
      const status = await waitForSync(second);
      expect(status).toMatchObject({ status: "succeeded", run_id: stopped.run_id, total: 3000, pages: 7 });
      // It asked SAP only for the pages the first instance had not written.
      expect(listingSkips(mock)[0]).toBe(stopped.pages * 500);
      expect((await allEmployees(database.db)).length).toBe(3000);
    } finally {
      await second.stop();
      await database.close();
    }
  });

  test("restart: true starts over instead of resuming (the interrupted run is marked failed)", async () => {
    const database = await freshDatabase();
    mock.setFaults({ latencyMs: 30 });
    const first = await directoryApp(database, mock);
    await first.ctx.directory.requestSync("manual");
    while ((await first.ctx.directory.status()).pages < 1) await Bun.sleep(10);
    await first.stop();
    const stopped = await first.ctx.directory.status();
    mock.setFaults({ latencyMs: 0 });
    mock.resetCalls();
    const second = await directoryApp(database, mock);
    try {
      const answer = await second.admin("/admin/directory/sync", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ restart: true }),
      });
      expect(answer.status).toBe(202);
      const status = await waitForSync(second);
      expect(status).toMatchObject({ status: "succeeded", pages: 7 });
      expect(status.run_id).toBe((stopped.run_id ?? 0) + 1);
      expect(listingSkips(mock)[0]).toBe(0);
      const bad = await second.admin("/admin/directory/sync", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ restart: "yes" }),
      });
      expect(bad.status).toBe(422);
    } finally {
      await second.stop();
      await database.close();
    }
  });

  test("SAP failing mid-way: retried, then the run fails and the previous copy stays in use", async () => {
    const database = await freshDatabase();
    const app = await directoryApp(database, mock);
    try {
      await app.ctx.directory.requestSync("manual");
      const good = await waitForSync(app);
      expect(good.status).toBe("succeeded");
      mock.removeEmployee("00000010");
      mock.setFaults({ listingFailsFromSkip: 1500 });
      mock.resetCalls();
      await app.ctx.directory.requestSync("manual");
      const failed = await waitForSync(app);
      expect(failed.status).toBe("failed");
      expect(failed.error).toContain("503");
      expect(failed.synced_at).toBe(good.finished_at); // the copy in use is still the good run's
      // Each page was asked for again (client retries × page retries) before giving up.
      expect(listingSkips(mock).filter((s) => s === 1500).length).toBeGreaterThan(FAST_PAGE_RETRY.attempts);
      // Nobody was marked gone by the failed run, not even the one SAP no longer lists.
      expect(await goneAt(database.db, "00000010")).toBeNull();
      expect(failed.copy_employees).toBe(3000);
      expect(app.logger.lines.some((l) => l.msg.includes("the previous copy stays in use"))).toBe(true);
    } finally {
      mock.resetEmployee("00000010");
      await app.stop();
      await database.close();
    }
  });

  test("an employee gone from SAP is marked gone (not deleted); one who comes back is not", async () => {
    const database = await freshDatabase();
    const app = await directoryApp(database, mock);
    try {
      await app.ctx.directory.requestSync("manual");
      await waitForSync(app);
      mock.removeEmployee("00001001");
      await app.ctx.directory.requestSync("manual");
      const status = await waitForSync(app);
      expect(status).toMatchObject({
        status: "succeeded",
        employees: 2999,
        total: 2999,
        copy_employees: 2999,
      });
      expect(await goneAt(database.db, "00001001")).toBeInstanceOf(Date);
      expect((await allEmployees(database.db)).some((e) => e.personnel_number === "00001001")).toBe(false);
      mock.resetEmployee("00001001");
      await app.ctx.directory.requestSync("manual");
      expect((await waitForSync(app)).copy_employees).toBe(3000);
      expect(await goneAt(database.db, "00001001")).toBeNull();
    } finally {
      mock.resetEmployee("00001001");
      await app.stop();
      await database.close();
    }
  });

  test("a listing far shorter than the copy is refused rather than marking most employees gone", async () => {
    const database = await freshDatabase();
    const app = await directoryApp(database, mock);
    const small = await startDirectoryMock({ size: 1000 });
    try {
      await app.ctx.directory.requestSync("manual");
      await waitForSync(app);
      const shrunk = createDirectoryService({
        database,
        lister: sapClientFor(small),
        logger: createMemoryLogger(),
        metrics: createMetrics(),
        intervalH: 0,
        pageSize: 500,
        pageRetry: FAST_PAGE_RETRY,
      });
      await shrunk.requestSync("manual");
      await shrunk.running();
      const status = await shrunk.status();
      expect(status.status).toBe("failed");
      expect(status.error).toContain("refusing to mark 2000 gone");
      expect(status.copy_employees).toBe(3000);
    } finally {
      await small.close();
      await app.stop();
      await database.close();
    }
  });
});

describe.if(usingPostgres())("two instances on PostgreSQL", () => {
  test("two instances asking to sync at once: one runs, the other is told one is running", async () => {
    const database = await freshDatabase();
    const other = await openDatabase({ kind: "postgres", url: database.url ?? "" });
    mock.setFaults({ latencyMs: 20 });
    const make = (db: typeof database) =>
      createDirectoryService({
        database: db,
        lister: sapClientFor(mock),
        logger: createMemoryLogger(),
        metrics: createMetrics(),
        intervalH: 0,
        pageSize: 500,
        pageRetry: FAST_PAGE_RETRY,
      });
    const a = make(database);
    const b = make(other);
    try {
      const answers = await Promise.all([a.requestSync("manual"), b.requestSync("manual")]);
      expect(answers.filter((x) => x.accepted).length).toBe(1);
      expect(answers.find((x) => !x.accepted)).toEqual({ accepted: false, reason: "running" });
      await Promise.all([a.running(), b.running()]);
      const status = await a.status();
      expect(status).toMatchObject({ status: "succeeded", run_id: 1, employees: 3000 });
      // One sync's worth of listing calls, each page once.
      expect(listingSkips(mock)).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000]);
      // Once it is done, the lock is free again for either.
      expect((await b.requestSync("manual")).accepted).toBe(true);
      await b.running();
    } finally {
      await a.close();
      await b.close();
      await other.close();
      await database.close();
    }
  });
});

describe("directory configuration", () => {
  test("DIRECTORY_SYNC_INTERVAL_H: hours, 0 turns the schedule off, default 24; a bad value names it", async () => {
    const { loadConfig } = await import("../../src/config.ts");
    expect(loadConfig({}).directory).toEqual({ syncIntervalH: 24, impactWorkers: 2 });
    expect(loadConfig({ DIRECTORY_SYNC_INTERVAL_H: "0", IMPACT_WORKERS: "1" }).directory).toEqual({
      syncIntervalH: 0,
      impactWorkers: 1,
    });
    expect(() => loadConfig({ DIRECTORY_SYNC_INTERVAL_H: "-1" })).toThrow("DIRECTORY_SYNC_INTERVAL_H");
    expect(() => loadConfig({ IMPACT_WORKERS: "0" })).toThrow("IMPACT_WORKERS");
  });
});
