/**
 * "Whom will this rule reach?": a compiled rule set evaluated over the whole directory copy in
 * the impact sandboxes (src/rules batch pool: processes of their own, the copy resident in them,
 * loaded again after every successful sync). The employee pool serving /user.tabs is not used.
 */
import { inArray } from "drizzle-orm";
import { type Database, schema } from "../../db/index.ts";
import { AppError } from "../../errors.ts";
import { type EmployeeEvidence, type Platform, requestExtras } from "../../evidence/index.ts";
import type { Logger } from "../../log.ts";
import type { Metrics } from "../../metrics.ts";
import {
  BatchPoolBusy,
  BatchPoolEmpty,
  type CompiledRuleset,
  createBatchPool,
  LIMITS,
} from "../../rules/index.ts";
import type { DirectoryService } from "../service.ts";
import { employeeChunks, lastSucceededRun } from "../store.ts";
import type { ImpactResult } from "./schemas.ts";

export interface ImpactEstimatorOptions {
  database: Database;
  directory: DirectoryService;
  logger: Logger;
  metrics: Metrics;
  workers: number;
  timeZone: string;
  /** The per-employee CPU budget (RULE_BUDGET_MS, the employee sandbox's). */
  budgetMs: number;
  clock: () => Date;
  /** An estimate stops after this long whatever the rule does (default 10 s). */
  timeLimitMs?: number;
}

export interface ImpactEstimator {
  /** `target`: the name of the rule in `ruleset` whose reach is estimated. */
  estimate(ruleset: CompiledRuleset, target: string, platform: Platform): Promise<ImpactResult>;
  close(): Promise<void>;
}

const CHUNK = 5000;
const SAMPLES = 5;
/** Employees that may overrun the budget before an estimate is cut short. */
const MAX_OVERRUNS = 10;

export function createImpactEstimator(options: ImpactEstimatorOptions): ImpactEstimator {
  const { database, metrics } = options;
  const logger = options.logger.child({ component: "impact" });
  const pool = createBatchPool({
    workers: options.workers,
    logger,
    source: () => employeeChunks(database.db, CHUNK),
  });
  const reload = () =>
    pool
      .load()
      .catch((error) =>
        logger.error("impact sandboxes could not load the directory", { error: String(error) }),
      );
  options.directory.onSynced(() => void reload());

  return {
    async estimate(ruleset, target, platform) {
      const index = ruleset.rules.findIndex((rule) => rule.name === target);
      if (index < 0) throw new Error(`rule ${target} is not in the rule set`);
      const started = performance.now();
      const synced = await lastSucceededRun(database.db);
      if (!synced) {
        throw new AppError(
          "not_ready",
          "the employee directory is not synced yet: POST /admin/directory/sync",
          [],
          60,
        );
      }
      const extras = requestExtras(options.clock(), options.timeZone, platform);
      let reply: Awaited<ReturnType<typeof pool.estimate>>;
      try {
        reply = await pool.estimate({
          program: ruleset.program,
          target: index,
          reads: ruleset.reads,
          extrasJson: JSON.stringify(extras),
          samples: SAMPLES,
          budgetMs: options.budgetMs,
          timeLimitMs: options.timeLimitMs ?? 10_000,
          maxOverruns: MAX_OVERRUNS,
        });
      } catch (error) {
        metrics.impactEstimates.inc({ outcome: error instanceof BatchPoolBusy ? "busy" : "failed" });
        if (error instanceof BatchPoolBusy) {
          throw new AppError("busy", "impact estimates are busy: try again in a few seconds", [], 2);
        }
        if (error instanceof BatchPoolEmpty) {
          throw new AppError(
            "not_ready",
            "the directory copy is empty or not loaded into the impact sandboxes yet",
            [],
            10,
          );
        }
        logger.error("impact estimate failed", { error: String(error) });
        throw new AppError(
          "not_ready",
          "the impact sandbox failed on this rule (it hung or crashed it); it is being restarted",
          [],
          5,
        );
      }
      const ms = Math.round(performance.now() - started);
      metrics.impactEstimates.inc({ outcome: "ok" });
      metrics.impactDuration.observe(ms / 1000);
      const people = await describe(database, [...reply.matching, ...reply.others]);
      const pick = (pernrs: readonly string[]) =>
        pernrs.map((p) => people.get(p)).filter((e): e is NonNullable<typeof e> => e !== undefined);
      logger.info("impact estimate", {
        employees: reply.total,
        matches: reply.matches,
        errors: reply.errors,
        ms,
      });
      return {
        matches: reply.matches,
        total: reply.total,
        errors: reply.errors,
        sample_matching: pick(reply.matching),
        sample_not: pick(reply.others),
        first_errors: reply.failed.map(([personnel_number, kind, message]) => ({
          personnel_number,
          kind,
          message: message.slice(0, LIMITS.maxErrorMessage),
        })),
        evaluated: reply.evaluated,
        cut_short: reply.cutShort ?? null,
        directory_synced_at: synced.finishedAt?.toISOString() ?? null,
        ms,
      };
    },
    close: () => pool.close(),
  };
}

/** Name, position and region of the sampled employees (never the whole record). */
async function describe(database: Database, pernrs: readonly string[]) {
  const found = new Map<
    string,
    { personnel_number: string; full_name: string; position: string; region_name: string }
  >();
  if (pernrs.length === 0) return found;
  const t = schema.directoryEmployees;
  const rows = await database.db
    .select({ pernr: t.personnelNumber, evidence: t.evidence })
    .from(t)
    .where(inArray(t.personnelNumber, [...pernrs]));
  for (const row of rows) {
    const e = row.evidence as EmployeeEvidence;
    found.set(row.pernr, {
      personnel_number: e.personnel_number,
      full_name: e.full_name,
      position: e.position,
      region_name: e.region_name,
    });
  }
  return found;
}
