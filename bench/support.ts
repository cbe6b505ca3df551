/**
 * What the benchmark scripts share: statistics, interleaved timing, the load generator (oha or
 * wrk), service processes with their peak RSS, a catalog written straight into a database, and
 * the blocking-time histogram read from /metrics. Every process started here is stopped through
 * its own handle.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bumpCatalogVersion } from "../src/catalog/index.ts";
import { type Database, type DatabaseTarget, openDatabase, schema } from "../src/db/index.ts";
import { seedDemoCatalog } from "../src/demo/index.ts";
import type { RuleDefinition } from "../src/rules/index.ts";

// ---------------------------------------------------------------------------------------------
// Statistics

export const median = (xs: readonly number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** The q-quantile of an ascending list (nearest rank). */
export const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;

/** Microseconds, readable: 12.3 µs, 4.56 ms, 12.3 ms. */
export const fmtUs = (us: number) =>
  !Number.isFinite(us)
    ? "n/a"
    : us >= 10_000
      ? `${(us / 1000).toFixed(1)} ms`
      : us >= 1000
        ? `${(us / 1000).toFixed(2)} ms`
        : `${us.toFixed(1)} µs`;

export const machine = () =>
  `bun ${Bun.version}, ${navigator.hardwareConcurrency} cores, ${process.platform}/${process.arch}, load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`;

// ---------------------------------------------------------------------------------------------
// Interleaved timing

export interface Contender {
  label: string;
  fn: (i: number) => unknown;
  /** Calls per batch, so that one batch takes some tens of milliseconds. */
  batch: number;
  /** Requests in flight at once (default 1: one after another). */
  inFlight?: number;
}

export interface Timing {
  /** Median and best batch, µs per call. */
  median: number;
  min: number;
  /** Median CPU time of this process per call, µs (what the host itself spends on a call). */
  hostCpu: number;
  calls: number;
}

/**
 * The machine is shared and noisy, so contenders are measured interleaved: every round runs one
 * batch of each, in turn, and each contender's figure is its median batch. Noise then hits all
 * of them alike instead of whichever happened to run during a busy spell.
 */
