import { afterAll, beforeAll } from "bun:test";
import { loadConfig } from "../../src/config.ts";
import type { EmployeeEvidence } from "../../src/evidence/schema.ts";
import { type EvidenceSource, StaticEvidenceSource } from "../../src/evidence/source.ts";
import { createMemoryLogger } from "../../src/log.ts";
import { createMetrics } from "../../src/metrics.ts";
import { assembleContext, createServiceApp } from "../../src/server.ts";
import { freshDatabase } from "./database.ts";

export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789";

/**
 * The config of an in-process test service: dev auth with the test admin token, one rule worker,
 * no catalog polling to speak of; `env` on top.
 */
export function testConfig(env: Record<string, string> = {}) {
  return loadConfig({
    AUTH_MODE: "dev",
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    RULE_WORKERS: "1",
    CATALOG_POLL_MS: "60000",
    ...env,
  });
}

/** A request init that may carry a bearer `token` and a `json` body (sent as application/json). */
export type TestRequestInit = RequestInit & { token?: string; json?: unknown };

/** Sends requests to an in-process app (`app.handle`), with the token and JSON body set. */
export function requestsTo(app: { handle(request: Request): Promise<Response> }) {
  return (path: string, init: TestRequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set("authorization", `Bearer ${init.token}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(init.json);
    }
    return app.handle(new Request(`http://localhost${path}`, { ...init, headers, body }));
  };
}

/** requestsTo with the test admin token on every request. */
export function adminRequestsTo(app: { handle(request: Request): Promise<Response> }) {
  const request = requestsTo(app);
  return (path: string, init: Omit<TestRequestInit, "token"> = {}) =>
    request(path, { ...init, token: TEST_ADMIN_TOKEN });
}

export interface TestAppOptions {
  employees?: EmployeeEvidence[];
  evidence?: EvidenceSource;
  env?: Record<string, string>;
  clock?: () => Date;
}

/**
 * The whole service in-process on a fresh database (PGlite, or PostgreSQL when DATABASE_URL is
 * set), with a memory logger to assert on. Drive it with `request()` (app.handle underneath).
 */
export async function createTestApp(options: TestAppOptions = {}) {
  const database = await freshDatabase();
  const config = testConfig(options.env);
  const logger = createMemoryLogger();
  const evidence =
    options.evidence ??
    new StaticEvidenceSource(new Map((options.employees ?? []).map((e) => [e.personnel_number, e])));
  const { ctx, stop } = await assembleContext({
    config,
    logger,
    metrics: createMetrics(),
    database,
    evidence,
    clock: options.clock ?? (() => new Date()),
  });
  const app = createServiceApp(ctx);

  const request = requestsTo(app);

  return {
    app,
    ctx,
    db: database.db,
    logger,
    request,
    admin: adminRequestsTo(app),
    async close() {
      await stop();
      await database.close();
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/**
 * For hooks that start an app: PGlite and the rule sandboxes take seconds to start on a busy
 * machine, more than bun's 5 s default for hooks.
 */
export const STARTUP_TIMEOUT_MS = 60_000;

/**
 * The app of a test file (or of a describe block, called inside one): started before its tests,
 * then `setUp` (fixtures every test uses), and closed after them. The answer stands for the app
 * once it is started; used before (at module level, outside a test or hook) it throws.
 */
export function useTestApp(options: TestAppOptions = {}, setUp?: (t: TestApp) => Promise<void>): TestApp {
  let app: TestApp | undefined;
  beforeAll(async () => {
    app = await createTestApp(options);
    await setUp?.(app);
  }, STARTUP_TIMEOUT_MS);
  afterAll(() => app?.close());
  return new Proxy({} as TestApp, {
    get(_target, key) {
      if (!app) throw new Error("the test app is not started yet: use it inside a test or a hook");
      return Reflect.get(app, key);
    },
  });
}
