/**
 * How long a rule edited through one instance takes to be served by another, and how long a new
 * instance takes to be ready, with the catalog at scale: 100 and 1,000 realistic rules
 * (bench/rules-fixtures.ts) and 200 rules of ~19 KB (long literal lists).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test bun run bench/catalog-propagation.ts \
 *     [--edits 30] [--catalogs 100,1000,large] [--compare /tmp/before] [--write]
 *
 * Per catalog: a fresh PostgreSQL database beside DATABASE_URL's, the rules written straight
 * into it (one catalog version), then two service processes (A, B) started one after the other:
 * each one's time from spawn to its first 200 from /readyz is a "new instance ready" sample.
 * Through A, a probe rule gating one section is created and flipped `--edits` times, 100 ms
 * apart; each sample is the time from A's 2xx answer (committed) to the first /user.tabs from B
 * that reflects it, polling B every 2 ms. With the large catalog the probe is itself a ~19 KB
 * rule whose list changes on every edit. `--compare` runs the same with another checkout (e.g.
 * `git archive HEAD | tar -x -C /tmp/before`, with node_modules linked in) right before each
 * run of this tree, so both see the same machine. `--write` puts the tables into
 * bench/RESULTS.md, between the markers of "## Catalog at scale".
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { openDatabase } from "../src/db/index.ts";
import { DEMO_EMPLOYEES } from "../src/evidence/mock-sap/directory.ts";
import type { RuleDefinition } from "../src/rules/index.ts";
import { generateLargeRules, generateRules } from "../test/support/rule-fixtures.ts";
import {
  client,
  createDatabase,
  createProbe,
  type Instance,
  probeExpression,
  setProbe,
  startInstance,
  waitForProbe,
} from "../test/support/service-instances.ts";
import { quantile, writeRulesAsOneVersion } from "./support.ts";

const { values } = parseArgs({
  options: {
    edits: { type: "string", default: "30" },
    catalogs: { type: "string", default: "100,1000,large" },
    compare: { type: "string" },
    write: { type: "boolean", default: false },
  },
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
const THIS_TREE = new URL("..", import.meta.url).pathname;

const CATALOGS: Record<string, { label: string; rules: () => RuleDefinition[]; longProbe: boolean }> = {
  "100": { label: "100 rules", rules: () => generateRules(100), longProbe: false },
  "1000": { label: "1,000 rules", rules: () => generateRules(1000), longProbe: false },
  large: { label: "200 × 19 KB", rules: () => generateLargeRules(200), longProbe: true },
};

/** A ~19 KB probe: a list of 1,550 personnel numbers that differs on every edit. */
const longProbe = (edit: number) => (visible: boolean) => {
  const numbers = Array.from({ length: 1550 }, (_, i) =>
    JSON.stringify(String(((edit * 1550 + i) * 7919) % 100_000_000).padStart(8, "0")),
  );
  return `[${numbers.join(", ")}].includes(personnel_number) ${visible ? "|| personnel_number !== ''" : "&& personnel_number === ''"}`;
};

interface Run {
  catalog: string;
  tree: string;
  ready: number[];
  samples: number[];
}

/** Writes the catalog straight into the database, as one admin transaction would: one version. */
async function seed(url: string, rules: RuleDefinition[]) {
  const database = await openDatabase({ kind: "postgres", url });
  try {
    await writeRulesAsOneVersion(database, rules);
  } finally {
    await database.close();
  }
}

