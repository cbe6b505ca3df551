import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type MockSap, startMockSap } from "../../src/evidence/index.ts";

/** The mock itself honours the contract (the lead's benchmark and the demo rely on it). */
describe("mock SAP", () => {
  let mock: MockSap;
  beforeAll(async () => {
    mock = await startMockSap({ port: 0 });
  });
  afterAll(() => mock.close());

  const get = (path: string, init?: RequestInit) => fetch(`${mock.url}${path}`, init);

  test("listens on 127.0.0.1 at a random port and serves the OData root path", () => {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sap\/opu\/odata\/sap\/ZHR_LK_EMPLOYEE_SRV$/);
    expect(mock.port).toBeGreaterThan(0);
  });

  test("one employee with $expand=Roles; sap-client echoed", async () => {
    const response = await get("/EmployeeSet('00000001')?$expand=Roles&$format=json&sap-client=100");
    expect(response.status).toBe(200);
    expect(response.headers.get("sap-client")).toBe("100");
    const body = (await response.json()) as { d: { Pernr: string; Roles: { results: unknown[] } } };
    expect(body.d.Pernr).toBe("00000001");
    expect(body.d.Roles.results.length).toBeGreaterThan(0);
  });

  test("404 in SAP's error shape", async () => {
    const response = await get("/EmployeeSet('00300001')?$format=json");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: {
        code: "/IWBEP/CM_MGW_RT/020",
        message: { lang: "en", value: "Resource not found for segment 'Employee'" },
      },
    });
  });

  test("without $format=json it answers XML, as SAP Gateway does", async () => {
    const response = await get("/EmployeeSet('00000001')");
    expect(response.headers.get("content-type")).toContain("atom+xml");
  });

  test("the listing pages with __count as a string", async () => {
    const response = await get("/EmployeeSet?$top=3&$skip=299998&$inlinecount=allpages&$format=json");
    const body = (await response.json()) as { d: { __count: string; results: Array<{ Pernr: string }> } };
    expect(body.d.__count).toBe("300000");
    expect(body.d.results.map((r) => r.Pernr)).toEqual(["00299999", "00300000"]);
  });

  test("latency is added to every answer", async () => {
    mock.setFaults({ latencyMs: 150 });
    try {
      const started = performance.now();
      await get("/EmployeeSet('00000002')?$format=json");
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    } finally {
      mock.setFaults({ latencyMs: 0 });
    }
  });

  test("failure rate answers 5xx; overrides and removals; per-employee call counts", async () => {
    mock.setFaults({ failureRate: 1, failureStatuses: [502] });
    expect((await get("/EmployeeSet('00000003')?$format=json")).status).toBe(502);
    mock.setFaults({ failureRate: 0 });
    mock.setEmployee("00000003", { Pernr: "00000003", anything: true });
    expect(((await (await get("/EmployeeSet('00000003')?$format=json")).json()) as { d: unknown }).d).toEqual(
      {
        Pernr: "00000003",
        anything: true,
      },
    );
    mock.removeEmployee("00000003");
    expect((await get("/EmployeeSet('00000003')?$format=json")).status).toBe(404);
    mock.resetEmployee("00000003");
    expect((await get("/EmployeeSet('00000003')?$format=json")).status).toBe(200);
    expect(mock.calls("00000003")).toBe(4);
  });

  test("hang holds the request until the fault is lifted", async () => {
    mock.setFaults({ hang: true });
    const pending = get("/EmployeeSet('00000004')?$format=json");
    const raced = await Promise.race([pending.then(() => "answered"), Bun.sleep(200).then(() => "hanging")]);
    expect(raced).toBe("hanging");
    mock.setFaults({ hang: false });
    expect((await pending).status).toBe(503);
  });

  test("Basic auth when configured: 401 without or with wrong credentials", async () => {
    const guarded = await startMockSap({ auth: { user: "U", password: "P" }, size: 5 });
    try {
      const url = `${guarded.url}/EmployeeSet('00000001')?$format=json`;
      expect((await fetch(url)).status).toBe(401);
      const bad = `Basic ${Buffer.from("U:x").toString("base64")}`;
      expect((await fetch(url, { headers: { authorization: bad } })).status).toBe(401);
      const good = `Basic ${Buffer.from("U:P").toString("base64")}`;
      expect((await fetch(url, { headers: { authorization: good } })).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
