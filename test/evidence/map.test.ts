import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  dateInZone,
  EmployeeEvidenceSchema,
  type MockSap,
  mapSapEmployee,
  parseSapDate,
  SapClient,
  type SapEmployee,
  SapError,
  startMockSap,
} from "../../src/evidence/index.ts";
import { generateEmployee } from "../../src/evidence/mock-sap/directory.ts";
import { createMemoryLogger } from "../../src/log.ts";
import { createMetrics } from "../../src/metrics.ts";

/** The contract's example employee (docs/integrations.md). */
function contractExample(): SapEmployee {
  return {
    __metadata: { id: "…/EmployeeSet('00123456')", type: "ZHR_LK_EMPLOYEE_SRV.Employee" },
    Pernr: "00123456",
    Ename: "Иванова Мария Петровна",
    Gesch: "2",
    Gbdat: "/Date(631152000000)/",
    HireDate: "/Date(1577836800000)/",
    Plans: "50012345",
    PlansText: "Директор магазина",
    Orgeh: "51893158",
    OrgPath: "50000000/50623875/51893158",
    Werks: "R077",
    WerksText: "Москва",
    StoreId: "S07712",
    Persg: "1",
    Persk: "FT",
    IsManager: true,
    Roles: {
      results: [
        { __metadata: { type: "ZHR_LK_EMPLOYEE_SRV.Role" }, RoleId: "employee", Apps: "payslip;vacation" },
        {
          __metadata: { type: "ZHR_LK_EMPLOYEE_SRV.Role" },
          RoleId: "store_director",
          Apps: "vacation_approval;lna_control;deputies",
        },
      ],
    },
  };
}

