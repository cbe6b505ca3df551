import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type CatalogSnapshot, CatalogStore } from "../../src/catalog/index.ts";
import type { Database } from "../../src/db/index.ts";
import { createMemoryLogger } from "../../src/log.ts";
import { createMetrics } from "../../src/metrics.ts";
import { createRuleEvaluator, type RuleEvaluator } from "../../src/rules/index.ts";
import { catalogWriter } from "../support/catalog.ts";
import { freshDatabase } from "../support/database.ts";

// How a snapshot gets replaced: NOTIFY, the periodic version check when a NOTIFY is lost, and
// a failed rebuild that leaves the old snapshot serving.
let database: Database;
let evaluator: RuleEvaluator;
beforeAll(async () => {
  database = await freshDatabase();
  evaluator = createRuleEvaluator({ budgetMs: 50, workers: 1, logger: createMemoryLogger() });
});
afterAll(async () => {
  await evaluator.close();
  await database.close();
});

function nextSwap(store: CatalogStore, after: number): Promise<CatalogSnapshot> {
  return new Promise((resolve) => {
    const stop = store.onSwap((snapshot) => {
      if (snapshot.catalogVersion <= after) return;
      stop();
      resolve(snapshot);
    });
  });
}

function makeStore(overrides: { database?: Database; evaluator?: RuleEvaluator; pollMs?: number } = {}) {
  const logger = createMemoryLogger();
  const metrics = createMetrics();
  const store = new CatalogStore({
    database: overrides.database ?? database,
    evaluator: overrides.evaluator ?? evaluator,
    logger,
    metrics,
    pollMs: overrides.pollMs ?? 3_600_000,
  });
  return { store, logger, metrics };
}

describe("CatalogStore", () => {
  test("a committed change arrives by NOTIFY, with no reload call and no polling", async () => {
    const { store } = makeStore();
    await store.start();
    const before = store.snapshot?.catalogVersion ?? 0;
    const swapped = nextSwap(store, before);
    await catalogWriter(database.db).rule("by_notify", "true");
    const snapshot = await swapped;
    expect(snapshot.ruleset.rules.map((r) => r.name)).toContain("by_notify");
    await store.stop();
  });

  test("when the NOTIFY is lost, the periodic version check picks the change up", async () => {
    const deaf: Database = { ...database, listen: async () => async () => {} };
    const { store } = makeStore({ database: deaf, pollMs: 50 });
    await store.start();
    const before = store.snapshot?.catalogVersion ?? 0;
    const swapped = nextSwap(store, before);
    await catalogWriter(database.db).rule("by_polling", "true");
    expect((await swapped).ruleset.rules.map((r) => r.name)).toContain("by_polling");
    await store.stop();
  });

  test("a rebuild that fails keeps the previous snapshot serving, logged and counted", async () => {
    let failing = false;
    const flaky: RuleEvaluator = {
      prepare: (ruleset) =>
        failing ? Promise.reject(new Error("sandbox unavailable")) : evaluator.prepare(ruleset),
      evaluate: (ruleset, evidence) => evaluator.evaluate(ruleset, evidence),
      close: async () => {},
    };
    const { store, logger, metrics } = makeStore({ evaluator: flaky });
    await store.start();
    const serving = store.snapshot;
    expect(serving).not.toBeNull();

    failing = true;
    await catalogWriter(database.db).rule("during_outage", "true");
    await store.reload();
    expect(store.snapshot).toBe(serving as CatalogSnapshot);
    expect(
      logger.lines.some((l) => l.level === "error" && l.msg.includes("previous snapshot keeps serving")),
    ).toBe(true);
    // The write's own NOTIFY may trigger a second failing rebuild: at least one is counted.
    expect(await metrics.registry.getSingleMetricAsString("lk_catalog_rebuilds_total")).toMatch(
      /outcome="error"\} [1-9]/,
    );

    failing = false;
    await store.reload();
    expect(store.snapshot?.ruleset.rules.map((r) => r.name)).toContain("during_outage");
    await store.stop();
  });

  test("reloads asked for during a rebuild are folded into one more rebuild, never lost", async () => {
    const { store } = makeStore();
    await store.start();
    const write = catalogWriter(database.db);
    await write.rule("burst_a", "true");
    const first = store.reload();
    await write.rule("burst_b", "true");
    const second = store.reload();
    await Promise.all([first, second]);
    expect(store.snapshot?.ruleset.rules.map((r) => r.name)).toEqual(
      expect.arrayContaining(["burst_a", "burst_b"]),
    );
    await store.stop();
  });
});
