/**
 * Load benchmark of GET /user.tabs over real HTTP (see bench/RESULTS.md for figures).
 *
 *   bun run bench/user-tabs.ts [--seconds 10] [--connections 32]
 *
 * Starts the demo SAP directory in this process with 20 ms latency per call, and the service as
 * a child process (`bun run src/main.ts`, embedded PGlite, demo catalog). Then, in one run:
 *   cached:   200 employees, evidence warm in the service's cache (the normal case);
 *   uncached: a random one of 300,000 employees per request with a 1-entry evidence cache, so
 *             every request waits for a SAP call.
 * Load comes from oha when installed, else wrk (which can vary the token per request via Lua).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startMockSap } from "../src/evidence/index.ts";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "10" }, connections: { type: "string", default: "32" } },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const wrkPath = Bun.which("wrk");
if (!wrkPath) throw new Error("install wrk (apt-get install wrk): oha is not packaged for this machine");
const wrk: string = wrkPath;

const sap = await startMockSap({ port: 0, latencyMs: 20 });
const work = mkdtempSync(join(tmpdir(), "lk-bench-"));

async function startServiceProcess(port: number, env: Record<string, string>) {
  const child = Bun.spawn(["bun", "run", "src/main.ts"], {
    env: {
      ...process.env,
      PORT: String(port),
      PGLITE_DIR: join(work, `pg-${port}`),
      SAP_BASE_URL: sap.url,
      LOG_LEVEL: "warn",
      ...env,
    },
    stdout: "ignore",
    stderr: "inherit",
  });
  for (let i = 0; i < 200; i++) {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) return child;
    await Bun.sleep(100);
  }
  child.kill();
  throw new Error("service did not become ready");
}

function luaScript(pernrs: "fixed" | "random"): string {
  const pick =
    pernrs === "fixed"
      ? "local n = 1 + (counter % 200) * 1499; counter = counter + 1"
      : "local n = math.random(1, 300000)";
  const path = join(work, `${pernrs}.lua`);
  writeFileSync(
    path,
    `counter = 0
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("seed", threads * 7919)
end
init = function(args)
  -- each wrk thread has its own Lua state with the same default seed; without this both
  -- threads would ask for the same employees at the same moment and SAP calls would coalesce
  math.randomseed(seed)
  counter = seed
end
request = function()
  ${pick}
  return wrk.format("GET", "/user.tabs?platform=web", { ["Authorization"] = "Bearer " .. string.format("%08d", n) })
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %.1f %.1f %.1f\\n", summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout, summary.duration, latency:percentile(50), latency:percentile(99), latency.mean))
end
`,
  );
  return path;
}

async function load(port: number, script: string) {
  const proc = Bun.spawn(
    [wrk, "-t2", `-c${connections}`, `-d${seconds}s`, "--latency", "-s", script, `http://127.0.0.1:${port}`],
    {
      stdout: "pipe",
    },
  );
  const out = await new Response(proc.stdout).text();
  const line = out.split("\n").find((l) => l.startsWith("RESULT "));
  if (!line) throw new Error(`wrk printed no result:\n${out}`);
  const [requests, errors, durationUs, p50, p99, mean] = line.split(" ").slice(1).map(Number) as number[];
  return {
    rps: Math.round((requests as number) / ((durationUs as number) / 1e6)),
    errors,
    p50ms: (p50 as number) / 1000,
    p99ms: (p99 as number) / 1000,
    meanMs: (mean as number) / 1000,
  };
}

const rows: Array<{ scenario: string } & Awaited<ReturnType<typeof load>> & { sapCalls: number }> = [];
const cached = await startServiceProcess(18_101, {});
await load(18_101, luaScript("fixed")); // warm-up: fills the evidence and rule-result caches
let before = sap.calls();
rows.push({
  scenario: "cached evidence (200 employees, warm)",
  ...(await load(18_101, luaScript("fixed"))),
  sapCalls: 0,
});
(rows[0] as { sapCalls: number }).sapCalls = sap.calls() - before;
cached.kill();
await cached.exited;

const uncached = await startServiceProcess(18_102, { EVIDENCE_CACHE_SIZE: "1" });
before = sap.calls();
const uncachedResult = await load(18_102, luaScript("random"));
rows.push({
  scenario: "every request to SAP (20 ms mock latency)",
  ...uncachedResult,
  sapCalls: sap.calls() - before,
});
uncached.kill();
await uncached.exited;
await sap.close();

console.log(`\n/user.tabs, wrk -t2 -c${connections} -d${seconds}s, ${new Date().toISOString()}`);
console.log("| scenario | req/s | p50 ms | p99 ms | mean ms | errors | SAP calls |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const r of rows) {
  console.log(
    `| ${r.scenario} | ${r.rps} | ${r.p50ms.toFixed(2)} | ${r.p99ms.toFixed(2)} | ${r.meanMs.toFixed(2)} | ${r.errors} | ${r.sapCalls} |`,
  );
}
const [c, u] = rows;
if (c && u) console.log(`\ncached / uncached throughput: ${(c.rps / u.rps).toFixed(1)}×`);
