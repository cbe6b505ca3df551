import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import { MemoryTier, RedisTier, TieredCache } from "./cache.ts";
import { CircuitBreaker, type CircuitState } from "./circuit-breaker.ts";
import { type MockSap, startMockSap } from "./mock-sap/server.ts";
import type { RetryDeps, RetryPolicy } from "./retry.ts";
import { SapClient } from "./sap-client.ts";
import { type CachePolicy, isFreshEntry, SapEvidenceSource } from "./sap-evidence-source.ts";
import type { EmployeeEvidence } from "./schema.ts";
import type { EvidenceHealth, EvidenceSource } from "./source.ts";

/** Knobs that are not configuration (defaults are the documented numbers); tests shrink them. */
export interface EvidenceTuning {
  retry?: Partial<RetryPolicy>;
  retryDeps?: RetryDeps;
  /** Consecutive failed lookups that open the SAP circuit. */
  failureThreshold?: number;
  /** How long the circuit stays open before one probe may pass. */
  cooldownMs?: number;
  negativeTtlS?: number;
  unavailableRetryAfterS?: number;
  authRetryAfterS?: number;
  redisKeyPrefix?: string;
  redisCommandTimeoutMs?: number;
}

export const DEFAULT_TUNING = {
  failureThreshold: 5,
  cooldownMs: 10_000,
  negativeTtlS: 60,
  unavailableRetryAfterS: 5,
  authRetryAfterS: 60,
  redisKeyPrefix: "lk:evidence:v1:",
  redisCommandTimeoutMs: 500,
} as const;

export interface EvidenceSourceDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  fetch?: typeof fetch;
  /** Wall clock (ms) for cache ages and the circuit's cool-down. */
  now?: () => number;
  tuning?: EvidenceTuning;
}

export type ComposedEvidenceSource = EvidenceSource & {
  close(): Promise<void>;
  /** The SAP service root in use (the built-in mock's when SAP_BASE_URL is unset). */
  readonly sapBaseUrl: string;
  /** True when serving the built-in demo directory. */
  readonly demo: boolean;
  readonly client: SapClient;
  circuitState(): CircuitState;
  /** Up to `limit` employees this instance's evidence cache holds, most recently used first. */
  recentEvidence(limit: number): EmployeeEvidence[];
};

/**
 * The evidence stack: personnel-number check → in-memory LRU (fresh / stale / negative) →
 * optional Redis → coalescing → circuit breaker → retrying, timed SAP client → SAP.
 * Without SAP_BASE_URL it starts the built-in mock SAP (demo directory) on a loopback port and
 * points the real client at it, so the demo runs the real code path.
 */
export async function createEvidenceSource(deps: EvidenceSourceDeps): Promise<ComposedEvidenceSource> {
  const { config, metrics } = deps;
  const logger = deps.logger.child({ component: "evidence" });
  const now = deps.now ?? Date.now;
  const tuning = { ...DEFAULT_TUNING, ...deps.tuning };

  let mock: MockSap | undefined;
  let baseUrl = config.sap.baseUrl;
  if (!baseUrl) {
    mock = await startMockSap({ port: 0 });
    baseUrl = mock.url;
    logger.warn("SAP_BASE_URL is not set: serving the built-in demo directory from a mock SAP", {
      sapBaseUrl: baseUrl,
    });
  }

  const client = new SapClient({
    baseUrl,
    user: config.sap.user,
    password: config.sap.password,
    client: config.sap.client,
    timeoutMs: config.sap.timeoutMs,
    retry: tuning.retry,
    retryDeps: tuning.retryDeps,
    logger,
    metrics,
    fetch: deps.fetch,
    now,
  });

  const policy: CachePolicy = {
    freshS: config.evidence.freshS,
    maxStaleS: config.evidence.maxStaleS,
    negativeTtlS: Math.min(tuning.negativeTtlS, config.evidence.freshS),
    unavailableRetryAfterS: tuning.unavailableRetryAfterS,
    authRetryAfterS: tuning.authRetryAfterS,
  };

  let shared: RedisTier | undefined;
  if (config.evidence.redisUrl) {
    shared = await RedisTier.connect({
      url: config.evidence.redisUrl,
      keyPrefix: tuning.redisKeyPrefix,
      commandTimeoutMs: tuning.redisCommandTimeoutMs,
      logger,
      now,
    });
  }
  const cache = new TieredCache(new MemoryTier(config.evidence.cacheSize), shared, (entry) =>
    isFreshEntry(entry, policy, now),
  );

  metrics.sapCircuitOpen.set(0);
  const breaker = new CircuitBreaker({
    failureThreshold: tuning.failureThreshold,
    cooldownMs: tuning.cooldownMs,
    now,
    onStateChange: (state, previous) => {
      metrics.sapCircuitOpen.set(state === "closed" ? 0 : 1);
      if (state === "open")
        logger.warn("SAP circuit opened: failing fast", { previous, cooldownMs: tuning.cooldownMs });
      if (state === "closed") logger.info("SAP circuit closed: SAP answers again", { previous });
    },
  });

  // For /readyz: when SAP last answered and last failed (a refused call is not a new failure).
  let lastSuccessAt: Date | null = null;
  let lastFailureAt: Date | null = null;
  const source = new SapEvidenceSource({
    getEmployee: (pernr) =>
      client.getEmployee(pernr).then(
        (evidence) => {
          lastSuccessAt = new Date(now());
          return evidence;
        },
        (error: unknown) => {
          lastFailureAt = new Date(now());
          throw error;
        },
      ),
    cache,
    breaker,
    policy,
    logger,
    metrics,
    now,
  });

  return {
    lookup: (pernr) => source.lookup(pernr),
    close: async () => {
      await source.close();
      await mock?.close();
    },
    sapBaseUrl: baseUrl,
    demo: mock !== undefined,
    client,
    circuitState: () => breaker.state,
    health: (): EvidenceHealth => ({
      sap: { circuit: breaker.state, lastSuccessAt, lastFailureAt, demo: mock !== undefined },
      redis: !shared ? "not_configured" : shared.connected ? "connected" : "disconnected",
    }),
    recentEvidence: (limit) => cache.memory.recent(limit),
  };
}