async function measure(catalogKey: string, treeLabel: string, root: string): Promise<Run> {
  const catalog = CATALOGS[catalogKey];
  if (!catalog) throw new Error(`unknown catalog ${catalogKey}`);
  const database = await createDatabase(baseUrl as string, "lk_scale");
  const instances: Instance[] = [];
  try {
    await seed(database.url, catalog.rules());
    const start = async (name: string) => {
      const instance = await startInstance(name, {
        databaseUrl: database.url,
        adminToken: ADMIN_TOKEN,
        root,
        readyPollMs: 10,
      });
      instances.push(instance);
      return instance;
    };
    const a = await start("A");
    const viaA = client(a, ADMIN_TOKEN);
    const probe = await createProbe(viaA);
    const b = await start("B");
    const viaB = client(b, ADMIN_TOKEN);
    await waitForProbe(viaB, EMPLOYEE, false, 30_000);
    let ruleVersion = 1;
    const samples: number[] = [];
    for (let i = 0; i < edits; i++) {
      const visible = i % 2 === 0;
      const expression = catalog.longProbe ? longProbe(i) : probeExpression;
      const changed = await setProbe(viaA, probe.ruleId, ruleVersion, visible, expression);
      const answeredAt = performance.now();
      ruleVersion = changed.version;
      const servedAt = await waitForProbe(viaB, EMPLOYEE, visible, 30_000);
      samples.push(servedAt - answeredAt);
      await Bun.sleep(GAP_BETWEEN_EDITS_MS);
    }
    const run = { catalog: catalog.label, tree: treeLabel, ready: [a.readyMs, b.readyMs], samples };
    console.log(`${catalog.label}, ${treeLabel}: ${summary(run)}`);
    return run;
  } finally {
    for (const instance of instances) await instance.stop();
    await database.drop();
  }
}

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));

function stats(run: Run) {
  const s = [...run.samples].sort((x, y) => x - y);
  return { min: s[0] ?? Number.NaN, median: quantile(s, 0.5), p95: quantile(s, 0.95), max: quantile(s, 1) };
}

function summary(run: Run): string {
  const s = stats(run);
  return `edit → B: median ${ms(s.median)} ms, max ${ms(s.max)} ms; ready ${run.ready.map(ms).join(" / ")} ms`;
}

const runs: Run[] = [];
for (const key of (values.catalogs ?? "").split(",").filter(Boolean)) {
  if (values.compare) runs.push(await measure(key, "before", values.compare));
  runs.push(await measure(key, "after", THIS_TREE));
}

const rows = runs.map((run) => {
  const s = stats(run);
  return `| ${run.catalog} | ${run.tree} | ${run.samples.length} | ${ms(s.min)} | ${ms(s.median)} | ${ms(s.p95)} | ${ms(s.max)} | ${run.ready.map(ms).join(" / ")} |`;
});
const ratios = values.compare
  ? [...new Set(runs.map((r) => r.catalog))].map((catalog) => {
      const [b, a] = ["before", "after"].map((tree) =>
        runs.find((r) => r.catalog === catalog && r.tree === tree),
      );
      if (!a || !b) return "";
      const sb = stats(b);
      const sa = stats(a);
      const readyB = Math.max(...b.ready);
      const readyA = Math.max(...a.ready);
      return `| ${catalog} | ${(sb.median / sa.median).toFixed(1)}× | ${(sb.max / sa.max).toFixed(1)}× | ${(readyB / readyA).toFixed(1)}× |`;
    })
  : [];
const table = [
  `bun ${Bun.version}, ${navigator.hardwareConcurrency} cores, PostgreSQL on 127.0.0.1, ${new Date().toISOString()}`,
  "",
  "| catalog | tree | edits | min ms | median ms | p95 ms | max ms | new instance ready, ms (A / B) |",
  "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...rows,
  ...(ratios.length > 0
    ? [
        "",
        "| catalog | median, before / after | max, before / after | ready (slower of A, B), before / after |",
        "| --- | ---: | ---: | ---: |",
        ...ratios,
      ]
    : []),
  "",
  `All samples (ms, sorted): ${runs
    .map(
      (r) =>
        `${r.catalog} ${r.tree}: ${[...r.samples]
          .sort((x, y) => x - y)
          .map(ms)
          .join(", ")}`,
    )
    .join("; ")}.`,
].join("\n");
console.log(`\n${table}`);

if (values.write) {
  const path = new URL("./RESULTS.md", import.meta.url);
  const begin = "<!-- catalog-at-scale:figures -->";
  const end = "<!-- /catalog-at-scale:figures -->";
  const current = readFileSync(path, "utf8");
  const from = current.indexOf(begin);
  const to = current.indexOf(end);
  if (from === -1 || to === -1) {
    console.error(`bench/RESULTS.md has no ${begin} … ${end} markers; not written`);
  } else {
    writeFileSync(path, `${current.slice(0, from + begin.length)}\n${table}\n${current.slice(to)}`);
    console.log('bench/RESULTS.md: "## Catalog at scale" figures updated');
  }
}
process.exit(0);
