import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * The service's Prometheus metrics, one registry per app instance (tests build several apps in
 * one process, so nothing here is a module-level singleton). Served at GET /metrics.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const reg = { registers: [registry] };
  return {
    registry,
    httpRequests: new Counter({
      name: "lk_http_requests_total",
      help: "HTTP requests by route and status",
      labelNames: ["route", "status"] as const,
      ...reg,
    }),
    httpDuration: new Histogram({
      name: "lk_http_request_duration_seconds",
      help: "HTTP request duration by route",
      labelNames: ["route"] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      ...reg,
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
    ruleResultCache: new Counter({
      name: "lk_rule_result_cache_total",
      help: "Rule result cache lookups by outcome (hit/miss)",
      labelNames: ["outcome"] as const,
      ...reg,
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
    evidenceLookups: new Counter({
      name: "lk_evidence_lookups_total",
      help: "Evidence lookups by outcome (fresh, stale, miss, unknown, unavailable)",
      labelNames: ["outcome"] as const,
      ...reg,
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
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
