/**
 * `bun run bench`: GET /user.tabs over real HTTP, every scenario of issue 11 in one run.
 *
 *   bun run bench [--seconds 10] [--connections 64] [--wide 20000] [--out file.md]
 *
 * Starts the mock SAP in this process and the service as a child process (`bun run src/main.ts`,
 * on a fresh PostgreSQL database beside DATABASE_URL's when it is set, else embedded PGlite), with
 * the demo catalog topped up to 100 realistic rules (test/support/rule-fixtures.ts). Load comes
 * from oha when it is on the PATH and the run has one employee, else from wrk (each row says
 * which); one load thread, as in the old team's test. Scenarios:
 *   warm       100 employees, evidence and results cached (the old team's load test)
 *   wide       `--wide` distinct employees in turn, evidence warm, result cache cold (the
 *              service runs with RULE_RESULT_CACHE_MB=1, a few thousand employees, and the turn is
 *              longer, so every request misses it; warm's 100 fit)
 *   cold       a random one of 300,000 per request, the mock SAP answering after 20 ms
 *   warm, no log line  warm again on a service at LOG_LEVEL=warn: what the request's log line costs
 *   1,000 rules  wide, with the catalog topped up to 1,000 rules
 * and references, each a bare Bun.serve (bench/reference-server.ts) answering the same bytes:
 *   static ceiling, the old way (every rule compiled on every request), per-rule functions
 *   (compiled once: the old team's fix).
 * Each: req/s, latency p50/p99/p99.9, errors, the HTTP process's peak RSS, and the blocking time
 * per request (p50/p99 of lk_handler_blocking_seconds{route="/user.tabs"} over the run; "n/a"
 * when the service does not export it), the result-cache hit share, and the CPU time per request
 * of the HTTP process and of its children (the sandbox processes), from /proc.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { startMockSap } from "../src/evidence/index.ts";
import { generateRules } from "../test/support/rule-fixtures.ts";
import { createDatabase } from "../test/support/service-instances.ts";
import {
  type Buckets,
  benchDatabase,
  cpuOfTree,
  type Employees,
  histogramQuantile,
  type LoadResult,
  machine,
  runLoad,
  scrapeHistogram,
  seedCatalog,
  spawnService,
  waitForOk,
  watchRss,
} from "./support.ts";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "64" },
    wide: { type: "string", default: "20000" },
    out: { type: "string" },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const wide = Number(values.wide);
const ROOT = new URL("..", import.meta.url).pathname;
const PATH = "/user.tabs?platform=web";
const WARM: Employees = { kind: "cycle", count: 100, stride: 2999 };
const WIDE: Employees = { kind: "cycle", count: wide, stride: 13 };

const sap = await startMockSap({ port: 0, latencyMs: 0 });
const children: Array<{ kill(signal?: number | string): void; exited: Promise<number> }> = [];
let nextPort = 18_400 + Math.floor(Math.random() * 500);

interface Row extends LoadResult {
  scenario: string;
  rssMiB: number;
  blockingP50us: number;
  blockingP99us: number;
  resultHits: string;
  /** CPU per request of the HTTP process, and of its children (the sandboxes), µs. */
  cpuUs: number;
  sandboxCpuUs: number;
}
const rows: Row[] = [];

