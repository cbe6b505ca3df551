import { Counter, type Metric, type Registry } from "prom-client";

/**
 * The metrics a request touches on its hot path, built so that the request pays for a few
 * additions and the scrape pays for the rest (labels, hashing, folding into prom-client).
 */

/** Seconds: 5 µs to 100 ms (a warm /user.tabs handler is meant to block for tens of µs). */
const BLOCKING_BUCKETS = [
  0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
];

/**
 * `lk_handler_blocking_seconds{route}`: how long a handler held the event loop — its synchronous
 * CPU time, without the time it spent awaiting. A handler is a chain of synchronous stretches
 * separated by awaits; nothing else runs on the loop during a stretch, so the sum of the
 * stretches is exactly the time it kept every other request waiting. The handler marks each
 * await: `pause()` just before it, `resume()` just after it, and `stop()` once at its end;
 * each is one `performance.now()` and an addition.
 *
 * What a stretch includes: the handler's own code and the synchronous start of every function
 * it calls (an async function runs until its first await before it returns its promise). What
 * it leaves out: code that a callee runs after its own awaits, in microtasks while the handler
 * waits (for a memory hit of the evidence cache, a few lines); it is not the handler's stretch,
 * and no stretch is counted twice.
 */
export class BlockingWatch {
  private blockedMs = 0;
  private since: number;
  /** False from pause() to resume(): an await that threw never resumes, and stop() knows. */
  private running = true;

  constructor(private readonly done: (seconds: number) => void) {
    this.since = performance.now();
  }

  /** Just before an await: the stretch so far counts. */
  pause(): void {
    if (!this.running) return;
    this.blockedMs += performance.now() - this.since;
    this.running = false;
  }

  /** Just after the await: a new stretch starts. */
  resume(): void {
    this.since = performance.now();
    this.running = true;
  }

  /** At the end of the handler (whatever it returned or threw): records the total once. */
  stop(): number {
    this.pause();
    const seconds = this.blockedMs / 1000;
    this.done(seconds);
    return seconds;
  }
}

export function createHandlerBlocking(registry: Registry) {
  const histogram = createFastHistogram(registry, {
    name: "lk_handler_blocking_seconds",
    help: "Synchronous time of a handler (CPU on the event loop, awaits excluded), by route template",
    labelNames: ["route"],
    buckets: BLOCKING_BUCKETS,
  });
  return {
    /** A watch for one request to `route` (a route template, never a raw URL), started now. */
    start(route: string): BlockingWatch {
      return new BlockingWatch((seconds) => histogram.observe({ route }, seconds));
    },
  };
}

interface MetricDefinition<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
}

/** Series by their label values, joined (label values are route templates, statuses, small enums). */
function seriesKey<L extends string>(labelNames: readonly L[], labels: Readonly<Record<L, string>>): string {
  let key = "";
  for (const name of labelNames) key += `${labels[name]}\u0000`;
  return key;
}

/**
 * A Prometheus counter whose increment is a map lookup and an addition (prom-client's own hashes
 * and validates the labels object on every call: about a microsecond, several times per request).
 * Same call shape as prom-client's `inc(labels, value)`; registered on the registry as a metric
 * that prom-client formats like its own.
 */
export function createFastCounter<L extends string>(registry: Registry, definition: MetricDefinition<L>) {
  const { name, help, labelNames } = definition;
  const series = new Map<string, { labels: Record<L, string>; value: number }>();
  const values = () => [...series.values()].map(({ labels, value }) => ({ labels: { ...labels }, value }));
  registerCustom(registry, name, help, "counter", values, () => series.clear());
  return {
    /** The series as prom-client's `get()` gives them (for tests and tools). */
    get: async () => ({ name, help, type: "counter" as const, values: values() }),
    inc(labels: Readonly<Record<L, string>>, value = 1): void {
      const key = seriesKey(labelNames, labels);
      const known = series.get(key);
      if (known) known.value += value;
      else series.set(key, { labels: { ...labels }, value });
    },
  };
}

