/**
 * Evidence lookup cost: cached (in-memory LRU, Redis) vs every lookup going to a mock SAP over
 * real HTTP with 20 ms latency. Run: `bun run bench/evidence.bench.ts` (Redis optional:
 * REDIS_URL, default redis://127.0.0.1:6379; its row is skipped if unreachable).
 * The /user.tabs benchmark (the HTTP layer on top) is separate.
 */
import { Redis } from "ioredis";
import { loadConfig } from "../src/config.ts";
import { createEvidenceSource, type EvidenceLookup, startMockSap } from "../src/evidence/index.ts";
import { createLogger } from "../src/log.ts";
import { createMetrics } from "../src/metrics.ts";

const SAP_LATENCY_MS = 20;
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const pernr = (n: number) => String(n).padStart(8, "0");

interface Row {
  scenario: string;
  lookups: number;
  concurrency: number;
  sapCalls: number;
  perSecond: number;
  p50: number;
  p99: number;
}

async function measure(
  scenario: string,
  lookups: number,
  concurrency: number,
  pick: (i: number) => string,
  lookup: (p: string) => Promise<EvidenceLookup>,
  sapCalls: () => number,
): Promise<Row> {
  const before = sapCalls();
  const durations = new Float64Array(lookups);
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < lookups; i = next++) {
      const t = performance.now();
      const result = await lookup(pick(i));
      durations[i] = performance.now() - t;
      if (result.kind !== "found") throw new Error(`${scenario}: ${pick(i)} → ${result.kind}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const total = performance.now() - started;
  durations.sort();
  const q = (p: number) => durations[Math.min(lookups - 1, Math.floor(p * lookups))] ?? 0;
  return {
    scenario,
    lookups,
    concurrency,
    sapCalls: sapCalls() - before,
    perSecond: Math.round((lookups / total) * 1000),
    p50: q(0.5),
    p99: q(0.99),
  };
}

async function redisReachable(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on("error", () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const mock = await startMockSap({ latencyMs: SAP_LATENCY_MS });
const logger = createLogger("error");
const config = (env: Record<string, string> = {}) =>
  loadConfig({ SAP_BASE_URL: mock.url, EVIDENCE_FRESH_S: "300", ...env });
const rows: Row[] = [];

{
  const source = await createEvidenceSource({ config: config(), logger, metrics: createMetrics() });
  // Every lookup a different employee: each one is a SAP round trip (the uncached cost).
  rows.push(
    await measure(
      "uncached: every lookup → mock SAP (20 ms)",
      2000,
      50,
      (i) => pernr(1 + i),
      source.lookup,
      mock.calls,
    ),
  );
  // The same 2,000 employees again: all fresh in the in-memory LRU.
  rows.push(
    await measure(
      "cached: in-memory LRU, fresh",
      200_000,
      50,
      (i) => pernr(1 + (i % 2000)),
      source.lookup,
      mock.calls,
    ),
  );
  // 1,000 concurrent lookups of one not-yet-cached employee.
  rows.push(
    await measure(
      "coalesced: 1,000 concurrent, one employee",
      1000,
      1000,
      () => pernr(150_000),
      source.lookup,
      mock.calls,
    ),
  );
  await source.close();
}

if (await redisReachable()) {
  const prefix = `lk:bench:${crypto.randomUUID()}:`;
  const env = { REDIS_URL };
  const writer = await createEvidenceSource({
    config: config(env),
    logger,
    metrics: createMetrics(),
    tuning: { redisKeyPrefix: prefix },
  });
  for (let i = 0; i < 2000; i++) await writer.lookup(pernr(10_001 + i));
  // A second instance with a cold memory: every first lookup is a Redis hit, not a SAP call.
  const reader = await createEvidenceSource({
    config: config(env),
    logger,
    metrics: createMetrics(),
    tuning: { redisKeyPrefix: prefix },
  });
  rows.push(
    await measure(
      "cached: Redis (memory cold), first lookup per employee",
      2000,
      50,
      (i) => pernr(10_001 + i),
      reader.lookup,
      mock.calls,
    ),
  );
  await reader.close();
  await writer.close();
  const admin = new Redis(REDIS_URL);
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length > 0) await admin.del(...keys);
  admin.disconnect();
} else {
  console.log(`(no Redis at ${REDIS_URL}: Redis row skipped)`);
}

await mock.close();

console.log(
  `bun ${Bun.version}, ${navigator.hardwareConcurrency} cores, mock SAP latency ${SAP_LATENCY_MS} ms\n`,
);
console.log("| scenario | lookups | concurrency | SAP calls | lookups/s | p50 ms | p99 ms |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const r of rows) {
  console.log(
    `| ${r.scenario} | ${r.lookups} | ${r.concurrency} | ${r.sapCalls} | ${r.perSecond} | ${r.p50.toFixed(3)} | ${r.p99.toFixed(3)} |`,
  );
}
