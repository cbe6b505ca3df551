/**
 * Memory of one HTTP process (goal: RSS ≤ 300 MiB) after a sweep over all 300,000 demo employees
 * and under sustained load (a random employee per request, so the evidence, result and answer
 * caches fill to their bounds), then after a rest.
 *
 *   bun run bench/memory.ts [--minutes 10] [--rules 100] [--connections 64]
 *
 * The service runs as a child process (`bun run src/main.ts`) on a fresh PostgreSQL database
 * beside DATABASE_URL's (else PGlite), with the demo catalog topped up to `--rules` realistic rules,
 * against the mock SAP in this process (no added latency, so the load is as dense as it gets).
 * RSS is the HTTP process's own (VmRSS), sampled every 100 ms; sandbox processes are apart.
 */
import { parseArgs } from "node:util";
import { startMockSap } from "../src/evidence/index.ts";
import { generateRules } from "../test/support/rule-fixtures.ts";
import { createDatabase } from "../test/support/service-instances.ts";
import {
  benchDatabase,
  machine,
  runLoad,
  seedCatalog,
  spawnService,
  waitForOk,
  watchRss,
} from "./support.ts";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    rules: { type: "string", default: "100" },
    connections: { type: "string", default: "64" },
    /** Employees of the sweep (all 300,000 by default). */
    employees: { type: "string", default: "300000" },
    /** `--bun-flags=--smol`: flags for the service's bun (e.g. its smaller-heap mode). */
    "bun-flags": { type: "string", default: "" },
  },
});
const minutes = Number(values.minutes);
const connections = Number(values.connections);
const PATH = "/user.tabs?platform=web";
const EMPLOYEES = Number(values.employees);
const bunFlags = (values["bun-flags"] ?? "").split(" ").filter(Boolean);

const sap = await startMockSap({ port: 0, latencyMs: 0 });
const db = await benchDatabase((base) => createDatabase(base, "lk_bench_mem"));
const rules = await seedCatalog(db.config, generateRules, Number(values.rules));
const port = 18_900 + Math.floor(Math.random() * 90);
const child = spawnService(
  port,
  { ...db.env, SAP_BASE_URL: sap.url, ADMIN_TOKEN: `bench-admin-${crypto.randomUUID()}` },
  bunFlags,
);
const url = `http://127.0.0.1:${port}`;
const mib = (v: number) => `${v.toFixed(0)} MiB`;
try {
  await waitForOk(`${url}/readyz`, 120_000);
  const rss = watchRss(child.pid);
  console.log(
    `${machine()}; ${rules} rules; bun ${bunFlags.join(" ") || "(no flags)"}; RSS at ready: ${mib(rss.peakMiB())}`,
  );

  // The sweep: every employee once, in order, in runs of 10 s (each run starts where the last ended).
  let swept = 0;
  let errors = 0;
  const sweepStart = performance.now();
  while (swept < EMPLOYEES) {
    const run = await runLoad({
      url,
      path: PATH,
      seconds: 10,
      connections,
      employees: { kind: "cycle", count: 300_000, stride: 1, offset: swept },
    });
    swept += run.requests;
    errors += run.errors;
    console.log(
      `sweep: ${Math.min(swept, EMPLOYEES).toLocaleString("en")} employees, RSS peak ${mib(rss.peakMiB())}`,
    );
  }
  const afterSweep = rss.peakMiB();
  console.log(
    `sweep of ${EMPLOYEES.toLocaleString("en")} done in ${((performance.now() - sweepStart) / 1000).toFixed(0)} s, ${errors} errors; peak RSS ${mib(afterSweep)}`,
  );

  // Sustained: a random employee per request, for `minutes`.
  rss.reset();
  const until = performance.now() + minutes * 60_000;
  let requests = 0;
  while (performance.now() < until) {
    const seconds = Math.max(1, Math.min(30, Math.round((until - performance.now()) / 1000)));
    const run = await runLoad({
      url,
      path: PATH,
      seconds,
      connections,
      employees: { kind: "random", max: EMPLOYEES },
    });
    requests += run.requests;
    errors += run.errors;
    console.log(`load: ${run.rps} req/s, RSS peak so far ${mib(rss.peakMiB())}`);
  }
  const underLoad = rss.peakMiB();
  rss.reset();
  await Bun.sleep(15_000);
  const rested = rss.peakMiB();
  rss.stop();
  console.log(
    `\n| phase | requests | peak RSS |\n| --- | ---: | ---: |\n| sweep over ${EMPLOYEES.toLocaleString("en")} employees | ${swept.toLocaleString("en")} | ${mib(afterSweep)} |\n| ${minutes} min random load | ${requests.toLocaleString("en")} | ${mib(underLoad)} |\n| 15 s after the load | 0 | ${mib(rested)} |\n\nerrors: ${errors}`,
  );
} finally {
  child.kill("SIGTERM");
  await child.exited;
  await db.drop();
  await sap.close();
}
process.exit(0);
