import { type Config, loadConfig } from "../../src/config.ts";
import {
  type ComposedEvidenceSource,
  createEvidenceSource,
  type EvidenceTuning,
  type MockSap,
  type MockSapOptions,
  startMockSap,
} from "../../src/evidence/index.ts";
import { createMemoryLogger } from "../../src/log.ts";
import { createMetrics, type Metrics } from "../../src/metrics.ts";

export type MemoryLogger = ReturnType<typeof createMemoryLogger>;

/** A configuration as the service would parse it, pointed at `sapBaseUrl`. */
export function testConfig(sapBaseUrl: string, env: Record<string, string> = {}): Config {
  return loadConfig({ SAP_BASE_URL: sapBaseUrl, SAP_TIMEOUT_MS: "400", NODE_ENV: "test", ...env });
}

/** A wall clock the test moves by hand (cache ages, circuit cool-down). */
export function fakeClock(start = Date.UTC(2025, 5, 1, 9, 0, 0)) {
  let t = start;
  return {
    now: () => t,
    advanceS: (s: number) => {
      t += s * 1000;
    },
  };
}

/** Seeded PRNG so fault injection is reproducible (the same one the rule benchmark uses). */
export { prng as seededRandom } from "../support/rule-fixtures.ts";

/** Fast retries for tests: same shape as production, shorter pauses. */
export const FAST_RETRY: EvidenceTuning = { retry: { baseDelayMs: 5, maxDelayMs: 20 } };

export interface SourceUnderTest {
  source: ComposedEvidenceSource;
  logger: MemoryLogger;
  metrics: Metrics;
}

export async function makeSource(
  sapBaseUrl: string,
  options: { env?: Record<string, string>; now?: () => number; tuning?: EvidenceTuning } = {},
): Promise<SourceUnderTest> {
  const logger = createMemoryLogger();
  const metrics = createMetrics();
  const source = await createEvidenceSource({
    config: testConfig(sapBaseUrl, options.env),
    logger,
    metrics,
    now: options.now,
    tuning: { ...FAST_RETRY, ...options.tuning },
  });
  return { source, logger, metrics };
}

/** The value of a labelled counter/gauge, 0 when never set. */
export async function metricValue(
  metric: {
    get(): Promise<{ values: Array<{ value: number; labels: Partial<Record<string, string | number>> }> }>;
  },
  labels: Record<string, string> = {},
): Promise<number> {
  const { values } = await metric.get();
  const hit = values.find((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want));
  return hit?.value ?? 0;
}

/**
 * A mock SAP (1,000 employees) with a source in front of it, per test. Call `closeAll` in the
 * file's afterEach; `track` registers anything else a test opens.
 */
export function sapFixtures() {
  let opened: Array<{ close(): Promise<void> }> = [];
  const track = <T extends { close(): Promise<void> }>(thing: T): T => {
    opened.push(thing);
    return thing;
  };
  return {
    track,
    async setup(
      mockOptions: MockSapOptions = {},
      sourceOptions: Parameters<typeof makeSource>[1] = {},
    ): Promise<SourceUnderTest & { mock: MockSap }> {
      const mock = track(await startMockSap({ size: 1000, ...mockOptions }));
      const made = await makeSource(mock.url, sourceOptions);
      track(made.source);
      return { ...made, mock };
    },
    async closeAll() {
      for (const thing of opened.reverse()) await thing.close();
      opened = [];
    },
  };
}
