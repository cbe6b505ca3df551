import { randomBytes } from "node:crypto";
import {
  adminRoutes,
  createRuleTrial,
  directorySampleSource,
  type EvidenceForTrial,
  type TrialSampleSource,
  trialSampleSources,
} from "./admin/index.ts";
import { createAuthenticator } from "./auth/index.ts";
import { CatalogStore } from "./catalog/index.ts";
import { listenOptions } from "./cluster.ts";
import type { Config } from "./config.ts";
import type { AppContext } from "./context.ts";
import { openDatabase } from "./db/index.ts";
import { seedDemoCatalog } from "./demo/index.ts";
import {
  createDirectorySampleCache,
  createDirectoryService,
  createImpactEstimator,
  type DirectoryOptions,
  type EmployeeLister,
} from "./directory/index.ts";
import { createEvidenceSource } from "./evidence/index.ts";
import { createApp } from "./http/index.ts";
import { createLogger, type Logger } from "./log.ts";
import { createMetrics } from "./metrics.ts";
import { createRuleEvaluator, LIMITS } from "./rules/index.ts";
import { startTracing, traceContext, traceEvidence } from "./telemetry/index.ts";

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

export interface StartOptions {
  /** The dev admin token to use again (main.ts keeps it in a file across starts). */
  devAdminToken?: string;
}

/** What to tell an operator whose catalog is empty. */
export const EMPTY_CATALOG_HINT =
  "fill it with `bun run db:seed` (the demo catalog) or `bun run lk2:import --from <LK2 database URL or export>` (LK2's catalog)";

/**
 * The composition root: builds every part from the config and wires them together. Embedded
 * defaults: PGlite with the demo catalog on first start, the demo SAP directory when
 * SAP_BASE_URL is unset, and a generated admin token in dev auth mode. Each slow step says so
 * in the log before it starts (a first embedded start takes seconds).
 */
export async function startService(
  config: Config,
  logger: Logger = createLogger(config.logLevel),
  options: StartOptions = {},
): Promise<RunningService> {
  const metrics = createMetrics();
  const tracing = startTracing(config, logger);
  const step = startupSteps(logger);
  step("opening the database and applying migrations", { database: config.database.kind });
  const database = await openDatabase(config.database);
  let seeded = false;
  if (database.kind === "pglite") {
    step("creating the demo catalog if the database is new");
    seeded = await seedDemoCatalog(database.db);
    if (seeded) logger.info("demo catalog created (first embedded start)");
  }

  // Without SAP_BASE_URL this starts the demo SAP directory and points the real client at it.
  step(config.sap.baseUrl ? "connecting the SAP client" : "starting the demo SAP directory");
  const evidence = await createEvidenceSource({ config, logger, metrics, fetch: tracing?.fetch });

  let devAdminToken: string | undefined;
  let auth = config.auth;
  if (auth.mode === "dev" && !auth.adminToken) {
    devAdminToken = options.devAdminToken ?? `dev-${randomBytes(18).toString("base64url")}`;
    auth = { ...auth, adminToken: devAdminToken };
  }

  step("compiling the catalog and starting the rule sandboxes");
  const { ctx, stop } = await assembleContext({
    config: { ...config, auth },
    logger,
    metrics,
    database,
    evidence: tracing ? traceEvidence(evidence, tracing) : evidence,
    clock: () => new Date(),
    directoryLister: evidence.client,
  });
  if (evidence.demo) {
    // The demo's directory copy fills in the background (impact estimates and known values need it).
    const started = (await ctx.directory.status()).synced_at
      ? undefined
      : await ctx.directory.requestSync("demo");
    if (started?.accepted)
      logger.info("syncing the demo directory in the background: GET /admin/directory shows progress");
  }
  const snapshot = ctx.catalog.snapshot;
  if (snapshot && isEmptyCatalog(snapshot)) {
    logger.warn("the catalog is empty: /user.tabs shows every employee nothing", {
      hint: EMPTY_CATALOG_HINT,
    });
  }
  const app = createServiceApp(tracing ? traceContext(ctx, tracing) : ctx).listen(listenOptions(config));
  const url = `http://localhost:${app.server?.port ?? config.port}`;
  step("listening", { url, catalogVersion: snapshot?.catalogVersion, rules: snapshot?.ruleset.rules.length });

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
      await tracing?.close();
    },
  };
}

