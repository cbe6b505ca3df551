import { randomBytes } from "node:crypto";
import { createAuthenticator } from "./auth/index.ts";
import { CatalogStore } from "./catalog/index.ts";
import type { Config } from "./config.ts";
import { openDatabase } from "./db/index.ts";
import { seedDemoCatalog } from "./demo/seed.ts";
import { createEvidenceSource } from "./evidence/index.ts";
import { createApp } from "./http/app.ts";
import type { AppContext } from "./http/context.ts";
import { createLogger, type Logger } from "./log.ts";
import { createMetrics } from "./metrics.ts";
import { createRuleEvaluator } from "./rules/index.ts";

export interface RunningService {
  url: string;
  /** Set when the service generated a dev admin token (dev auth, no ADMIN_TOKEN). */
  devAdminToken?: string;
  /** Set when the built-in demo SAP directory is serving. */
  demoSapUrl?: string;
  seeded: boolean;
  ctx: AppContext;
  stop(): Promise<void>;
}

/**
 * The composition root: builds every part from the config and wires them together. Embedded
 * defaults: PGlite with the demo catalog on first start, the demo SAP directory when
 * SAP_BASE_URL is unset, and a generated admin token in dev auth mode.
 */
export async function startService(
  config: Config,
  logger: Logger = createLogger(config.logLevel),
): Promise<RunningService> {
  const metrics = createMetrics();
  const database = await openDatabase(config.database);
  const seeded = database.kind === "pglite" ? await seedDemoCatalog(database.db) : false;
  if (seeded) logger.info("demo catalog created (first embedded start)");

  // Without SAP_BASE_URL this starts the demo SAP directory and points the real client at it.
  const evidence = await createEvidenceSource({ config, logger, metrics });

  let devAdminToken: string | undefined;
  let auth = config.auth;
  if (auth.mode === "dev" && !auth.adminToken) {
    devAdminToken = `dev-${randomBytes(18).toString("base64url")}`;
    auth = { ...auth, adminToken: devAdminToken };
  }

  const { ctx, stop } = await assembleContext({
    config: { ...config, auth },
    logger,
    metrics,
    database,
    evidence,
    clock: () => new Date(),
  });
  const app = createApp(ctx).listen({ port: config.port, hostname: "0.0.0.0" });
  const url = `http://localhost:${app.server?.port ?? config.port}`;

  return {
    url,
    devAdminToken,
    demoSapUrl: evidence.demo ? evidence.sapBaseUrl : undefined,
    seeded,
    ctx,
    async stop() {
      await app.stop();
      await stop();
      await evidence.close();
      await database.close();
    },
  };
}

export type ContextParts = Pick<
  AppContext,
  "config" | "logger" | "metrics" | "database" | "evidence" | "clock"
>;

/**
 * The parts every running app shares, service and tests alike: the rule evaluator, the catalog
 * store (started: the first snapshot is in when this resolves) and the authenticator.
 * `stop` stops what this made; the caller closes the database and the evidence source.
 */
export async function assembleContext(
  parts: ContextParts,
): Promise<{ ctx: AppContext; stop(): Promise<void> }> {
  const { config, logger, metrics, database } = parts;
  const evaluator = createRuleEvaluator({
    budgetMs: config.rules.budgetMs,
    workers: config.rules.workers,
    logger,
    metrics,
  });
  const catalog = new CatalogStore({ database, evaluator, logger, metrics, pollMs: config.catalogPollMs });
  await catalog.start();
  const ctx: AppContext = { ...parts, evaluator, catalog, auth: createAuthenticator(config.auth, logger) };
  return {
    ctx,
    async stop() {
      await catalog.stop();
      await evaluator.close();
    },
  };
}
