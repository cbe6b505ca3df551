import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Database } from "../../src/db/index.ts";
import { schema } from "../../src/db/index.ts";
import { employeeChunks } from "../../src/directory/index.ts";
import {
  type EmployeeEvidence,
  type MockSap,
  type Platform,
  requestExtras,
} from "../../src/evidence/index.ts";
import { createMemoryLogger } from "../../src/log.ts";
import {
  compileRuleset,
  createRuleEvaluator,
  type RuleDefinition,
  type RuleEvaluator,
} from "../../src/rules/index.ts";
import { freshDatabase } from "../support/database.ts";
import { directoryApp, startDirectoryMock } from "./support.ts";

// A whole directory through real sandboxes on a shared, busy machine.
setDefaultTimeout(180_000);

const NOW = new Date("2026-12-01T09:30:00Z");
/** Generous, so that a busy machine does not make an ordinary rule overrun (in either evaluator). */
const BUDGET_MS = "2000";

let mock: MockSap;
let database: Database;
let app: Awaited<ReturnType<typeof directoryApp>>;
let evaluator: RuleEvaluator;
const employees: EmployeeEvidence[] = [];

const SAVED: RuleDefinition[] = [
  {
    id: 1,
    name: "is_cashier",
    kind: "expression",
    expression: `roles.includes("cashier")`,
    appCodes: [],
    version: 1,
  },
  { id: 2, name: "in_moscow", kind: "expression", expression: `region === "R077"`, appCodes: [], version: 1 },
];

beforeAll(async () => {
  mock = await startDirectoryMock({ size: 2000 });
  database = await freshDatabase();
  for (const rule of SAVED) {
    await database.db.insert(schema.rules).values({ ...rule, title: rule.name, dependsOn: [] });
  }
  app = await directoryApp(database, mock, {}, { RULE_BUDGET_MS: BUDGET_MS }, () => NOW);
  await app.ctx.directory.requestSync("manual");
  await app.ctx.directory.running();
  for await (const chunk of employeeChunks(database.db, 1000)) employees.push(...chunk);
  evaluator = createRuleEvaluator({
    budgetMs: Number(BUDGET_MS),
    workers: 1,
    resultCacheSize: 0,
    logger: createMemoryLogger(),
  });
});
afterAll(async () => {
  await evaluator.close();
  await app.stop();
  await database.close();
  await mock.close();
});

/** The normal evaluator, one employee at a time, over the same copy. */
async function oneByOne(expression: string, platform: Platform = "web") {
  const candidate: RuleDefinition = {
    id: 99,
    name: "candidate",
    kind: "expression",
    expression,
    appCodes: [],
    version: 1,
  };
  const ruleset = compileRuleset([...SAVED, candidate]);
  await evaluator.prepare(ruleset);
  const counts = { matches: 0, errors: 0, not: 0 };
  for (const e of employees) {
    const outcome = (
      await evaluator.evaluate(ruleset, { ...e, ...requestExtras(NOW, "Europe/Moscow", platform) })
    ).get("candidate");
    if (!outcome?.ok) counts.errors++;
    else if (outcome.value) counts.matches++;
    else counts.not++;
  }
  return counts;
}

async function impact(expression: string, platform?: Platform) {
  const answer = await app.admin("/admin/rules/impact", { method: "POST", json: { expression, platform } });
  expect(answer.status).toBe(200);
  return answer.json();
}

