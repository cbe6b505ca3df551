import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import {
  createFastCounter,
  createFastHistogram,
  createHandlerBlocking,
  createRuleOutcomes,
} from "./request-metrics.ts";

/**
 * The service's Prometheus metrics, one registry per app instance (tests build several apps in
 * one process, so nothing here is a module-level singleton). Served at GET /metrics.
 *
 * The default metrics include the event-loop delay, sampled by perf_hooks'
 * monitorEventLoopDelay every 10 ms and reset at each scrape: `nodejs_eventloop_lag_p50_seconds`,
 * `_p90_`, `_p99_`, `_max_seconds`.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  const reg = { registers: [registry] };
  return {
    registry,
    /** `lk_handler_blocking_seconds{route}`: see BlockingWatch. */
    handlerBlocking: createHandlerBlocking(registry),
    rulesetEvaluation: createFastHistogram(registry, {
      name: "lk_ruleset_evaluation_seconds",
      help: "Time from asking the evaluator for an employee's rule results to having them, by source (cache, sandbox)",
      labelNames: ["source"],
      buckets: [
        0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
      ],
    }),
    sapCallDuration: new Histogram({
      name: "lk_sap_call_duration_seconds",
      help: "Duration of one HTTP call to SAP HR (one attempt), whatever its result",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      ...reg,
    }),
    answerCache: createFastCounter(registry, {
      name: "lk_answer_cache_total",
      help: "/user.tabs answer cache lookups by outcome (hit, miss)",
      labelNames: ["outcome"],
    }),
    /** `lk_rule_outcomes_total{rule_id, outcome}`: see createRuleOutcomes. */
    ruleOutcomes: createRuleOutcomes([registry]),
    // Every request touches these two: the cheap kind (labels are route templates and statuses).
    httpRequests: createFastCounter(registry, {
      name: "lk_http_requests_total",
      help: "HTTP requests by route and status",
      labelNames: ["route", "status"],
    }),
    httpDuration: createFastHistogram(registry, {
      name: "lk_http_request_duration_seconds",
      help: "HTTP request duration by route",
      labelNames: ["route"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    }),
    ruleErrors: new Counter({
      name: "lk_rule_errors_total",
      help: "Rule evaluations that threw or overran their budget, by rule name",
      labelNames: ["rule"] as const,
      ...reg,
    }),
    rulesQuarantined: new Gauge({
      name: "lk_rules_quarantined",
      help: "Rules currently quarantined for overrunning their budget",
      ...reg,
    }),
    sandboxRestarts: new Counter({
      name: "lk_sandbox_restarts_total",
      help: "Sandboxes discarded and rebuilt, by reason",
      labelNames: ["reason"] as const,
      ...reg,
    }),
    // Per request too, like the evidence lookups below.
    ruleResultCache: createFastCounter(registry, {
      name: "lk_rule_result_cache_total",
      help: "Rule result cache lookups by outcome (hit/miss)",
      labelNames: ["outcome"],
    }),
    catalogVersion: new Gauge({
      name: "lk_catalog_version",
      help: "Catalog version of the snapshot being served",
      ...reg,
    }),
    catalogRebuilds: new Counter({
      name: "lk_catalog_rebuilds_total",
      help: "Catalog snapshot rebuilds by outcome",
      labelNames: ["outcome"] as const,
      ...reg,
    }),
    evidenceLookups: createFastCounter(registry, {
      name: "lk_evidence_lookups_total",
      help: "Evidence lookups by outcome (fresh, stale, miss, unknown, unavailable)",
      labelNames: ["outcome"],
    }),
    sapCalls: new Counter({
      name: "lk_sap_calls_total",
      help: "Calls to SAP HR by result (ok, not_found, error, timeout, circuit_open)",
      labelNames: ["result"] as const,
      ...reg,
    }),
    sapCircuitOpen: new Gauge({
      name: "lk_sap_circuit_open",
      help: "1 while the SAP circuit breaker is open",
      ...reg,
    }),
    directorySyncEmployees: new Gauge({
      name: "lk_directory_sync_employees",
      help: "Employees the running (or last) directory sync has written",
      ...reg,
    }),
    directorySyncTotal: new Gauge({ name: "lk_directory_sync_total", help: "Employees SAP lists", ...reg }),
    directorySyncRuns: new Counter({
      name: "lk_directory_sync_runs_total",
      help: "Directory syncs by outcome (succeeded, failed, interrupted, error)",
      labelNames: ["outcome"] as const,
      ...reg,
    }),
    directoryEmployees: new Gauge({
      name: "lk_directory_employees",
      help: "Employees in the directory copy",
      ...reg,
    }),
    impactEstimates: new Counter({
      name: "lk_impact_estimates_total",
      help: "Rule impact estimates by outcome (ok, busy, failed)",
      labelNames: ["outcome"] as const,
      ...reg,
    }),
    impactDuration: new Histogram({
      name: "lk_impact_duration_seconds",
      help: "Rule impact estimate duration over the whole directory copy",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      ...reg,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