describe("mapSapEmployee (pure)", () => {
  test("maps the contract's example field by field", () => {
    expect(mapSapEmployee(contractExample())).toEqual({
      personnel_number: "00123456",
      full_name: "Иванова Мария Петровна",
      gender: "female",
      birthday: "1990-01-01",
      hire_date: "2020-01-01",
      position_id: "50012345",
      position: "Директор магазина",
      orgunit_id: "51893158",
      orgunit_path: ["50000000", "50623875", "51893158"],
      region: "R077",
      region_name: "Москва",
      store_id: "S07712",
      employee_group: "1",
      employment_type: "full_time",
      is_manager: true,
      roles: ["employee", "store_director"],
      apps: ["payslip", "vacation", "vacation_approval", "lna_control", "deputies"],
    });
  });

  test("dates: /Date(ms)/, /Date(ms+0180)/ read in its own offset, negative ms, null", () => {
    expect(parseSapDate("/Date(631152000000)/")).toBe("1990-01-01");
    // 1989-12-31T21:00Z is midnight of 1990-01-01 at +03:00: the local date counts.
    expect(parseSapDate("/Date(631141200000+0180)/")).toBe("1990-01-01");
    expect(parseSapDate("/Date(631152000000+0180)/")).toBe("1990-01-01");
    expect(parseSapDate("/Date(631152000000-0060)/")).toBe("1989-12-31");
    expect(parseSapDate("/Date(-294364800000)/")).toBe("1960-09-03");
    expect(parseSapDate(null)).toBeNull();
    const e = { ...contractExample(), Gbdat: null, HireDate: "/Date(1577826000000+0180)/" };
    expect(mapSapEmployee(e)).toMatchObject({ birthday: null, hire_date: "2020-01-01" });
  });

  test("trailing blanks are trimmed everywhere", () => {
    const e = {
      ...contractExample(),
      Ename: "Иванова Мария Петровна  ",
      PlansText: "Кассир   ",
      WerksText: "Москва ",
      StoreId: "S07712 ",
      Persk: "PT ",
      Roles: { results: [{ RoleId: "cashier  ", Apps: "schedule ; shift_swap " }] },
    };
    expect(mapSapEmployee(e)).toMatchObject({
      full_name: "Иванова Мария Петровна",
      position: "Кассир",
      region_name: "Москва",
      store_id: "S07712",
      employment_type: "part_time",
      roles: ["cashier"],
      apps: ["schedule", "shift_swap"],
    });
  });

  test("Gesch 1 / 2 / '' → male / female / null", () => {
    expect(mapSapEmployee({ ...contractExample(), Gesch: "1" }).gender).toBe("male");
    expect(mapSapEmployee({ ...contractExample(), Gesch: "2" }).gender).toBe("female");
    expect(mapSapEmployee({ ...contractExample(), Gesch: "" }).gender).toBeNull();
  });

  test("empty store → null, office staff", () => {
    expect(mapSapEmployee({ ...contractExample(), StoreId: "" }).store_id).toBeNull();
  });

  test("apps: ;-separated, deduplicated across roles, empty Apps and empty results", () => {
    const e = {
      ...contractExample(),
      Roles: {
        results: [
          { RoleId: "employee", Apps: "payslip;vacation;hr_documents" },
          { RoleId: "hr_admin", Apps: "hr_admin_console;;hr_documents;payslip" },
          { RoleId: "external", Apps: "" },
        ],
      },
    };
    expect(mapSapEmployee(e)).toMatchObject({
      roles: ["employee", "hr_admin", "external"],
      apps: ["payslip", "vacation", "hr_documents", "hr_admin_console"],
    });
    expect(mapSapEmployee({ ...contractExample(), Roles: { results: [] } })).toMatchObject({
      roles: [],
      apps: [],
    });
  });

  test("__deferred Roles maps to no roles (the client resolves it before mapping)", () => {
    const e = {
      ...contractExample(),
      Roles: { __deferred: { uri: "http://x/EmployeeSet('00123456')/Roles" } },
    };
    expect(mapSapEmployee(e)).toMatchObject({ roles: [], apps: [] });
  });

  test("wrong shapes throw a typed SapError('shape') naming the field, not the value", () => {
    const cases: unknown[] = [
      null,
      "garbage",
      [],
      { ...contractExample(), Pernr: 123456 },
      { ...contractExample(), Pernr: "12345" },
      { ...contractExample(), IsManager: "X" },
      { ...contractExample(), Gbdat: "1990-01-01" },
      { ...contractExample(), Gesch: "3" },
      { ...contractExample(), Persk: "XX" },
      { ...contractExample(), Roles: "none" },
      { ...contractExample(), Roles: { results: [{ RoleId: "employee" }] } },
    ];
    for (const entity of cases) {
      let caught: unknown;
      try {
        mapSapEmployee(entity);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(SapError);
      expect((caught as SapError).kind).toBe("shape");
      expect((caught as SapError).message).not.toContain("Иванова");
    }
  });

  test("today in LK_TIMEZONE: 22:30 UTC is already tomorrow in Moscow", () => {
    const lateEvening = new Date(Date.UTC(2025, 11, 31, 22, 30));
    expect(dateInZone(lateEvening, "Europe/Moscow")).toBe("2026-01-01");
    expect(dateInZone(lateEvening, "UTC")).toBe("2025-12-31");
  });
});

describe("quirks over real HTTP (mock SAP → SapClient)", () => {
  let mock: MockSap;
  let client: SapClient;
  beforeAll(async () => {
    mock = await startMockSap({ size: 1000 });
    client = new SapClient({
      baseUrl: mock.url,
      timeoutMs: 1000,
      logger: createMemoryLogger(),
      metrics: createMetrics(),
    });
  });
  afterAll(() => mock.close());

  test("every quirk at once in one entity", async () => {
    mock.setEmployee("00000042", {
      ...contractExample(),
      Pernr: "00000042",
      Ename: "Петров Иван Сергеевич   ",
      Gesch: "",
      Gbdat: null,
      HireDate: "/Date(1577826000000+0180)/",
      PlansText: "Кассир   ",
      StoreId: "",
      Persk: "PT",
      Roles: {
        results: [
          { RoleId: "employee", Apps: "payslip;vacation" },
          { RoleId: "cashier", Apps: "schedule;payslip" },
          { RoleId: "external", Apps: "" },
        ],
      },
    });
    const evidence = await client.getEmployee("42");
    expect(evidence).toEqual({
      personnel_number: "00000042",
      full_name: "Петров Иван Сергеевич",
      gender: null,
      birthday: null,
      hire_date: "2020-01-01",
      position_id: "50012345",
      position: "Кассир",
      orgunit_id: "51893158",
      orgunit_path: ["50000000", "50623875", "51893158"],
      region: "R077",
      region_name: "Москва",
      store_id: null,
      employee_group: "1",
      employment_type: "part_time",
      is_manager: true,
      roles: ["employee", "cashier", "external"],
      apps: ["payslip", "vacation", "schedule"],
    });
    expect(EmployeeEvidenceSchema.safeParse(evidence).success).toBe(true);
  });

  test("SAP sends Roles as __deferred despite $expand: the client fetches /Roles itself", async () => {
    const expected = mapSapEmployee(generateEmployee("00000043"));
    mock.setFaults({ ignoreExpand: true });
    mock.resetCalls();
    try {
      const evidence = await client.getEmployee("00000043");
      expect(evidence).toEqual(expected);
      expect(evidence?.roles.length).toBeGreaterThan(0);
      expect(mock.callsByPath()).toEqual({ employee: 1, roles: 1 });
    } finally {
      mock.setFaults({ ignoreExpand: false });
    }
  });

  test("a deferred uri pointing elsewhere is never followed", async () => {
    mock.setEmployee("00000045", {
      ...contractExample(),
      Pernr: "00000045",
      Roles: { __deferred: { uri: "http://elsewhere.example/steal-credentials" } },
    });
    mock.resetCalls();
    const evidence = await client.getEmployee("00000045");
    expect(evidence?.roles).toEqual([]);
    expect(mock.callsByPath()).toEqual({ employee: 1, roles: 1 });
  });

  test("an empty Roles collection", async () => {
    mock.setEmployee("00000044", { ...contractExample(), Pernr: "00000044", Roles: { results: [] } });
    expect(await client.getEmployee("44")).toMatchObject({ roles: [], apps: [] });
  });

  test("a generated employee without $expand gets __deferred from the mock, resolved by the client", async () => {
    const response = await fetch(`${mock.url}/EmployeeSet('00000007')?$format=json`);
    const body = (await response.json()) as { d: { Roles: { __deferred?: { uri: string } } } };
    expect(body.d.Roles.__deferred?.uri).toContain("EmployeeSet('00000007')/Roles");
    const roles = await fetch(`${mock.url}/EmployeeSet('00000007')/Roles?$format=json`);
    const rolesBody = (await roles.json()) as { d: { results: unknown[] } };
    expect(rolesBody.d.results.length).toBeGreaterThan(0);
  });
});