async function startService(totalRules: number, env: Record<string, string> = {}) {
  const db = await benchDatabase((base) => createDatabase(base, "lk_bench"));
  const rules = await seedCatalog(db.config, generateRules, totalRules);
  const port = nextPort++;
  const child = spawnService(port, {
    ...db.env,
    SAP_BASE_URL: sap.url,
    ADMIN_TOKEN: `bench-admin-${crypto.randomUUID()}`,
    NODE_ENV: "development",
    // Every request's log line is written, as in production (to /dev/null: the child's stdout).
    LOG_LEVEL: "info",
    // A few thousand employees' results: a wide turn is longer, so it misses the result cache throughout
    // (as the 10,000-entry cache did with 20,000 employees); warm's 100 fit.
    RULE_RESULT_CACHE_MB: "1",
    ...env,
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitForOk(`${url}/readyz`, 120_000);
  return {
    url,
    pid: child.pid,
    rules,
    async stop() {
      child.kill("SIGTERM");
      await child.exited;
      await db.drop();
    },
  };
}

/** Asks for every employee of a turn once (mock SAP fast), so their evidence is cached. */
async function warmEvidence(url: string, count: number, stride: number) {
  let next = 0;
  let failures = 0;
  const ask = (n: number) =>
    fetch(`${url}${PATH}`, { headers: { authorization: `Bearer ${String(n).padStart(8, "0")}` } }).then(
      (r) => r.arrayBuffer().then(() => r.ok),
      () => false,
    );
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < count) {
        const n = 1 + ((next++ * stride) % 300_000);
        for (let attempt = 0; attempt < 3 && !(await ask(n)); attempt += 1) failures += 1;
      }
    }),
  );
  if (failures > 0) console.error(`warming ${count} employees: ${failures} failed attempts`);
}

const counter = async (url: string, name: string, label: string) => {
  const text = await fetch(`${url}/metrics`).then(
    (r) => r.text(),
    () => "",
  );
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`) && l.includes(label));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
};

async function measure(
  scenario: string,
  target: { url: string; pid: number; metrics: boolean },
  employees: Employees,
) {
  const rss = watchRss(target.pid);
  const blocking = (): Promise<Buckets | undefined> =>
    target.metrics
      ? scrapeHistogram(`${target.url}/metrics`, "lk_handler_blocking_seconds", 'route="/user.tabs"')
      : Promise.resolve(undefined);
  const hits = () => counter(target.url, "lk_rule_result_cache_total", 'outcome="hit"');
  const misses = () => counter(target.url, "lk_rule_result_cache_total", 'outcome="miss"');
  const before = { blocking: await blocking(), hits: await hits(), misses: await misses() };
  const cpuBefore = cpuOfTree(target.pid);
  const load = await runLoad({ url: target.url, path: PATH, seconds, connections, employees });
  const cpuAfter = cpuOfTree(target.pid);
  const after = { blocking: await blocking(), hits: await hits(), misses: await misses() };
  const perRequestUs = (seconds: number) =>
    load.requests > 0 ? (seconds * 1e6) / load.requests : Number.NaN;
  rss.stop();
  const h = after.hits - before.hits;
  const m = after.misses - before.misses;
  const row: Row = {
    scenario,
    ...load,
    rssMiB: rss.peakMiB(),
    blockingP50us: histogramQuantile(before.blocking, after.blocking, 0.5) * 1e6,
    blockingP99us: histogramQuantile(before.blocking, after.blocking, 0.99) * 1e6,
    resultHits: target.metrics && h + m > 0 ? `${((100 * h) / (h + m)).toFixed(0)} %` : "n/a",
    cpuUs: perRequestUs(cpuAfter.own - cpuBefore.own),
    sandboxCpuUs: target.metrics ? perRequestUs(cpuAfter.children - cpuBefore.children) : Number.NaN,
  };
  rows.push(row);
  console.error(
    `${scenario}: ${row.rps} req/s (${load.tool}), p99 ${row.p99ms.toFixed(2)} ms, errors ${row.errors}`,
  );
  return row;
}

/**
 * The warm scenario: the 100 employees' evidence fetched, a warm-up load (right after /readyz the
 * spares and the trial's sandboxes are still booting), then the measured run.
 */
async function measureWarm(scenario: string, service: { url: string; pid: number }) {
  await warmEvidence(service.url, 100, 2999);
  await runLoad({
    url: service.url,
    path: PATH,
    seconds: Math.max(2, seconds / 2),
    connections,
    employees: WARM,
  });
  return measure(scenario, { url: service.url, pid: service.pid, metrics: true }, WARM);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    for (const child of children) child.kill("SIGTERM");
    process.exit(130);
  });
}

try {
  console.error(`${machine()}; ${seconds} s per scenario, ${connections} connections`);
  const service = await startService(100);
  const target = { url: service.url, pid: service.pid, metrics: true };
  console.error(`service on ${service.url}: ${service.rules} rules`);

  await measureWarm("warm: 100 employees", service);

  await warmEvidence(service.url, wide, 13);
  await measure(`wide: ${wide.toLocaleString("en")} employees, result cache cold`, target, WIDE);

  sap.setFaults({ latencyMs: 20 });
  await measure("cold: random of 300,000, SAP 20 ms", target, { kind: "random", max: 300_000 });
  sap.setFaults({ latencyMs: 0 });

  const answer = await fetch(`${service.url}${PATH}`, { headers: { authorization: "Bearer 00000001" } }).then(
    (r) => r.arrayBuffer(),
  );
  await service.stop();
  const answerFile = join(ROOT, ".data", "bench-answer.json");
  mkdirSync(dirname(answerFile), { recursive: true }); // a fresh clone on PostgreSQL has no .data
  writeFileSync(answerFile, new Uint8Array(answer));

  // What the request's log line costs: the same warm load on a service that writes none.
  const quiet = await startService(100, { LOG_LEVEL: "warn" });
  await measureWarm("warm, no request log line (LOG_LEVEL=warn)", quiet);
  await quiet.stop();

  const big = await startService(1000);
  console.error(`service on ${big.url}: ${big.rules} rules`);
  await warmEvidence(big.url, wide, 13);
  await measure(
    `1,000 rules: wide, ${wide.toLocaleString("en")} employees`,
    { url: big.url, pid: big.pid, metrics: true },
    WIDE,
  );
  await big.stop();

  for (const [mode, label] of [
    ["static", "reference: static ceiling (bare Bun.serve, same bytes)"],
    ["old-way", "reference: old way (every rule compiled every request)"],
    ["per-rule", "reference: per-rule compiled functions (new Function)"],
  ] as const) {
    const port = nextPort++;
    const child = Bun.spawn(
      ["bun", "run", "bench/reference-server.ts", mode, String(port), answerFile, "100"],
      {
        cwd: ROOT,
        stdout: "ignore",
        stderr: "inherit",
      },
    );
    children.push(child);
    const url = `http://127.0.0.1:${port}`;
    await waitForOk(url, 30_000);
    await runLoad({ url, path: PATH, seconds: Math.max(1, seconds / 3), connections, employees: WARM });
    await measure(label, { url, pid: child.pid, metrics: false }, WARM);
    child.kill("SIGTERM");
    await child.exited;
  }
} finally {
  for (const child of children) child.kill("SIGKILL");
  await sap.close();
}

