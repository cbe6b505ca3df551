/**
 * How long a rule edited through one instance takes to be served by another.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test bun run bench/catalog-propagation.ts [--edits 30] [--write]
 *
 * Starts two service processes (A, B) on a fresh PostgreSQL database, creates one section gated
 * by one rule through A, then flips the rule through A `--edits` times. Each time it measures
 * from A's 2xx answer (the change is committed before A answers) to the first /user.tabs from B
 * that reflects it, polling B every 2 ms. `--write` puts the figures into bench/RESULTS.md,
 * section "## Admin propagation" (only that section).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEMO_EMPLOYEES } from "../src/evidence/mock-sap/directory.ts";
import {
  client,
  createDatabase,
  createProbe,
  setProbe,
  startInstance,
  waitForProbe,
} from "./catalog-propagation-instances.ts";

const { values } = parseArgs({
  options: { edits: { type: "string", default: "30" }, write: { type: "boolean", default: false } },
});
const edits = Number(values.edits);
const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) {
  console.error("DATABASE_URL must name a PostgreSQL database (two processes need a shared one)");
  process.exit(1);
}

const ADMIN_TOKEN = `bench-admin-${crypto.randomUUID()}`;
const EMPLOYEE = DEMO_EMPLOYEES[0]?.pernr ?? "00217542";
const GAP_BETWEEN_EDITS_MS = 100;

const database = await createDatabase(baseUrl, "lk_bench");
const instances = [];
try {
  // One after another: each migrates the fresh database on start.
  const a = await startInstance("A", { databaseUrl: database.url, adminToken: ADMIN_TOKEN });
  instances.push(a);
  const b = await startInstance("B", { databaseUrl: database.url, adminToken: ADMIN_TOKEN });
  instances.push(b);
  const viaA = client(a, ADMIN_TOKEN);
  const viaB = client(b, ADMIN_TOKEN);

  const probe = await createProbe(viaA);
  await waitForProbe(viaB, EMPLOYEE, false, 10_000);
  let ruleVersion = 1;
  const samples: number[] = [];
  for (let i = 0; i < edits; i++) {
    const visible = i % 2 === 0;
    const changed = await setProbe(viaA, probe.ruleId, ruleVersion, visible);
    const answeredAt = performance.now();
    ruleVersion = changed.version;
    const servedAt = await waitForProbe(viaB, EMPLOYEE, visible, 10_000);
    samples.push(servedAt - answeredAt);
    await Bun.sleep(GAP_BETWEEN_EDITS_MS);
  }

  samples.sort((x, y) => x - y);
  const at = (q: number) =>
    samples[Math.min(samples.length - 1, Math.max(0, Math.ceil(q * samples.length) - 1))] ?? Number.NaN;
  const stats = { n: samples.length, min: at(0), median: at(0.5), p95: at(0.95), max: at(1) };
  const ms = (v: number) => v.toFixed(1);
  console.log(
    `edits: ${stats.n}  min ${ms(stats.min)} ms  median ${ms(stats.median)} ms  p95 ${ms(stats.p95)} ms  max ${ms(stats.max)} ms`,
  );
  console.log(`all (ms, sorted): ${samples.map(ms).join(" ")}`);

  if (values.write) {
    writeSection({ ...stats, samples });
    console.log('bench/RESULTS.md: "## Admin propagation" updated');
  }
} finally {
  for (const instance of instances) await instance.stop();
  await database.drop();
}

function writeSection(result: {
  n: number;
  min: number;
  median: number;
  p95: number;
  max: number;
  samples: number[];
}) {
  const path = new URL("./RESULTS.md", import.meta.url);
  const ms = (v: number) => v.toFixed(1);
  const section = `## Admin propagation

A rule edited through one instance, served by another: two service processes
(\`bun run src/main.ts\`, \`AUTH_MODE=dev\`) on one fresh PostgreSQL database, one section gated
by one rule. The rule is flipped through A's admin API ${result.n} times, ${GAP_BETWEEN_EDITS_MS} ms apart;
each sample is the time from A's 2xx answer (the transaction has committed by then) to the
first \`/user.tabs\` from B that reflects the change, polling B every 2 ms (so figures carry
about 2 ms of polling granularity). Path: commit → \`catalog_state\` trigger → NOTIFY → B's
LISTEN → snapshot rebuild (read catalog, compile rules, load sandboxes) → swap. A sample near
5 s would mean a lost notification, caught by the periodic version check.

Command: \`DATABASE_URL=postgres://postgres@127.0.0.1:5432/test bun run bench/catalog-propagation.ts --write\`
Machine: the shared 2-core dev box (noisy), bun ${Bun.version}, PostgreSQL on 127.0.0.1. Run at ${new Date().toISOString()}.

| edits | min ms | median ms | p95 ms | max ms |
| ---: | ---: | ---: | ---: | ---: |
| ${result.n} | ${ms(result.min)} | ${ms(result.median)} | ${ms(result.p95)} | ${ms(result.max)} |

Goal: median under 100 ms, never over 1 s. All samples (ms, sorted): ${result.samples.map(ms).join(", ")}.
`;
  const current = readFileSync(path, "utf8");
  const start = current.indexOf("## Admin propagation");
  let next: string;
  if (start === -1) {
    next = `${current.trimEnd()}\n\n${section}`;
  } else {
    const after = current.indexOf("\n## ", start + 1);
    next = `${current.slice(0, start)}${section}${after === -1 ? "" : `\n${current.slice(after + 1)}`}`;
  }
  writeFileSync(path, next);
}
