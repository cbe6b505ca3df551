/**
 * What one hostile rule costs everybody else (issue: "one bad rule harms only itself").
 *
 *   bun run bench/hostile-rules.ts [--seconds 8] [--connections 32]
 *
 * The service runs as a child process (`bun run src/main.ts`) on a fresh database on the local
 * PostgreSQL (DATABASE_URL_BENCH, default postgres://postgres@127.0.0.1:5432/test as the admin
 * connection) with the demo catalog, against the demo SAP directory in this process. wrk loads
 * /user.tabs for 200 employees (evidence warm, the old team's load test). For each family a
 * hostile rule is published on a banner one second into the run, straight into the database
 * (as if it had got past every check at save), and removed after it; "none" runs between the
 * families as the baseline. Figures: throughput as a ratio to the baseline, p99 and the longest
 * wait of any request, non-2xx answers.
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { openDatabase } from "../src/db/index.ts";
import { seedDemoCatalog } from "../src/demo/index.ts";
import { startMockSap } from "../src/evidence/index.ts";
import { runLoad, waitForOk } from "./support.ts";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "8" }, connections: { type: "string", default: "32" } },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);

const BIG = "Object.assign([], { length: 2 ** 32 - 1 })";
const FAMILIES: Array<[string, string]> = [
  ["memory", `"x".repeat(2 ** 28).length > 0`],
  ["memory (padStart)", `''.padStart(2 ** 30 - 1, 'ab').length > 0`],
  ["long built-in", `${BIG}.includes(1)`],
  ["long built-in (concat)", `[1].concat(${BIG}).length > 0`],
  [
    "callback inside a built-in",
    `JSON.stringify(Object.defineProperty({}, 'x', { enumerable: true, get: () => ${BIG}.includes(1) })).length > 0`,
  ],
  ["budget (regex backtracking)", `/(a+)+$/.test('a'.repeat(40) + '!')`],
  ["clock", `Date.now() % 2 === 0`],
  ["throws for everyone", `roles.include("cashier")`],
];

const admin = process.env.DATABASE_URL_BENCH ?? "postgres://postgres@127.0.0.1:5432/test";
const dbName = `lk_bench_hostile_${Date.now()}`;
const server = postgres(admin, { max: 1, onnotice: () => {} });
await server.unsafe(`CREATE DATABASE ${dbName}`);
const url = admin.replace(/\/[^/]*$/, `/${dbName}`);
const setup = await openDatabase({ kind: "postgres", url });
await seedDemoCatalog(setup.db);
await setup.close();
const sql = postgres(url, { max: 2, onnotice: () => {} });

const sap = await startMockSap({ port: 0 });
const port = 18_201;
const child = Bun.spawn(["bun", "run", "src/main.ts"], {
  env: { ...process.env, PORT: String(port), DATABASE_URL: url, SAP_BASE_URL: sap.url, LOG_LEVEL: "error" },
  stdout: "ignore",
  stderr: "inherit",
});
const base = `http://127.0.0.1:${port}`;
await waitForOk(`${base}/readyz`, 30_000);

/** One run of wrk over 200 employees (evidence warm); `during` is run one second into it. */
async function load(during?: () => Promise<void>) {
  const [result] = await Promise.all([
    runLoad({
      url: base,
      path: "/user.tabs?platform=web",
      seconds,
      connections,
      threads: 2,
      employees: { kind: "cycle", count: 200, stride: 1499 },
    }),
    during ? Bun.sleep(1000).then(during) : undefined,
  ]);
  return result;
}

async function catalogVersion(): Promise<number> {
  const [row] = await sql`SELECT version FROM catalog_state WHERE id = 1`;
  return Number(row?.version);
}

/** Waits until the service serves catalog version `v` (its /readyz says so). */
async function served(v: number) {
  for (let i = 0; i < 500; i++) {
    const body = (await fetch(`${base}/readyz`).then((r) => r.json())) as { catalog_version: number };
    if (body.catalog_version >= v) return;
    await Bun.sleep(10);
  }
  throw new Error(`catalog version ${v} never arrived`);
}

const [banner] = await sql`SELECT id, rule_id FROM banners ORDER BY id LIMIT 1`;
if (!banner) throw new Error("the demo catalog has no banner");

async function publish(expression: string): Promise<number> {
  const [row] = await sql.begin(async (tx) => {
    const [rule] =
      await tx`INSERT INTO rules (name, title, expression) VALUES ('hostile', 'hostile', ${expression}) RETURNING id`;
    await tx`UPDATE banners SET rule_id = ${rule?.id} WHERE id = ${banner?.id}`;
    return tx`UPDATE catalog_state SET version = version + 1 WHERE id = 1 RETURNING version`;
  });
  return Number(row?.version);
}

async function unpublish() {
  await sql.begin(async (tx) => {
    await tx`UPDATE banners SET rule_id = ${banner?.rule_id ?? null} WHERE id = ${banner?.id}`;
    await tx`DELETE FROM rules WHERE name = 'hostile'`;
    await tx`UPDATE catalog_state SET version = version + 1 WHERE id = 1`;
  });
  await served(await catalogVersion());
}

await load(); // warm-up: evidence and result caches
const rows: Array<{ scenario: string } & Awaited<ReturnType<typeof load>>> = [];
for (const [family, expression] of FAMILIES) {
  rows.push({ scenario: "none (baseline)", ...(await load()) });
  rows.push({
    scenario: `${family}: \`${expression.slice(0, 60)}\``,
    ...(await load(async () => void (await publish(expression)))),
  });
  await unpublish();
}
rows.push({ scenario: "none (baseline)", ...(await load()) });

child.kill();
await child.exited;
await sap.close();
await sql.end();
await server.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
await server.end();

const baselines = rows.filter((r) => r.scenario.startsWith("none")).map((r) => r.rps);
const baseline = baselines.reduce((a, b) => a + b, 0) / baselines.length;
console.log(
  `\n/user.tabs with one hostile rule published mid-run; wrk -t2 -c${connections} -d${seconds}s, ${new Date().toISOString()}`,
);
console.log(`baseline: mean of the ${baselines.length} "none" runs = ${Math.round(baseline)} req/s\n`);
console.log("| scenario | req/s | vs baseline | p99 ms | max ms | non-2xx or errors |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const r of rows) {
  console.log(
    `| ${r.scenario} | ${r.rps} | ${(r.rps / baseline).toFixed(2)} | ${r.p99ms.toFixed(1)} | ${r.maxMs.toFixed(0)} | ${r.errors} |`,
  );
}