const num = (v: number, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : "n/a");
const lines = [
  `/user.tabs, ${seconds} s per scenario, ${connections} connections, 1 load thread; ${machine()}; ${new Date().toISOString()}`,
  "",
  "| scenario | tool | req/s | p50 ms | p99 ms | p99.9 ms | errors | peak RSS MiB | blocking p50 µs | blocking p99 µs | result cache hits | CPU µs/req: HTTP | sandboxes |",
  "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...rows.map(
    (r) =>
      `| ${r.scenario} | ${r.tool} | ${r.rps} | ${num(r.p50ms)} | ${num(r.p99ms)} | ${num(r.p999ms)} | ${r.errors} | ${num(r.rssMiB, 0)} | ${num(r.blockingP50us, 1)} | ${num(r.blockingP99us, 1)} | ${r.resultHits} | ${num(r.cpuUs, 0)} | ${num(r.sandboxCpuUs, 0)} |`,
  ),
];
const staticRow = rows.find((r) => r.scenario.includes("static"));
const warmRow = rows.find((r) => r.scenario.startsWith("warm:"));
const unloggedRow = rows.find((r) => r.scenario.startsWith("warm, no"));
if (staticRow && warmRow && unloggedRow)
  lines.push(
    "",
    `warm / static ceiling: ${((100 * warmRow.rps) / staticRow.rps).toFixed(0)} % ` +
      `(without the request log line: ${((100 * unloggedRow.rps) / staticRow.rps).toFixed(0)} %)`,
  );
console.log(lines.join("\n"));
if (values.out) writeFileSync(values.out, `${lines.join("\n")}\n`);
process.exit(0);