/** One log line per start-up step, with the seconds since the start. */
function startupSteps(logger: Logger) {
  const startedAt = performance.now();
  return (what: string, fields: Record<string, unknown> = {}) =>
    logger.info(`start: ${what}`, { ...fields, s: Math.round((performance.now() - startedAt) / 100) / 10 });
}

const isEmptyCatalog = (s: NonNullable<AppContext["catalog"]["snapshot"]>) =>
  s.ruleset.rules.length +
    s.sidebarGroups.length +
    s.cardGroups.length +
    s.sections.length +
    s.banners.length ===
  0;

/** The HTTP app with every domain's routes: the employee API, operations and the admin API. */
export function createServiceApp(ctx: AppContext) {
  return createApp(ctx, [adminRoutes(ctx)]);
}

export type ContextParts = Pick<AppContext, "config" | "logger" | "metrics" | "database" | "clock"> & {
  /** The SAP-backed source also offers the trial its demo flag and what its cache holds. */
  evidence: AppContext["evidence"] & EvidenceForTrial;
  /**
   * Where the trial at save takes real employees from; default: the employee directory copy once
   * a sync has succeeded (until then the demo directory or recently seen evidence).
   */
  trialDirectory?: TrialSampleSource;
  /** SAP's paged listing, for the directory sync (none: the copy is read-only). */
  directoryLister?: EmployeeLister;
  /** Page size and retries of the directory sync (tests shrink them). */
  directoryTuning?: Pick<DirectoryOptions, "pageSize" | "pageRetry" | "minListedShare" | "pagePauseMs">;
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
    resultCacheSize: config.rules.resultCacheMb === 0 ? 0 : undefined,
    resultCacheBytes: config.rules.resultCacheMb * 2 ** 20,
    logger,
    metrics,
  });
  // The admin sandbox: serves no employee, so a hostile rule on trial delays nobody's page.
  // One process, no result cache (every trial is new), no metrics (lk_rule_errors_total and the
  // restart counts stay about employee traffic), and a watchdog short enough for a 1 s trial.
  const directorySamples = createDirectorySampleCache(database.db, logger);
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
    sources: trialSampleSources(
      parts.evidence,
      parts.trialDirectory ?? directorySampleSource(async (limit) => directorySamples.get(limit)),
    ),
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
  const directory = createDirectoryService({
    database,
    lister: parts.directoryLister,
    logger,
    metrics,
    intervalH: config.directory.syncIntervalH,
    // Embedded PGlite writes on this thread: small pages with a breath between them keep
    // /user.tabs answering while the directory fills.
    ...(database.kind === "pglite" ? { pageSize: 100, pagePauseMs: 20 } : {}),
    ...parts.directoryTuning,
  });
  const impact = createImpactEstimator({
    database,
    directory,
    logger,
    metrics,
    workers: config.directory.impactWorkers,
    timeZone: config.timeZone,
    budgetMs: config.rules.budgetMs,
    clock: parts.clock,
  });
  directory.onSynced(() => void directorySamples.refresh());
  await directory.startSchedule();
  const { trialDirectory: _, directoryLister: _l, directoryTuning: _t, ...shared } = parts;
  const ctx: AppContext = {
    ...shared,
    directory,
    impact,
    evaluator,
    ruleTrial,
    catalog,
    auth: createAuthenticator(config.auth, logger),
  };
  return {
    ctx,
    async stop() {
      await directory.close();
      await impact.close();
      await catalog.stop();
      await evaluator.close();
      await trialEvaluator.close();
    },
  };
}
