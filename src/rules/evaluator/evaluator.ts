/**
 * The evaluator the service uses: result cache in front, sandbox processes behind, and the
 * bookkeeping of failures in between (log once per rule version, metrics, quarantine).
 * Its logger and metrics come in as arguments; it holds no global state.
 */
import type { Evidence } from "../../evidence/index.ts";
import type { Logger } from "../../log.ts";
import type { Metrics } from "../../metrics.ts";
import type { SandboxProgram } from "../compile/program.ts";
import type { CompiledRuleset } from "../compile/ruleset.ts";
import { LIMITS } from "../limits.ts";
import { createSandboxPool, type SandboxPool } from "../sandbox/pool.ts";
import type { ErrorKind, EvalReply } from "../sandbox/protocol.ts";
import type { RuleResults } from "../types.ts";
import { evidenceFor, evidenceKey } from "./evidence-key.ts";
import { allFailed, TRANSIENT_ERRORS, toResults } from "./outcomes.ts";
import { createQuarantine, ruleKey } from "./quarantine.ts";
import { createResultCache } from "./result-cache.ts";

export interface RuleEvaluator {
  /** Loads a compiled rule set into the sandboxes ahead of use (the catalog awaits this). */
  prepare(ruleset: CompiledRuleset): Promise<void>;
  /** Every rule's outcome for one employee: one sandbox crossing, never throws. */
  evaluate(ruleset: CompiledRuleset, evidence: Evidence, report?: EvaluationReport): Promise<RuleResults>;
  close(): Promise<void>;
}

/** Filled in by evaluate() for the caller's log line and metrics: where the results came from. */
export interface EvaluationReport {
  source: "cache" | "sandbox" | "none";
}

export interface RuleEvaluatorOptions {
  /** CPU budget of one evaluation in the sandbox; the rule running when it runs out is stopped. */
  budgetMs: number;
  /** Sandbox processes (each evaluates one request at a time). */
  workers: number;
  logger: Logger;
  metrics?: Metrics;
  /** Employees' results kept (LRU); 0 turns the cache off. Default 50,000. */
  resultCacheSize?: number;
  /**
   * Bytes the result cache may hold: employees' entries, and as much again for the outcome Maps
   * they share (see result-cache.ts). Default 24 MiB.
   */
  resultCacheBytes?: number;
  /** Warm sandbox processes kept to replace a killed one at once. Default 2. */
  spares?: number;
  /** Silence after which the watchdog kills a sandbox. Default max(250 ms, 4 × budget). */
  hardDeadlineMs?: number;
  /** Most waiting requests of one rule set that cross to a sandbox in one message. Default 8. */
  maxBatch?: number;
  /** Overruns within the window that quarantine a rule. Default 3 in 10 minutes. */
  quarantineOverruns?: number;
  quarantineWindowMs?: number;
}

const MAX_LOGGED = 10_000;

/** One rule of a set, with its revision (carried in the program). */
interface RuleRef {
  id: number;
  name: string;
  ruleVersion: number;
}

function ruleAt(ruleset: CompiledRuleset, i: number): RuleRef | undefined {
  const rule = ruleset.rules[i];
  return rule && { id: rule.id, name: rule.name, ruleVersion: ruleset.program.ruleVersions[i] ?? 0 };
}