describe("impact estimate over the directory copy", () => {
  test.each([
    ["saved rules", `is_cashier && in_moscow`, "web"],
    ["helpers", `roles.includes("store_director") || is_manager && hasApp("vacation_approval")`, "web"],
    ["throws for some", `orgunit_path[4].length > 0`, "web"],
    ["dates and platform", `isBirthday() || age() > 50 || platform === "ios"`, "ios"],
    [
      "a 900-number list",
      `[${Array.from({ length: 900 }, (_, i) => 1 + i * 2).join(", ")}].includes(Number(personnel_number))`,
      "web",
    ],
  ] as Array<[string, string, Platform]>)(
    "counts equal evaluating it one by one: %s",
    async (_label, expression, platform) => {
      const [estimate, expected] = await Promise.all([
        impact(expression, platform),
        oneByOne(expression, platform),
      ]);
      expect(estimate).toMatchObject({
        total: 2000,
        evaluated: 2000,
        matches: expected.matches,
        errors: expected.errors,
        cut_short: null,
      });
      expect(estimate.directory_synced_at).toBe((await app.ctx.directory.status()).synced_at);
      const byPernr = new Map(employees.map((e) => [e.personnel_number, e]));
      for (const sample of estimate.sample_matching) {
        expect(sample.full_name).toBe(byPernr.get(sample.personnel_number)?.full_name ?? "?");
      }
      expect(estimate.sample_matching.length).toBe(Math.min(5, expected.matches));
      expect(estimate.sample_not.length).toBe(Math.min(5, expected.not));
      if (expected.errors > 0) {
        expect(estimate.first_errors[0]).toMatchObject({ kind: "throw" });
        expect(byPernr.has(estimate.first_errors[0].personnel_number)).toBe(true);
      }
    },
  );

  test("two estimates at once: the second waits its turn, both are answered", async () => {
    const [a, b] = await Promise.all([impact("is_cashier"), impact("in_moscow")]);
    expect(a.total + b.total).toBe(4000);
    expect(a.matches).toBe((await oneByOne("is_cashier")).matches);
    expect(b.matches).toBe((await oneByOne("in_moscow")).matches);
  });

  test("a saved rule's impact: GET /admin/rules/:id/impact", async () => {
    const answer = await app.admin("/admin/rules/1/impact");
    expect(answer.status).toBe(200);
    const expected = await oneByOne("is_cashier");
    expect(await answer.json()).toMatchObject({ matches: expected.matches, total: 2000 });
    expect((await app.admin("/admin/rules/999/impact")).status).toBe(404);
  });

  test("an invalid expression is 422 with line and column; nothing is evaluated", async () => {
    const answer = await app.admin("/admin/rules/impact", {
      method: "POST",
      json: { expression: "roles.includes(" },
    });
    expect(answer.status).toBe(422);
    const body = await answer.json();
    expect(body.error.code).toBe("invalid_rule");
    expect(body.error.details[0]).toMatchObject({ line: 1 });
  });

  test("a rule that overruns for one employee: that employee is an error, the rest are counted", async () => {
    const slow = `personnel_number === "00000042" && Array.from({ length: 6000 }).every(() => Array.from({ length: 6000 }).every(() => true))`;
    const estimate = await impact(slow);
    expect(estimate).toMatchObject({ total: 2000, evaluated: 2000, matches: 0, errors: 1, cut_short: null });
    expect(estimate.first_errors).toEqual([
      {
        personnel_number: "00000042",
        kind: "budget",
        message: `stopped: the rule ran over its ${BUDGET_MS} ms budget`,
      },
    ]);
  });

  test("more estimates at once than may wait: the rest are 429 busy with Retry-After, none is lost", async () => {
    // One runs and four may wait (the pool's bound); twelve arriving together overflow it.
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        app.admin("/admin/rules/impact", { method: "POST", json: { expression: "is_cashier" } }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    const [refused] = answers.filter((a) => a.status === 429);
    if (!refused) throw new Error("no estimate was refused");
    expect(refused.headers.get("retry-after")).toBe("2");
    expect((await refused.json()).error.code).toBe("busy");
    for (const done of answers.filter((a) => a.status === 200)) {
      expect(await done.json()).toMatchObject({ total: 2000, evaluated: 2000 });
    }
  });

  test("a rule that hangs the sandbox: 503, and the next estimate works (a new process, the copy reloaded)", async () => {
    const hang = `Object.assign([], { length: 2 ** 32 - 1 }).includes(1)`;
    const answer = await app.admin("/admin/rules/impact", { method: "POST", json: { expression: hang } });
    expect(answer.status).toBe(503);
    expect((await answer.json()).error.message).toContain("hung or crashed");
    const after = await impact("is_cashier");
    expect(after).toMatchObject({ total: 2000, evaluated: 2000 });
  });
});
