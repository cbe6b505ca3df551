import { describe, expect, test } from "bun:test";
import { EmployeeEvidenceSchema, mapSapEmployee } from "../../src/evidence/index.ts";
import {
  APP_CODES,
  CLUSTERS,
  DEMO_EMPLOYEES,
  DIVISIONS,
  describeSlot,
  EMPLOYEE_COUNT,
  generateEmployee,
  layoutSlotOfNumber,
  OFFICE_DEPARTMENTS,
  ORG_ROOT,
  POSITIONS,
  pernrOfSlot,
  REGION_STORE_COUNTS,
  REGIONS,
  ROLE_APPS,
  ROLES,
  STORES,
} from "../../src/evidence/mock-sap/directory.ts";

const pernr = (n: number) => String(n).padStart(8, "0");

describe("demo directory", () => {
  test("deterministic: the same personnel number gives the same entity", () => {
    for (const n of [1, 2, 12345, 217542, 299999, 300000]) {
      expect(generateEmployee(pernr(n))).toEqual(generateEmployee(pernr(n)));
    }
    // Pinned so an accidental change to the generator (which the demo catalog relies on) shows.
    expect(generateEmployee("00217542")).toMatchObject({
      Ename: "Борисова Оксана Игоревна",
      PlansText: "Директор магазина",
      StoreId: "S07701",
      OrgPath: "50000000/50000100/50623875/50507700/51007919",
    });
  });

  test("exactly 00000001..00300000 exist", () => {
    expect(generateEmployee("00000000")).toBeUndefined();
    expect(generateEmployee("00300001")).toBeUndefined();
    expect(generateEmployee("1")).toBeUndefined();
    expect(generateEmployee("00000001")).toBeDefined();
    expect(generateEmployee("00300000")).toBeDefined();
  });

  test("the personnel number → layout permutation is a bijection", () => {
    const seen = new Uint8Array(EMPLOYEE_COUNT);
    for (let n = 1; n <= EMPLOYEE_COUNT; n++) seen[layoutSlotOfNumber(n)] = 1;
    expect(seen.every((x) => x === 1)).toBe(true);
    for (const slot of [0, 1, 143, 288_000, 299_999])
      expect(layoutSlotOfNumber(Number(pernrOfSlot(slot)))).toBe(slot);
  });

  test("plausible distribution: ~2,000 stores, one director each, clusters, depths", () => {
    expect(STORES.length).toBe(2000);
    expect(Object.values(REGION_STORE_COUNTS).reduce((a, b) => a + b, 0)).toBe(2000);
    expect(new Set(STORES.map((s) => s.storeId)).size).toBe(2000);
    expect(new Set(STORES.map((s) => s.orgeh)).size).toBe(2000);
    expect(Object.keys(CLUSTERS).length).toBe(8);
    expect(CLUSTERS.moscow.id).toBe("50623875");
    const clusterRegions: string[] = Object.values(CLUSTERS).flatMap((c) => [...c.regions]);
    expect(clusterRegions.sort()).toEqual(Object.keys(REGIONS).sort());

    const byPosition = new Map<string, number>();
    const directorsPerStore = new Map<string, number>();
    const depths = new Set<number>();
    for (let slot = 0; slot < EMPLOYEE_COUNT; slot++) {
      const p = describeSlot(slot);
      byPosition.set(p.position, (byPosition.get(p.position) ?? 0) + 1);
      if (p.position === "store_director")
        directorsPerStore.set(p.storeId, (directorsPerStore.get(p.storeId) ?? 0) + 1);
      depths.add(p.orgPath.length);
      expect(p.orgPath[0]).toBe(ORG_ROOT.id);
    }
    expect(directorsPerStore.size).toBe(2000);
    expect([...directorsPerStore.values()].every((n) => n === 1)).toBe(true);
    expect(byPosition.get("supervisor")).toBe(200);
    expect(byPosition.get("cluster_director")).toBe(8);
    expect(byPosition.get("cashier")).toBe(2000 * 50);
    expect(Math.min(...depths)).toBe(3);
    expect(Math.max(...depths)).toBe(6);
    for (const position of byPosition.keys()) expect(Object.keys(POSITIONS)).toContain(position);
  });

  test("every generated entity maps cleanly through mapSapEmployee and the schema (sample)", () => {
    const stats = {
      partTime: 0,
      external: 0,
      female: 0,
      noGender: 0,
      noBirthday: 0,
      offsetDates: 0,
      blanks: 0,
      n: 0,
    };
    const regions = new Set<string>();
    for (let n = 1; n <= EMPLOYEE_COUNT; n += 7) {
      const entity = generateEmployee(pernr(n));
      if (!entity) throw new Error(`no employee ${n}`);
      const evidence = mapSapEmployee(entity);
      expect(EmployeeEvidenceSchema.safeParse(evidence).success).toBe(true);
      stats.n++;
      if (evidence.employment_type === "part_time") stats.partTime++;
      if (evidence.employee_group === "3") stats.external++;
      if (evidence.gender === "female") stats.female++;
      if (evidence.gender === null) stats.noGender++;
      if (evidence.birthday === null) stats.noBirthday++;
      if (entity.Gbdat?.includes("+0180")) stats.offsetDates++;
      if (entity.PlansText.endsWith(" ")) stats.blanks++;
      regions.add(evidence.region);
      for (const app of evidence.apps) expect(APP_CODES).toContain(app as (typeof APP_CODES)[number]);
      for (const role of evidence.roles) expect(ROLES).toContain(role as (typeof ROLES)[number]);
      expect(evidence.roles.length).toBeGreaterThanOrEqual(1);
      expect(evidence.roles.length).toBeLessThanOrEqual(4);
    }
    const share = (k: number) => k / stats.n;
    expect(share(stats.partTime)).toBeGreaterThan(0.05);
    expect(share(stats.partTime)).toBeLessThan(0.35);
    expect(share(stats.external)).toBeGreaterThan(0.005);
    expect(share(stats.external)).toBeLessThan(0.1);
    expect(share(stats.female)).toBeGreaterThan(0.45);
    expect(share(stats.female)).toBeLessThan(0.8);
    // SAP quirks are sprinkled, not absent and not everywhere.
    for (const quirk of [stats.noGender, stats.noBirthday, stats.offsetDates, stats.blanks]) {
      expect(quirk).toBeGreaterThan(0);
      expect(share(quirk)).toBeLessThan(0.15);
    }
    expect(regions.size).toBe(Object.keys(REGIONS).length);
  });

  test("every role's apps are known app codes", () => {
    for (const apps of Object.values(ROLE_APPS)) for (const app of apps) expect(APP_CODES).toContain(app);
  });

  test("DEMO_EMPLOYEES are who they say they are", () => {
    const byKey = Object.fromEntries(
      DEMO_EMPLOYEES.map((d) => {
        const entity = generateEmployee(d.pernr);
        if (!entity) throw new Error(`demo employee ${d.pernr} does not exist`);
        expect(entity.Ename.trim()).toBe(d.name);
        return [d.key, mapSapEmployee(entity)];
      }),
    );
    const moscowDirector = byKey.moscow_store_director;
    expect(moscowDirector).toMatchObject({ position: "Директор магазина", region: "R077", is_manager: true });
    expect(moscowDirector?.orgunit_path).toContain(CLUSTERS.moscow.id);
    expect(moscowDirector?.roles).toContain("store_director");

    expect(byKey.spb_cashier).toMatchObject({
      position: "Кассир",
      region: "R078",
      employment_type: "full_time",
    });
    expect(byKey.spb_cashier?.orgunit_path).toContain(CLUSTERS.spb.id);
    expect(byKey.part_time_cashier).toMatchObject({ position: "Кассир", employment_type: "part_time" });
    expect(byKey.supervisor).toMatchObject({ position: "Супервайзер", store_id: null });
    expect(byKey.supervisor?.roles).toContain("supervisor");
    expect(byKey.hr_admin).toMatchObject({ position: "HR-администратор", store_id: null });
    expect(byKey.hr_admin?.roles).toContain("hr_admin");
    expect(byKey.hr_admin?.orgunit_path).toEqual(
      expect.arrayContaining([DIVISIONS.office.id, OFFICE_DEPARTMENTS.hr.id]),
    );
    expect(byKey.it_specialist).toMatchObject({ position: "Специалист", store_id: null });
    expect(byKey.it_specialist?.orgunit_path).toContain(OFFICE_DEPARTMENTS.it.id);
    expect(byKey.external_worker).toMatchObject({ employee_group: "3", roles: ["external"], apps: [] });
    expect(byKey.sap_quirks).toMatchObject({ gender: null, birthday: null });
  });
});
