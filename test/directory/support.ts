import { Elysia } from "elysia";
import { impactRoutes } from "../../src/admin/directory/impact-routes.ts";
import { directoryRoutes } from "../../src/admin/directory/routes.ts";
import type { Database } from "../../src/db/index.ts";
import type { DirectoryOptions } from "../../src/directory/index.ts";
import {
  type MockSap,
  type MockSapOptions,
  SapClient,
  StaticEvidenceSource,
  startMockSap,
} from "../../src/evidence/index.ts";
import { createApp } from "../../src/http/index.ts";
import { createMemoryLogger } from "../../src/log.ts";
import { createMetrics } from "../../src/metrics.ts";
import { assembleContext } from "../../src/server.ts";
import { adminRequestsTo, testConfig } from "../support/app.ts";

export const FAST_PAGE_RETRY = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 };

/** A SAP client for the mock with the service's shape and quick retries. */
export function sapClientFor(mock: MockSap, logger = createMemoryLogger()) {
  return new SapClient({
    baseUrl: mock.url,
    timeoutMs: 5000,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    logger,
    metrics: createMetrics(),
  });
}

export async function startDirectoryMock(options: MockSapOptions = {}): Promise<MockSap> {
  return startMockSap({ size: 3000, ...options });
}

/**
 * The whole service in-process (routes and all) on `database`, its directory syncing from
 * `mock` over real HTTP. `stop` leaves the database open, so another "instance" can start on it.
 */
export async function directoryApp(
  database: Database,
  mock: MockSap,
  tuning: Pick<DirectoryOptions, "pageSize" | "pageRetry" | "minListedShare"> = {},
  env: Record<string, string> = {},
  clock: () => Date = () => new Date(),
) {
  const logger = createMemoryLogger();
  const metrics = createMetrics();
  const config = testConfig({ DIRECTORY_SYNC_INTERVAL_H: "0", ...env });
  const { ctx, stop } = await assembleContext({
    config,
    logger,
    metrics,
    database,
    evidence: new StaticEvidenceSource(new Map()),
    clock,
    directoryLister: sapClientFor(mock, logger),
    directoryTuning: { pageSize: 500, pageRetry: FAST_PAGE_RETRY, ...tuning },
  });
  // The admin routes of the directory alone (the rest of the admin API is not under test here).
  const app = createApp(ctx, [
    new Elysia({ prefix: "/admin" }).use(directoryRoutes(ctx)).use(impactRoutes(ctx)),
  ]);
  const admin = adminRequestsTo(app);
  return { ctx, app, admin, logger, metrics, stop };
}

/** Skip values of the listing requests the mock received, in order. */
export function listingSkips(mock: MockSap): number[] {
  return mock
    .requests()
    .filter((r) => r.path.endsWith("/EmployeeSet"))
    .map((r) => Number(new URLSearchParams(r.search).get("$skip")));
}