/** A Prometheus histogram built the same way as createFastCounter: `observe(labels, value)`. */
export function createFastHistogram<L extends string>(
  registry: Registry,
  definition: MetricDefinition<L> & { buckets: readonly number[] },
) {
  const { name, help, labelNames, buckets } = definition;
  interface Series {
    labels: Record<L, string>;
    /** Observations per bucket (not cumulative; the last one is +Inf). */
    counts: Float64Array;
    sum: number;
    count: number;
  }
  const series = new Map<string, Series>();
  const values = () =>
    [...series.values()].flatMap(({ labels, counts, sum, count }) => {
      let cumulative = 0;
      const lines = buckets.map((le, i) => {
        cumulative += counts[i] as number;
        return { labels: { ...labels, le }, value: cumulative, metricName: `${name}_bucket` };
      });
      lines.push({
        labels: { ...labels, le: "+Inf" as unknown as number },
        value: count,
        metricName: `${name}_bucket`,
      });
      return [
        ...lines,
        { labels: { ...labels }, value: sum, metricName: `${name}_sum` },
        { labels: { ...labels }, value: count, metricName: `${name}_count` },
      ];
    });
  registerCustom(registry, name, help, "histogram", values, () => series.clear());
  return {
    observe(labels: Readonly<Record<L, string>>, value: number): void {
      const key = seriesKey(labelNames, labels);
      let known = series.get(key);
      if (!known) {
        known = { labels: { ...labels }, counts: new Float64Array(buckets.length + 1), sum: 0, count: 0 };
        series.set(key, known);
      }
      let i = 0;
      while (i < buckets.length && value > (buckets[i] as number)) i++;
      known.counts[i] = (known.counts[i] as number) + 1;
      known.sum += value;
      known.count += 1;
    },
  };
}

type MetricValue = { labels: Record<string, string | number>; value: number; metricName?: string };

function registerCustom(
  registry: Registry,
  name: string,
  help: string,
  type: "counter" | "histogram",
  values: () => MetricValue[],
  reset: () => void,
): void {
  const metric = {
    name,
    help,
    type,
    aggregator: "sum",
    get: async () => ({ name, help, type, aggregator: "sum", values: values() }),
    reset,
  };
  registry.registerMetric(metric as unknown as Metric);
}

/**
 * `lk_rule_outcomes_total{rule_id, outcome}`: how often each rule was true, and how often it
 * failed, in the answers served. A request adds one to a number per true or failed rule (an
 * array per rule set, by position); the scrape folds those into totals by rule id and reports
 * only the rules of the rule set served last, so the label values are bounded by the catalog.
 */
export function createRuleOutcomes(registers: Registry[]) {
  interface Tally {
    ids: readonly number[];
    trues: Float64Array;
    errors: Float64Array;
  }
  const tallies = new WeakMap<readonly number[], Tally>();
  let current: Tally | undefined;
  const retired = new Set<Tally>();
  const totals = new Map<number, { true: number; error: number }>();
  const fold = (tally: Tally) => {
    tally.ids.forEach((id, i) => {
      const total = totals.get(id) ?? { true: 0, error: 0 };
      total.true += tally.trues[i] as number;
      total.error += tally.errors[i] as number;
      totals.set(id, total);
    });
    tally.trues.fill(0);
    tally.errors.fill(0);
  };
  const counter: Counter<"rule_id" | "outcome"> = new Counter({
    name: "lk_rule_outcomes_total",
    help: "Answers served in which the rule was true, or failed (error), by rule id (current catalog only)",
    labelNames: ["rule_id", "outcome"] as const,
    registers,
    collect() {
      for (const tally of retired) fold(tally);
      retired.clear();
      if (current) fold(current);
      counter.reset();
      for (const id of current?.ids ?? []) {
        const total = totals.get(id);
        counter.inc({ rule_id: String(id), outcome: "true" }, total?.true ?? 0);
        counter.inc({ rule_id: String(id), outcome: "error" }, total?.error ?? 0);
      }
    },
  });
  return {
    counter,
    /**
     * Counts one answer: `ids` is the rule set's rule ids in order (the same array for every
     * request on one rule set), the indexes point into it.
     */
    record(ids: readonly number[], trueIndexes: readonly number[], errorIndexes: readonly number[]): void {
      let tally = tallies.get(ids);
      if (!tally) {
        tally = { ids, trues: new Float64Array(ids.length), errors: new Float64Array(ids.length) };
        tallies.set(ids, tally);
      }
      if (tally !== current) {
        // A request still on the previous rule set may add to it after this; it is folded in
        // at the next scrape all the same (retired tallies are kept until then).
        if (current) retired.add(current);
        current = tally;
      }
      const { trues, errors } = tally;
      for (const i of trueIndexes) trues[i] = (trues[i] ?? 0) + 1;
      for (const i of errorIndexes) errors[i] = (errors[i] ?? 0) + 1;
    },
  };
}