export function createRuleEvaluator(options: RuleEvaluatorOptions): RuleEvaluator {
  const { logger, metrics, budgetMs } = options;
  const hardDeadlineMs =
    options.hardDeadlineMs ?? Math.max(LIMITS.minHardDeadlineMs, LIMITS.hardDeadlineFactor * budgetMs);
  const pool: SandboxPool = createSandboxPool({
    size: options.workers,
    spares: options.spares,
    hardDeadlineMs,
    budgetMs,
    maxBatch: options.maxBatch,
    onFatal: (message) => logger.error("sandbox process failed", { error: message }),
    onRestart: (reason) => restarted(reason),
  });
  const cacheSize = options.resultCacheSize ?? 50_000;
  const cacheBytes = options.resultCacheBytes ?? 24 * 2 ** 20;
  const cache =
    cacheSize > 0
      ? createResultCache({ maxEntries: cacheSize, maxBytes: cacheBytes, memoBytes: cacheBytes })
      : undefined;
  const overrunLimit = options.quarantineOverruns ?? LIMITS.quarantineOverruns;
  const quarantine = createQuarantine({
    threshold: overrunLimit,
    windowMs: options.quarantineWindowMs ?? LIMITS.quarantineWindowMs,
  });
  const logged = new Set<string>();

  /** Logs a rule's failure once per rule version (not once per request). */
  const logOnce = (rule: RuleRef, what: string, fields: Record<string, unknown>) => {
    const key = `${what}:${ruleKey(rule)}`;
    if (logged.has(key)) return;
    if (logged.size >= MAX_LOGGED) logged.clear();
    logged.add(key);
    logger.warn(what, { rule_id: rule.id, rule: rule.name, rule_version: rule.ruleVersion, ...fields });
  };

  function restarted(reason: string) {
    metrics?.sandboxRestarts.inc({ reason });
    logger.warn("sandbox restarted", { reason });
  }

  const quarantined = (rule: RuleRef, reason: string) => {
    logger.warn("rule quarantined", {
      rule_id: rule.id,
      rule: rule.name,
      rule_version: rule.ruleVersion,
      reason,
    });
    metrics?.rulesQuarantined.set(quarantine.size);
  };

  /** Why a rule that broke its sandbox is quarantined at once (see KILLER_KINDS). */
  const killerReason: Partial<Record<ErrorKind, string>> = {
    hang: `it hung a sandbox (stopped by the watchdog after ${hardDeadlineMs} ms)`,
    oom: "it ran the sandbox out of memory",
    crash: "it crashed the sandbox",
  };

  /** A rule hung, crashed or exhausted a sandbox: it does not run again until edited. */
  const quarantineKiller = (ruleset: CompiledRuleset, i: number, kind: ErrorKind) => {
    const rule = ruleAt(ruleset, i);
    const reason = killerReason[kind];
    if (rule && reason && quarantine.quarantine(ruleKey(rule), reason)) quarantined(rule, reason);
  };

  const account = (ruleset: CompiledRuleset, reply: EvalReply) => {
    for (const [i, kind, message] of reply.errors) {
      const rule = ruleAt(ruleset, i);
      if (!rule) continue;
      metrics?.ruleErrors.inc({ rule: rule.name });
      logOnce(rule, "rule failed", { kind, error: message });
      const reason = `it ran over its ${budgetMs} ms budget ${overrunLimit} times`;
      if (kind === "budget" && quarantine.recordOverrun(ruleKey(rule), reason)) quarantined(rule, reason);
      // Rules that broke a sandbox were quarantined already, by the pool's onKiller; a "crash"
      // here may be the whole request given up, which blames no rule.
    }
  };

  const whySkipped = (ruleset: CompiledRuleset) => (i: number) => {
    const rule = ruleAt(ruleset, i);
    if (!rule) return "unknown rule";
    const broken = ruleset.broken.get(rule.name);
    if (broken !== undefined) return `broken: ${broken}`;
    const reason = quarantine.reasonFor(ruleKey(rule));
    if (reason !== undefined) return `quarantined: ${reason}; it does not run until it is edited`;
    return "the rule did not run";
  };

  const quarantinedIndexes = (ruleset: CompiledRuleset, program: SandboxProgram): number[] => {
    const skip: number[] = [];
    if (quarantine.size === 0) return skip;
    ruleset.rules.forEach((rule, i) => {
      if (quarantine.has(ruleKey({ id: rule.id, ruleVersion: program.ruleVersions[i] ?? 0 }))) skip.push(i);
    });
    return skip;
  };

  return {
    async prepare(ruleset) {
      const rules = ruleset.rules.map((_, i) => ruleAt(ruleset, i)).filter((r) => r !== undefined);
      quarantine.retain(new Set(rules.map(ruleKey)));
      metrics?.rulesQuarantined.set(quarantine.size);
      for (const rule of rules) {
        const reason = ruleset.broken.get(rule.name);
        if (reason !== undefined) logOnce(rule, "rule is broken", { error: reason });
      }
      if (rules.length === 0) return;
      const replies = await pool.load(ruleset.rulesetKey, ruleset.program);
      const failed = replies.find((r) => r.error !== undefined);
      if (failed)
        logger.error("rule set could not be loaded in the sandbox", {
          ruleset_key: ruleset.rulesetKey,
          error: failed.error,
        });
    },

    async evaluate(ruleset, evidence, report) {
      try {
        if (ruleset.rules.length === 0) return new Map();
        const { program } = ruleset;
        const key = evidenceKey(ruleset.reads, evidence);
        const cacheKey = `${ruleset.rulesetKey}\n${quarantine.epoch}\n${key.digest}`;
        const hit = cache?.get(cacheKey, (reply) => toResults(ruleset, reply, whySkipped(ruleset)));
        if (hit) {
          if (report) report.source = "cache";
          metrics?.ruleResultCache.inc({ outcome: "hit" });
          return hit;
        }
        if (cache) metrics?.ruleResultCache.inc({ outcome: "miss" });
        const reply = await pool.evaluate({
          rulesetKey: ruleset.rulesetKey,
          program,
          evidence: key.json ?? evidenceFor(ruleset.reads, evidence),
          // Read when the request reaches a sandbox: a rule quarantined while it waited is skipped.
          skip: () => quarantinedIndexes(ruleset, program),
          budgetMs,
          onKiller: (i, kind) => quarantineKiller(ruleset, i, kind),
        });
        if (report) report.source = "sandbox";
        account(ruleset, reply);
        const results = toResults(ruleset, reply, whySkipped(ruleset));
        const exact =
          reply.restarts.length === 0 && reply.errors.every(([, kind]) => !TRANSIENT_ERRORS.has(kind));
        if (cache && exact) cache.set(cacheKey, reply, results);
        return results;
      } catch (error) {
        logger.error("rule evaluation failed", {
          error: error instanceof Error ? error.message : String(error),
        });
        return allFailed(ruleset, "the rule engine failed to evaluate the rules");
      }
    },

    close: () => pool.close(),
  };
}
