/**
 * The trial's sample from the demo directory and from recently seen evidence, over HTTP; and
 * every rule of the demo catalog passes the trial.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { asc } from "drizzle-orm";
import { schema } from "../../src/db/index.ts";
import { seedDemoCatalog } from "../../src/demo/index.ts";
import type { EmployeeEvidence } from "../../src/evidence/schema.ts";
import { StaticEvidenceSource } from "../../src/evidence/source.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { makeEmployee } from "../support/employees.ts";
import { expectOk, STARTUP_TIMEOUT_MS } from "./support.ts";

interface ValidateAnswer {
  valid: boolean;
  trial: {
    passed: boolean;
    problems: unknown[];
    warnings: Array<{ message: string; personnel_number?: string }>;
    sample: { size: number; origin: string };
    evaluated: number;
    ms: number;
  } | null;
}

const validate = (t: TestApp, body: Record<string, unknown>) =>
  expectOk<ValidateAnswer>(t.admin("/admin/rules/validate", { method: "POST", json: body }));

describe("with the demo SAP directory", () => {
  let t: TestApp;
  beforeAll(async () => {
    // What createEvidenceSource answers without SAP_BASE_URL: a source flagged as the demo.
    const evidence = Object.assign(new StaticEvidenceSource(new Map()), { demo: true });
    t = await createTestApp({ evidence });
    await seedDemoCatalog(t.db);
  }, STARTUP_TIMEOUT_MS);
  afterAll(() => t?.close());

  test("every rule of the demo catalog passes the trial", async () => {
    const rules = await t.db.select().from(schema.rules).orderBy(asc(schema.rules.id));
    expect(rules.length).toBeGreaterThan(40);
    const refused: string[] = [];
    for (const rule of rules) {
      const answer = await validate(t, {
        name: rule.name,
        kind: rule.kind,
        expression: rule.expression,
        app_codes: rule.appCodes,
      });
      expect(answer.valid).toBe(true);
      expect(answer.trial?.sample).toEqual({ size: 128, origin: "demo", synthetic: 14 } as never);
      if (!answer.trial?.passed) refused.push(`${rule.name}: ${JSON.stringify(answer.trial?.problems)}`);
    }
    expect(refused).toEqual([]);
  });

  test("the sample holds the demo personas", async () => {
    // Throws only for the Moscow store director persona: a warning naming her.
    const answer = await validate(t, {
      expression: 'personnel_number === "00217542" ? roles.include(1) : is_manager',
    });
    expect(answer.trial?.warnings[0]?.personnel_number).toBe("00217542");
  });
});

describe("with a real SAP: recently seen evidence", () => {
  let t: TestApp;
  const seen: EmployeeEvidence[] = Array.from({ length: 30 }, (_, i) =>
    makeEmployee({ personnel_number: String(555_000 + i).padStart(8, "0") }),
  );
  beforeAll(async () => {
    // The SAP-backed source offers what its cache holds; here, a fixed list.
    const evidence = Object.assign(new StaticEvidenceSource(new Map()), {
      demo: false,
      recentEvidence: (limit: number) => seen.slice(0, limit),
    });
    t = await createTestApp({ evidence });
  }, STARTUP_TIMEOUT_MS);
  afterAll(() => t?.close());

  test("the sample is drawn from them, with the synthetic ones and a demo top-up", async () => {
    const answer = await validate(t, {
      expression: 'personnel_number === "00555007" ? roles.include(1) : is_manager',
    });
    expect(answer.trial?.sample).toEqual({ size: 128, origin: "recent", synthetic: 14 } as never);
    expect(answer.trial?.warnings[0]?.personnel_number).toBe("00555007");
  });
});
