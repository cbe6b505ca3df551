import { heapStats } from "bun:jsc";
import { afterEach, describe, expect, test } from "bun:test";
import { type EmployeeEvidence, generateEmployee, mapSapEmployee } from "../../src/evidence/index.ts";
import { sapFixtures } from "./helpers.ts";

/**
 * Decoded evidence is compact (repeated values and lists kept once, src/evidence/map.ts) and
 * immutable: the evidence cache hands the same object to every request for an employee, and
 * its lists to every employee that has the same ones.
 */
const decode = (n: number): EmployeeEvidence => mapSapEmployee(generateEmployee(String(n).padStart(8, "0")));

/** Two demo employees with the same org path and roles, decoded separately. */
function colleagues(): [EmployeeEvidence, EmployeeEvidence] {
  const seen = new Map<string, number>();
  for (let n = 1; n <= 5000; n++) {
    const e = decode(n);
    const key = `${e.orgunit_path.join("/")}|${e.roles.join(";")}`;
    const first = seen.get(key);
    if (first !== undefined) return [decode(first), e];
    seen.set(key, n);
  }
  throw new Error("no two demo employees share an org unit and roles");
}

function expectImmutable(evidence: EmployeeEvidence): void {
  expect(Object.isFrozen(evidence)).toBe(true);
  for (const list of [evidence.orgunit_path, evidence.roles, evidence.apps]) {
    expect(Object.isFrozen(list)).toBe(true);
    expect(() => list.push("x")).toThrow(TypeError);
  }
  expect(() => {
    evidence.orgunit_path[0] = "x";
  }).toThrow(TypeError);
  expect(() => {
    evidence.region = "x";
  }).toThrow(TypeError);
}

describe("decoded evidence", () => {
  test("employees with the same lists share one frozen copy of each", () => {
    const [a, b] = colleagues();
    expect(a.personnel_number).not.toBe(b.personnel_number);
    expect(b.orgunit_path).toBe(a.orgunit_path);
    expect(b.roles).toBe(a.roles);
    expect(b.apps).toBe(a.apps);
    expectImmutable(a);
    expectImmutable(b);
    expect(decode(Number(a.personnel_number))).toEqual(a); // nothing was changed by the attempts
  });

  test("lists that differ are not shared, even when joined they would read alike", () => {
    const [a] = colleagues();
    const entity = generateEmployee(a.personnel_number);
    if (!entity) throw new Error("demo employee expected");
    const split = mapSapEmployee({ ...entity, OrgPath: "a\u0000b" });
    const two = mapSapEmployee({ ...entity, OrgPath: "a/b" });
    expect(split.orgunit_path).toEqual(["a\u0000b"]);
    expect(two.orgunit_path).toEqual(["a", "b"]);
  });

  test("values repeated across employees are kept once: few strings per decoded employee", async () => {
    const settle = async () => {
      for (let i = 0; i < 3; i++) {
        Bun.gc(true);
        await Bun.sleep(10);
      }
      return (heapStats().objectTypeCounts as Record<string, number>).string ?? 0;
    };
    decode(1); // the module's own strings first
    const before = await settle();
    const kept: EmployeeEvidence[] = [];
    for (let n = 1; n <= 3000; n++) kept.push(decode(1 + ((n * 97) % 300_000)));
    const perEmployee = ((await settle()) - before) / kept.length;
    // Each one's own: its number, name, position id and (mostly) dates. Without interning every
    // field and list entry is a string of its own: ~21 per employee.
    expect(perEmployee).toBeLessThan(8);
    expect(kept).toHaveLength(3000);
  });
});

describe("evidence from the cache", () => {
  const sap = sapFixtures();
  afterEach(() => sap.closeAll());

  test("a memory hit is the same immutable object each time", async () => {
    const { source } = await sap.setup();
    const first = await source.lookup("12");
    const again = await source.lookup("00000012");
    if (first.kind !== "found" || again.kind !== "found") throw new Error("expected found");
    expect(again.evidence).toBe(first.evidence);
    expectImmutable(first.evidence);
    const third = await source.lookup("12");
    if (third.kind === "found") expect(third.evidence.orgunit_path).not.toContain("x");
  });
});
