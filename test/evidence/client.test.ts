import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type MockSap, normalizePernr, SapClient, startMockSap } from "../../src/evidence/index.ts";
import { createMemoryLogger } from "../../src/log.ts";
import { createMetrics } from "../../src/metrics.ts";
import { makeSource } from "./helpers.ts";

describe("personnel number validation", () => {
  test("left-pads to 8 digits, refuses everything else", () => {
    expect(normalizePernr("123")).toBe("00000123");
    expect(normalizePernr("00123456")).toBe("00123456");
    expect(normalizePernr("12345678")).toBe("12345678");
    for (const bad of [
      "",
      " 123",
      "123 ",
      "1' or 1=1",
      "../x",
      "123456789",
      "12a",
      "-1",
      "0",
      "00000000",
      "１２３",
    ]) {
      expect(normalizePernr(bad)).toBeUndefined();
    }
    expect(normalizePernr(123 as unknown as string)).toBeUndefined();
  });

  test("through the source: padded lookups reach SAP, bad ones never do", async () => {
    const mock = await startMockSap({ size: 1000 });
    const { source } = await makeSource(mock.url);
    try {
      const found = await source.lookup("123");
      expect(found.kind).toBe("found");
      if (found.kind === "found") expect(found.evidence.personnel_number).toBe("00000123");
      expect(mock.calls("00000123")).toBe(1);
      mock.resetCalls();
      for (const bad of ["1' or 1=1", "../x", "123456789", "", "00000000", "12)/..%2F", "x')?$format=xml"]) {
        expect(await source.lookup(bad)).toEqual({ kind: "unknown" });
      }
      expect(mock.calls()).toBe(0);
    } finally {
      await source.close();
      await mock.close();
    }
  });
});

describe("SapClient over HTTP", () => {
  let mock: MockSap;
  beforeAll(async () => {
    mock = await startMockSap({ size: 2500, auth: { user: "LK_TECH", password: "s3cret-Pässword" } });
  });
  afterAll(() => mock.close());

  const client = (overrides: Partial<ConstructorParameters<typeof SapClient>[0]> = {}) =>
    new SapClient({
      baseUrl: mock.url,
      user: "LK_TECH",
      password: "s3cret-Pässword",
      client: "100",
      timeoutMs: 1000,
      logger: createMemoryLogger(),
      metrics: createMetrics(),
      ...overrides,
    });

  test("sends Basic auth, sap-client, $format=json and $expand=Roles", async () => {
    mock.resetCalls();
    const evidence = await client().getEmployee("00000001");
    expect(evidence?.personnel_number).toBe("00000001");
    const [request] = mock.requests();
    expect(request?.path).toBe("/sap/opu/odata/sap/ZHR_LK_EMPLOYEE_SRV/EmployeeSet('00000001')");
    expect(request?.search).toBe("?$expand=Roles&$format=json&sap-client=100");
    expect(request?.sapClient).toBe("100");
    expect(request?.authorization).toBe(`Basic ${Buffer.from("LK_TECH:s3cret-Pässword").toString("base64")}`);
  });

  test("an invalid personnel number is null without any call", async () => {
    mock.resetCalls();
    expect(await client().getEmployee("../x")).toBeNull();
    expect(mock.calls()).toBe(0);
  });

  test("paging: $top/$skip/$inlinecount until a short page; __count is a string", async () => {
    mock.resetCalls();
    const pages = [];
    for await (const page of client().allEmployees(1000)) pages.push(page);
    expect(pages.map((p) => p.rows)).toEqual([1000, 1000, 500]);
    expect(pages.every((p) => p.count === 2500 && p.rejected === 0)).toBe(true);
    const pernrs = pages.flatMap((p) => p.employees.map((e) => e.personnel_number));
    expect(new Set(pernrs).size).toBe(2500);
    expect(pernrs[0]).toBe("00000001");
    expect(pernrs.at(-1)).toBe("00002500");
    expect(mock.requests().map((r) => r.search)).toEqual([
      "?$expand=Roles&$top=1000&$skip=0&$inlinecount=allpages&$format=json&sap-client=100",
      "?$expand=Roles&$top=1000&$skip=1000&$inlinecount=allpages&$format=json&sap-client=100",
      "?$expand=Roles&$top=1000&$skip=2000&$inlinecount=allpages&$format=json&sap-client=100",
    ]);
    const raw = (await (
      await fetch(`${mock.url}/EmployeeSet?$top=1&$inlinecount=allpages&$format=json`, {
        headers: { authorization: mock.requests()[0]?.authorization ?? "" },
      })
    ).json()) as { d: { __count: unknown } };
    expect(raw.d.__count).toBe("2500");
  });

  test("paging stops on an empty page when the total is a multiple of the page size", async () => {
    const pages = [];
    for await (const page of client().allEmployees(500)) pages.push(page.rows);
    expect(pages).toEqual([500, 500, 500, 500, 500, 0]);
  });

  test("a listing row with a wrong shape is skipped and logged, the page survives", async () => {
    mock.setEmployee("00000003", { Pernr: "00000003", Ename: 42 });
    const logger = createMemoryLogger();
    try {
      const page = await client({ logger }).listEmployees(5, 0);
      expect(page.rows).toBe(5);
      expect(page.rejected).toBe(1);
      expect(page.employees.map((e) => e.personnel_number)).toEqual([
        "00000001",
        "00000002",
        "00000004",
        "00000005",
      ]);
      expect(logger.lines.some((l) => l.msg === "SAP listing row skipped" && l.pernr === "00000003")).toBe(
        true,
      );
    } finally {
      mock.resetEmployee("00000003");
    }
  });

  test("a wrong service path (bare 404, no OData error) is an error, not 'no such employee'", async () => {
    const logger = createMemoryLogger();
    const wrong = client({ baseUrl: mock.url.replace("ZHR_LK_EMPLOYEE_SRV", "ZHR_WRONG_SRV"), logger });
    const error = await wrong.getEmployee("00000001").catch((e) => e);
    expect(error).toMatchObject({ name: "SapError", kind: "client", status: 404 });
    expect(logger.lines.some((l) => l.level === "error" && String(l.msg).includes("SAP_BASE_URL"))).toBe(
      true,
    );
  });

  test("the SAP password never reaches the logs", async () => {
    const logger = createMemoryLogger();
    await client({ logger, password: "wrong-pass" })
      .getEmployee("00000001")
      .catch(() => {});
    const text = JSON.stringify(logger.lines);
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(text).not.toContain("wrong-pass");
    expect(text).not.toContain(Buffer.from("LK_TECH:wrong-pass").toString("base64"));
  });
});
