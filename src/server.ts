import { randomBytes } from "node:crypto";
import {
  adminRoutes,
  createRuleTrial,
  type EvidenceForTrial,
  type TrialSampleSource,
  trialSampleSources,
} from "./admin/index.ts";
import { createAuthenticator } from "./auth/index.ts";
import { CatalogStore } from "./catalog/index.ts";
import type { Config } from "./config.ts";
import type { AppContext } from "./context.ts";
import { openDatabase } from "./db/index.ts";
import { seedDemoCatalog } from "./demo/index.ts";
import { createEvidenceSource } from "./evidence/index.ts";
import { createApp } from "./http/index.ts";
import { createLogger, type Logger } from "./log.ts";
import { createMetrics } from "./metrics.ts";
import { createRuleEvaluator, LIMITS } from "./rules/index.ts";

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
  const app = createServiceApp(ctx).listen({ port: config.port, hostname: "0.0.0.0" });
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

/** The HTTP app with every domain's routes: the employee API, operations and the admin API. */
export function createServiceApp(ctx: AppContext) {
  return createApp(ctx, [adminRoutes(ctx)]);
}

export type ContextParts = Pick<AppContext, "config" | "logger" | "metrics" | "database" | "clock"> & {
  /** The SAP-backed source also offers the trial its demo flag and what its cache holds. */
  evidence: AppContext["evidence"] & EvidenceForTrial;
  /**
   * Where the trial at save takes real employees from once the employee directory is synced
   * (POST /admin/directory/sync, not built yet); until then the demo directory or recently seen
   * evidence.
   */
  trialDirectory?: TrialSampleSource;
};

/**
 * The parts every running app shares, service and tests alike: the rule evaluator, the trial at
 * save with its own sandbox, the catalog store (started: the first snapshot is in when this
 * resolves) and the authenticator. `stop` stops what this made; the caller closes the database
 * and the evidence source.
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
  // The admin sandbox: serves no employee, so a hostile rule on trial delays nobody's page.
  // One process, no result cache (every trial is new), no metrics (lk_rule_errors_total and the
  // restart counts stay about employee traffic), and a watchdog short enough for a 1 s trial.
  const trialWatchdogMs = Math.max(LIMITS.minHardDeadlineMs, 4 * config.rules.budgetMs);
  const trialLogger = logger.child({ component: "rule-trial" });
  const trialEvaluator = createRuleEvaluator({
    budgetMs: config.rules.budgetMs,
    workers: 1,
    // One spare: it names a culprit at once; the next trial waits for its replacement to boot.
    spares: 1,
    resultCacheSize: 0,
    hardDeadlineMs: trialWatchdogMs,
    logger: trialLogger,
  });
  const ruleTrial = createRuleTrial({
    evaluator: trialEvaluator,
    sources: trialSampleSources(parts.evidence, parts.trialDirectory),
    clock: parts.clock,
    timeZone: config.timeZone,
    budgetMs: config.rules.budgetMs,
    // A little past the watchdog, so that the pool's own report (hang, crash) wins when it has one.
    hangAfterMs: trialWatchdogMs + 50,
    logger: trialLogger,
  });
  void ruleTrial.warmUp();
  const catalog = new CatalogStore({ database, evaluator, logger, metrics, pollMs: config.catalogPollMs });
  await catalog.start();
  const { trialDirectory: _, ...shared } = parts;
  const ctx: AppContext = {
    ...shared,
    evaluator,
    ruleTrial,
    catalog,
    auth: createAuthenticator(config.auth, logger),
  };
  return {
    ctx,
    async stop() {
      await catalog.stop();
      await evaluator.close();
      await trialEvaluator.close();
    },
  };
}
