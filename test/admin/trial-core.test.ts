/** The trial's pure core: the sample, its sources, the verdict, and the dependency closure. */
import { describe, expect, test } from "bun:test";
import { dependencyClosure } from "../../src/admin/rules/trial.ts";
import {
  awkwardEmployees,
  buildTrialSample,
  demoEmployees,
  TRIAL_SAMPLE_SIZE,
  withRequestExtras,
} from "../../src/admin/trial/sample.ts";
import { sourceEmployees, trialSampleSources } from "../../src/admin/trial/sources.ts";
import { judgeTrial, type TrialObservation } from "../../src/admin/trial/verdict.ts";
import { MemoryTier } from "../../src/evidence/cache.ts";
import { EmployeeEvidenceSchema } from "../../src/evidence/schema.ts";
import type { RuleOutcome } from "../../src/rules/index.ts";
import { makeEmployee } from "../support/employees.ts";

const TODAY = "2026-03-14";

describe("the sample", () => {
  test("awkward employees are valid evidence with SAP's gaps, each named", () => {
    const awkward = awkwardEmployees(TODAY);
    for (const employee of awkward) {
      expect(EmployeeEvidenceSchema.parse(employee.evidence)).toEqual(employee.evidence);
      expect(employee.synthetic).toBeTruthy();
    }
    const has = (pick: (e: (typeof awkward)[number]["evidence"]) => boolean) =>
      awkward.some((a) => pick(a.evidence));
    expect(has((e) => e.birthday === null)).toBe(true);
    expect(has((e) => e.hire_date === null)).toBe(true);
    expect(has((e) => e.roles.length === 0)).toBe(true);
    expect(has((e) => e.apps.length === 0)).toBe(true);
    expect(has((e) => e.store_id === null)).toBe(true);
    expect(has((e) => e.orgunit_path.length === 0)).toBe(true);
    expect(has((e) => e.gender === null)).toBe(true);
    expect(has((e) => e.birthday?.slice(5) === TODAY.slice(5))).toBe(true);
  });

  test("awkward first, then sourced ones spread over personnel numbers, topped up to the size", () => {
    const sourced = Array.from({ length: 500 }, (_, i) =>
      makeEmployee({ personnel_number: String(10_000 + i).padStart(8, "0") }),
    );
    const awkward = awkwardEmployees(TODAY);
    const sample = buildTrialSample({ awkward, sourced, topUp: demoEmployees(TRIAL_SAMPLE_SIZE) });
    expect(sample).toHaveLength(TRIAL_SAMPLE_SIZE);
    expect(sample.slice(0, awkward.length)).toEqual(awkward);
    const picked = sample.slice(awkward.length).map((e) => e.evidence.personnel_number);
    expect(picked[0]).toBe("00010000");
    expect(Number(picked.at(-1))).toBeGreaterThan(10_400); // spread, not the first ones
    // Any order in, the same sample out.
    const again = buildTrialSample({ awkward, sourced: [...sourced].reverse(), topUp: [] });
    expect(again).toEqual(sample);
  });

  test("with few or no sourced employees it is topped up from the demo directory, no repeats", () => {
    const sourced = [makeEmployee({ personnel_number: "00217542" })]; // also a demo persona
    const sample = buildTrialSample({
      awkward: awkwardEmployees(TODAY),
      sourced,
      topUp: demoEmployees(TRIAL_SAMPLE_SIZE),
    });
    expect(sample.length).toBeGreaterThanOrEqual(100);
    const numbers = sample.map((e) => e.evidence.personnel_number);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(sample.find((e) => e.evidence.personnel_number === "00217542")?.evidence).toBe(sourced[0]);
  });

  test("demo employees are deterministic and spread over the directory", () => {
    const demo = demoEmployees(TRIAL_SAMPLE_SIZE);
    expect(demo).toEqual(demoEmployees(TRIAL_SAMPLE_SIZE));
    expect(demo.length).toBe(TRIAL_SAMPLE_SIZE);
    expect(new Set(demo.map((e) => e.region)).size).toBeGreaterThan(5);
    expect(demo.some((e) => e.store_id === null)).toBe(true);
  });

  test("request extras: one moment, every platform in turn", () => {
    const sample = buildTrialSample({ awkward: awkwardEmployees(TODAY), sourced: [], topUp: [] });
    const evidence = withRequestExtras(sample, new Date("2026-03-14T09:30:00Z"), "Europe/Moscow");
    expect(evidence[0]).toMatchObject({ today: "2026-03-14", platform: "web" });
    expect(new Set(evidence.map((e) => e.platform))).toEqual(new Set(["web", "ios", "android"]));
    expect(new Set(evidence.map((e) => e.now)).size).toBe(1);
  });
});

