import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import {
  bumpCatalogVersion,
  type CatalogSnapshot,
  CatalogStore,
  loadCatalogData,
} from "../../src/catalog/index.ts";
import { type Database, schema } from "../../src/db/index.ts";
import { createMemoryLogger } from "../../src/log.ts";
import { createMetrics } from "../../src/metrics.ts";
import { createRuleEvaluator, type RuleEvaluator } from "../../src/rules/index.ts";
import { employee } from "../rules/support.ts";
import { freshDatabase } from "../support/database.ts";
import { generateRules } from "../support/rule-fixtures.ts";

// A rebuild after an edit compiles only what changed, and swaps the new snapshot in only once
// its program is loaded in the sandboxes; until then requests are served from the old one.

let database: Database;
let evaluator: RuleEvaluator;
beforeAll(async () => {
  database = await freshDatabase();
  evaluator = createRuleEvaluator({ budgetMs: 50, workers: 1, logger: createMemoryLogger() });
  await database.db.transaction(async (tx) => {
    const rules = generateRules(80, 41);
    await tx.insert(schema.rules).values(
      rules.map((r) => ({
        name: r.name,
        title: r.name,
        kind: r.kind,
        expression: r.expression,
        appCodes: r.appCodes,
      })),
    );
    await tx.insert(schema.rules).values([
      { name: "target", title: "target", expression: "region === 'R077'" },
      { name: "uses_target", title: "uses target", expression: "target && is_manager" },
    ]);
    await bumpCatalogVersion(tx);
  });
});
afterAll(async () => {
  await evaluator.close();
  await database.close();
});

function makeStore(over: RuleEvaluator = evaluator) {
  return new CatalogStore({
    database,
    evaluator: over,
    logger: createMemoryLogger(),
    metrics: createMetrics(),
    pollMs: 3_600_000,
  });
}

async function edit(name: string, change: { expression?: string; name?: string }) {
  await database.db.transaction(async (tx) => {
    await tx
      .update(schema.rules)
      .set({ ...change, version: sql`${schema.rules.version} + 1` })
      .where(eq(schema.rules.name, name));
    await bumpCatalogVersion(tx);
  });
}

describe("rebuilding the snapshot", () => {
  test("after an edit only the edited rule is compiled again", async () => {
    const store = makeStore();
    await store.start();
    expect(store.compileStats).toEqual({ compiled: 82, reused: 0 });
    await edit("rule_7", { expression: "is_manager && region === 'R050'" });
    await store.reload();
    expect(store.compileStats).toEqual({ compiled: 83, reused: 81 });
    const rule7 = store.snapshot?.ruleset.program?.rules.find((r) => r?.expression.includes("R050"));
    expect(rule7).toBeDefined();
    await store.stop();
  });

  test("a rule naming a renamed rule is compiled again, and broken until it is fixed", async () => {
    const store = makeStore();
    await store.start();
    expect(store.snapshot?.ruleset.broken.size).toBe(0);
    await edit("target", { name: "target_renamed" });
    await store.reload();
    expect(store.snapshot?.ruleset.broken.get("uses_target")).toContain('unknown name "target"');
    const results = await evaluator.evaluate(
      store.snapshot?.ruleset as CatalogSnapshot["ruleset"],
      employee({ region: "R077" }),
    );
    expect(results.get("uses_target")?.ok).toBe(false);
    await edit("uses_target", { expression: "target_renamed && is_manager" });
    await store.reload();
    expect(store.snapshot?.ruleset.broken.size).toBe(0);
    const fixed = await evaluator.evaluate(
      store.snapshot?.ruleset as CatalogSnapshot["ruleset"],
      employee({ region: "R077" }),
    );
    expect(fixed.get("uses_target")).toEqual({ ok: true, value: true });
    await store.stop();
  });

  test("the new snapshot is swapped in only once its program is loaded; until then the old one serves", async () => {
    let release: () => void = () => {};
    let gated = false;
    const loading: RuleEvaluator = {
      async prepare(ruleset) {
        if (gated) await new Promise<void>((resolve) => (release = resolve));
        await evaluator.prepare(ruleset);
      },
      evaluate: (ruleset, evidence) => evaluator.evaluate(ruleset, evidence),
      close: async () => {},
    };
    const store = makeStore(loading);
    await store.start();
    const serving = store.snapshot as CatalogSnapshot;
    const before = await evaluator.evaluate(serving.ruleset, employee({ is_manager: true }));

    gated = true;
    await edit("rule_3", { expression: "false" });
    const rebuilt = store.reload();
    await Bun.sleep(50);
    expect(store.snapshot).toBe(serving); // still loading: the old snapshot serves, and works
    expect(await evaluator.evaluate(serving.ruleset, employee({ is_manager: true }))).toEqual(before);

    release();
    await rebuilt;
    expect(store.snapshot?.catalogVersion).toBeGreaterThan(serving.catalogVersion);
    const after = await evaluator.evaluate(
      store.snapshot?.ruleset as CatalogSnapshot["ruleset"],
      employee({ is_manager: true }),
    );
    expect(after.get("rule_3")).toEqual({ ok: true, value: false });
    await store.stop();
  });

  test("a re-read takes unchanged rule rows from the previous read, and only those", async () => {
    const first = await loadCatalogData(database.db);
    await edit("rule_11", { expression: "is_manager" });
    await database.db.transaction(async (tx) => {
      await tx.update(schema.rules).set({ enabled: false }).where(eq(schema.rules.name, "rule_12"));
      await bumpCatalogVersion(tx);
    });
    const second = await loadCatalogData(database.db, first);
    const fromScratch = await loadCatalogData(database.db);
    const byName = (data: typeof first) => new Map(data.rules.map((r) => [r.name, r]));
    expect([...byName(second).keys()].sort()).toEqual([...byName(fromScratch).keys()].sort());
    expect(byName(second).has("rule_12")).toBe(false);
    expect(byName(second).get("rule_11")?.expression).toBe("is_manager");
    expect(byName(second).get("rule_11")).not.toBe(byName(first).get("rule_11"));
    expect(byName(second).get("rule_13")).toBe(byName(first).get("rule_13") as never); // not read again
    const strip = (data: typeof first) =>
      [...byName(data).values()].map(({ updatedAt: _, ...rule }) => rule).sort((a, b) => a.id - b.id);
    expect(strip(second)).toEqual(strip(fromScratch));
  });
});