export async function race(contenders: readonly Contender[], rounds: number): Promise<Map<string, Timing>> {
  const perCall = contenders.map(() => [] as number[]);
  const cpuPerCall = contenders.map(() => [] as number[]);
  const calls = contenders.map(() => 0);
  const runBatch = async (k: number) => {
    const c = contenders[k] as Contender;
    const lanes = Math.max(1, c.inFlight ?? 1);
    const cpu = process.cpuUsage();
    const t = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        while (next < c.batch) {
          next += 1;
          calls[k] = (calls[k] ?? 0) + 1;
          await c.fn(calls[k] ?? 0);
        }
      }),
    );
    const wall = ((performance.now() - t) / c.batch) * 1000;
    const used = process.cpuUsage(cpu);
    return { wall, cpu: (used.user + used.system) / c.batch };
  };
  for (let k = 0; k < contenders.length; k++) await runBatch(k); // warm-up
  for (let round = 0; round < rounds; round++)
    for (let k = 0; k < contenders.length; k++) {
      const { wall, cpu } = await runBatch(k);
      perCall[k]?.push(wall);
      cpuPerCall[k]?.push(cpu);
    }
  return new Map(
    contenders.map((c, k) => {
      const sorted = [...(perCall[k] ?? [])].sort((a, b) => a - b);
      const timing = {
        median: median(sorted),
        min: sorted[0] ?? Number.NaN,
        hostCpu: median(cpuPerCall[k] ?? []),
        calls: calls[k] ?? 0,
      };
      return [c.label, timing];
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Load: oha when it is on the PATH, else wrk

export interface LoadResult {
  tool: "oha" | "wrk";
  rps: number;
  requests: number;
  errors: number;
  p50ms: number;
  p99ms: number;
  p999ms: number;
  maxMs: number;
}

/** Which personnel numbers the requests carry (the token is the personnel number in dev auth). */
export type Employees =
  | { kind: "one"; pernr: number }
  /** The k-th of a turn is 1 + (k × stride) mod 300,000; the first thread starts at k = offset. */
  | { kind: "cycle"; count: number; stride: number; offset?: number }
  | { kind: "random"; max: number };

export interface LoadOptions {
  url: string;
  path: string;
  seconds: number;
  connections: number;
  threads?: number;
  employees: Employees;
}

const workDir = mkdtempSync(join(tmpdir(), "lk-bench-"));

/**
 * oha sends one set of headers for the whole run, so it can drive only runs with one employee;
 * runs over many employees need wrk's Lua (each result says which tool ran).
 */
export function loadTool(employees: Employees): "oha" | "wrk" {
  if (employees.kind === "one" && Bun.which("oha")) return "oha";
  if (Bun.which("wrk")) return "wrk";
  throw new Error("neither oha nor wrk is on the PATH (apt-get install wrk)");
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  return loadTool(options.employees) === "oha" ? runOha(options) : runWrk(options);
}

const pernrText = (n: string) => `string.format("%08d", ${n})`;

function wrkScript(employees: Employees, requestPath: string): string {
  const pick =
    employees.kind === "one"
      ? `local n = ${employees.pernr}`
      : employees.kind === "cycle"
        ? `local n = 1 + (((${employees.offset ?? 0} + counter) % ${employees.count}) * ${employees.stride}) % 300000; counter = counter + 1`
        : `local n = math.random(1, ${employees.max})`;
  const path = join(workDir, `load-${Math.random().toString(36).slice(2)}.lua`);
  writeFileSync(
    path,
    `counter = 0
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("seed", threads * 7919)
end
init = function(args)
  -- each thread has its own Lua state: its own seed, and its own place in the cycle
  math.randomseed(seed)
  counter = seed - 7919
end
request = function()
  ${pick}
  return wrk.format("GET", ${JSON.stringify(requestPath)}, { ["Authorization"] = "Bearer " .. ${pernrText("n")} })
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %.1f %.1f %.1f %.1f\\n", summary.requests, e.status + e.connect + e.read + e.write + e.timeout, summary.duration, latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
end
`,
  );
  return path;
}

async function runWrk(options: LoadOptions): Promise<LoadResult> {
  const script = wrkScript(options.employees, options.path);
  const threads = options.threads ?? 1;
  const proc = Bun.spawn(
    [
      "wrk",
      `-t${threads}`,
      `-c${options.connections}`,
      `-d${Math.max(1, Math.round(options.seconds))}s`,
      "--timeout",
      "10s",
      "-s",
      script,
      options.url,
    ],
    { stdout: "pipe", stderr: "pipe" },
  );
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  const line = out.split("\n").find((l) => l.startsWith("RESULT "));
  if (!line) throw new Error(`wrk printed no result:\n${out}\n${await new Response(proc.stderr).text()}`);
  const [requests = 0, errors = 0, durationUs = 1, p50 = 0, p99 = 0, p999 = 0, max = 0] = line
    .split(" ")
    .slice(1)
    .map(Number);
  if (!(requests > 0)) throw new Error(`wrk completed no request:\n${out}`);
  return {
    tool: "wrk",
    rps: Math.round(requests / (durationUs / 1e6)),
    requests,
    errors,
    p50ms: p50 / 1000,
    p99ms: p99 / 1000,
    p999ms: p999 / 1000,
    maxMs: max / 1000,
  };
}

async function runOha(options: LoadOptions): Promise<LoadResult> {
  const pernr = options.employees.kind === "one" ? options.employees.pernr : 1;
  const proc = Bun.spawn(
    [
      "oha",
      "--no-tui",
      "--output-format",
      "json",
      "-z",
      `${Math.max(1, Math.round(options.seconds))}s`,
      "-c",
      String(options.connections),
      "-H",
      `Authorization: Bearer ${String(pernr).padStart(8, "0")}`,
      `${options.url}${options.path}`,
    ],
    { stdout: "pipe", stderr: "inherit" },
  );
  const report = (await new Response(proc.stdout).json()) as {
    summary: { requestsPerSec: number; total: number };
    latencyPercentiles: Record<string, number>;
    statusCodeDistribution: Record<string, number>;
    errorDistribution: Record<string, number>;
  };
  const ok = Object.entries(report.statusCodeDistribution).reduce(
    (sum, [status, n]) => sum + (status.startsWith("2") || status === "304" ? n : 0),
    0,
  );
  const all = Object.values(report.statusCodeDistribution).reduce((a, b) => a + b, 0);
  const failed = Object.values(report.errorDistribution).reduce((a, b) => a + b, 0);
  const p = report.latencyPercentiles;
  return {
    tool: "oha",
    rps: Math.round(report.summary.requestsPerSec),
    requests: all,
    errors: all - ok + failed,
    p50ms: (p.p50 ?? Number.NaN) * 1000,
    p99ms: (p.p99 ?? Number.NaN) * 1000,
    p999ms: (p["p99.9"] ?? Number.NaN) * 1000,
    maxMs: Number.NaN,
  };
}

// ---------------------------------------------------------------------------------------------
// Processes

/** Peak resident memory of one process, sampled every 100 ms while a scenario runs. */
export function watchRss(pid: number) {
  let peak = 0;
  const sample = () => {
    try {
      const kib = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
      peak = Math.max(peak, Number(kib ?? 0) * 1024);
    } catch {
      // the process ended
    }
  };
  sample();
  const timer = setInterval(sample, 100);
  return {
    /** Peak so far, MiB. */
    peakMiB: () => {
      sample();
      return peak / 2 ** 20;
    },
    reset: () => {
      peak = 0;
      sample();
    },
    stop: () => clearInterval(timer),
  };
}

/** CPU seconds (user + system) a process has used so far; 0 once it has ended. */
export function cpuSeconds(pid: number): number {
  try {
    // Fields after the command (which may hold spaces, so split after its closing parenthesis).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** USER_HZ: Linux reports process times in 1/100 s on every architecture we run on. */
const CLOCK_TICKS = 100;

/** A process's children, by /proc (every thread's list). */
export function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").split(" ").filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/**
 * CPU seconds of a process and, separately, of its children (the service's sandbox processes),
 * read now; a child that ended between two readings drops out of the second, so read both
 * around a run that kills none.
 */
export function cpuOfTree(pid: number): { own: number; children: number } {
  return {
    own: cpuSeconds(pid),
    children: childPids(pid).reduce((sum, child) => sum + cpuSeconds(child), 0),
  };
}

const SERVICE_ROOT = new URL("..", import.meta.url).pathname;

/**
 * Starts the service (`bun run src/main.ts` in this tree) on `port`: dev auth, warn-level logs,
 * `env` on top (the database, SAP and admin token at least). Its stdout is dropped.
 */
export function spawnService(port: number, env: Record<string, string>, bunFlags: readonly string[] = []) {
  return Bun.spawn(["bun", ...bunFlags, "run", "src/main.ts"], {
    cwd: SERVICE_ROOT,
    // DIRECTORY_SYNC_INTERVAL_H=0: on a fresh database the schedule would start a sync at once, and
    // the measurement would share the CPU with paging 300,000 employees in.
    env: {
      ...process.env,
      PORT: String(port),
      AUTH_MODE: "dev",
      LOG_LEVEL: "warn",
      DIRECTORY_SYNC_INTERVAL_H: "0",
      ...env,
    },
    stdout: "ignore",
    stderr: "inherit",
  });
}

/** Waits until `url` answers 200 (a process starting up). */
export async function waitForOk(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await Bun.sleep(50);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

/** A database config for the service: a fresh PostgreSQL database beside DATABASE_URL, or PGlite. */
export async function benchDatabase(
  createPostgres: (baseUrl: string) => Promise<{ url: string; drop(): Promise<void> }>,
): Promise<{ config: DatabaseTarget; env: Record<string, string>; drop(): Promise<void> }> {
  const baseUrl = process.env.DATABASE_URL;
  if (baseUrl) {
    const db = await createPostgres(baseUrl);
    return {
      config: { kind: "postgres", url: db.url },
      env: { DATABASE_URL: db.url },
      drop: () => db.drop(),
    };
  }
  const dir = mkdtempSync(join(workDir, "pglite-"));
  return {
    config: { kind: "pglite", dir },
    env: { DATABASE_URL: "", PGLITE_DIR: dir },
    drop: async () => {},
  };
}

/**
 * The demo catalog (components and their rules) plus generated rules up to `totalRules`, written
 * straight into the database as one catalog version (as one admin transaction would).
 */
export async function seedCatalog(
  config: DatabaseTarget,
  extraRules: (count: number) => RuleDefinition[],
  totalRules: number,
): Promise<number> {
  const database = await openDatabase(config);
  try {
    await seedDemoCatalog(database.db);
    const demoRules = (await database.db.select({ id: schema.rules.id }).from(schema.rules)).length;
    const rules = extraRules(Math.max(0, totalRules - demoRules));
    await writeRulesAsOneVersion(database, rules);
    return demoRules + rules.length;
  } finally {
    await database.close();
  }
}

/** Inserts `rules` (in batches of 100) and bumps the catalog version, in one transaction. */
export async function writeRulesAsOneVersion(database: Database, rules: readonly RuleDefinition[]) {
  await database.db.transaction(async (tx) => {
    for (let i = 0; i < rules.length; i += 100) {
      await tx.insert(schema.rules).values(
        rules.slice(i, i + 100).map((r) => ({
          name: r.name,
          title: r.name,
          kind: r.kind,
          expression: r.expression,
          appCodes: r.appCodes,
        })),
      );
    }
    await bumpCatalogVersion(tx);
  });
}

// ---------------------------------------------------------------------------------------------
// /metrics

/** Cumulative bucket counts of one histogram series, by upper bound (seconds). */
export type Buckets = Map<number, number>;

/**
 * The buckets of `name` whose labels include `labels` (e.g. `route="/user.tabs"`), summed over
 * the other labels; undefined when the service does not export it.
 */
export async function scrapeHistogram(
  metricsUrl: string,
  name: string,
  labels: string,
): Promise<Buckets | undefined> {
  const text = await fetch(metricsUrl).then(
    (r) => (r.ok ? r.text() : ""),
    () => "",
  );
  const buckets: Buckets = new Map();
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}_bucket{`) || !line.includes(labels)) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    const value = Number(line.slice(line.lastIndexOf(" ") + 1));
    if (le === undefined) continue;
    const bound = le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + value);
  }
  return buckets.size > 0 ? buckets : undefined;
}

/** The q-quantile (seconds) of what was observed between two scrapes, interpolated in its bucket. */
export function histogramQuantile(
  before: Buckets | undefined,
  after: Buckets | undefined,
  q: number,
): number {
  if (!after) return Number.NaN;
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counts = bounds.map((b) => (after.get(b) ?? 0) - (before?.get(b) ?? 0));
  const total = counts[counts.length - 1] ?? 0;
  if (total <= 0) return Number.NaN;
  const rank = q * total;
  for (let i = 0; i < bounds.length; i++) {
    const count = counts[i] ?? 0;
    if (count >= rank) {
      const lower = i === 0 ? 0 : (bounds[i - 1] ?? 0);
      const upper = bounds[i] ?? lower;
      if (!Number.isFinite(upper)) return lower;
      const below = i === 0 ? 0 : (counts[i - 1] ?? 0);
      return lower + ((upper - lower) * (rank - below)) / Math.max(1, count - below);
    }
  }
  return Number.NaN;
}