describe("the sources", () => {
  const recent = [makeEmployee({ personnel_number: "00000777" })];

  test("the directory first, then the demo directory, then recently seen evidence", async () => {
    const directory = { origin: "directory" as const, employees: async () => [makeEmployee()] };
    const both = trialSampleSources({ demo: true, recentEvidence: () => recent }, directory);
    expect((await sourceEmployees(both, 10)).origin).toBe("directory");
    const demo = trialSampleSources({ demo: true, recentEvidence: () => recent });
    expect((await sourceEmployees(demo, 10)).origin).toBe("demo");
    const real = trialSampleSources({ demo: false, recentEvidence: () => recent });
    expect(await sourceEmployees(real, 10)).toEqual({ origin: "recent", employees: recent });
  });

  test("recently seen: what the evidence cache's memory tier holds, most recent first", async () => {
    const tier = new MemoryTier(10);
    const [a, b] = [
      makeEmployee({ personnel_number: "00000001" }),
      makeEmployee({ personnel_number: "00000002" }),
    ];
    await tier.set("00000001", { kind: "found", evidence: a, fetchedAt: 0 });
    await tier.set("00000009", { kind: "unknown", fetchedAt: 0 });
    await tier.set("00000002", { kind: "found", evidence: b, fetchedAt: 0 });
    expect(tier.recent(10)).toEqual([b, a]);
    expect(tier.recent(1)).toEqual([b]);
  });

  test("an empty or failing source falls through; nothing at all is synthetic", async () => {
    const errors: string[] = [];
    const failing = { origin: "directory" as const, employees: () => Promise.reject(new Error("down")) };
    const sources = trialSampleSources({ recentEvidence: () => [] }, failing);
    expect(await sourceEmployees(sources, 10, (origin) => errors.push(origin))).toEqual({
      origin: "synthetic",
      employees: [],
    });
    expect(errors).toEqual(["directory"]);
  });
});

const ok = (value: boolean): RuleOutcome => ({ ok: true, value });
const threw = (error = "TypeError: x"): RuleOutcome => ({ ok: false, kind: "throw", error });
const observe = (outcomes: RuleOutcome[]): TrialObservation[] =>
  outcomes.map((outcome, i) => ({ personnelNumber: String(i + 1).padStart(8, "0"), outcome }));
const judge = (
  outcomes: RuleOutcome[],
  extra: { sampleSize?: number; constant?: boolean; cutShort?: boolean } = {},
) =>
  judgeTrial({
    observations: observe(outcomes),
    sampleSize: extra.sampleSize ?? outcomes.length,
    constant: extra.constant ?? false,
    cutShort: extra.cutShort ?? false,
    budgetMs: 50,
    timeLimitMs: 1000,
  });

describe("the verdict", () => {
  test.each(["budget", "oom", "hang", "crash", "load", "compile", "skipped"] as const)(
    "one %s refuses, naming the employee",
    (kind) => {
      const verdict = judge([ok(true), { ok: false, kind, error: "boom" }, ok(false)]);
      expect(verdict.passed).toBe(false);
      expect(verdict.problems).toEqual([
        { message: expect.stringContaining("boom"), personnel_number: "00000002", kind },
      ]);
    },
  );

  test("failing for everyone refuses, listing each distinct error once", () => {
    const verdict = judge([threw("A"), threw("B"), threw("A"), { ok: false, kind: "stack", error: "C" }]);
    expect(verdict.passed).toBe(false);
    expect(verdict.problems.map((p) => [p.personnel_number, p.kind])).toEqual([
      ["00000001", "throw"],
      ["00000002", "throw"],
      ["00000004", "stack"],
    ]);
  });

  test("failing for some is a warning; so is true (false) for all the rest", () => {
    const verdict = judge([threw(), ok(true), ok(true)]);
    expect(verdict.passed).toBe(true);
    expect(verdict.warnings).toEqual([
      { message: expect.stringContaining("fails for 1 of 3"), personnel_number: "00000001" },
      { message: expect.stringContaining("true for every sample employee (all 2 it did not fail for)") },
    ]);
    expect(judge([ok(false), ok(false)]).warnings[0]?.message).toContain("false for every");
  });

  test("a constant rule gets no true-for-all warning; a mixed one none at all", () => {
    expect(judge([ok(true), ok(true)], { constant: true }).warnings).toEqual([]);
    expect(judge([ok(true), ok(false)]).warnings).toEqual([]);
  });

  test("cut short: a warning, and failing for all that ran is not 'failing for everyone'", () => {
    const verdict = judge([threw(), threw()], { sampleSize: 128, cutShort: true });
    expect(verdict.passed).toBe(true);
    expect(verdict.warnings.at(-1)?.message).toContain("ran 2 of 128");
  });
});

describe("dependency closure", () => {
  test("follows depends_on transitively, ignoring unknown names and cycles", () => {
    const rules = [
      { id: 1, name: "a", enabled: true, dependsOn: ["b"] },
      { id: 2, name: "b", enabled: true, dependsOn: ["c", "a"] },
      { id: 3, name: "c", enabled: true, dependsOn: [] },
      { id: 4, name: "d", enabled: true, dependsOn: [] },
    ];
    expect(dependencyClosure(["a", "ghost"], rules)).toEqual(["a", "b", "c"]);
    expect(dependencyClosure([], rules)).toEqual([]);
  });
});
