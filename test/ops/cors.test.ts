import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from "../support/app.ts";
import { makeEmployee } from "../support/employees.ts";

const FRONT_END = "https://lk.example.ru";
const employee = makeEmployee({ personnel_number: "00217542" });

let t: TestApp;
let plain: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    employees: [employee],
    env: { CORS_ORIGINS: `${FRONT_END},http://localhost:3000` },
  });
  plain = await createTestApp({ employees: [employee] });
});
afterAll(async () => {
  await t.close();
  await plain.close();
});

const preflight = (app: TestApp, origin: string, path = "/user.tabs?platform=web") =>
  app.request(path, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "GET",
      "access-control-request-headers": "authorization",
    },
  });

describe("CORS (CORS_ORIGINS)", () => {
  test("a preflight from an allowed origin is 204 with the methods and headers the API takes", async () => {
    const response = await preflight(t, FRONT_END);
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(FRONT_END);
    const methods = response.headers.get("access-control-allow-methods")?.split(", ");
    expect(methods).toEqual(expect.arrayContaining(["GET", "POST", "PUT", "DELETE"]));
    const headers = response.headers.get("access-control-allow-headers")?.split(", ");
    expect(headers).toEqual(
      expect.arrayContaining(["authorization", "content-type", "if-match", "if-none-match"]),
    );
    expect(Number(response.headers.get("access-control-max-age"))).toBeGreaterThan(0);
    expect(response.headers.get("vary")).toContain("Origin");
    expect(response.headers.get("x-request-id")).toBeString();
  });

  test("a preflight on an admin route with a body is answered too", async () => {
    const response = await t.request("/admin/rules", {
      method: "OPTIONS",
      headers: { origin: "http://localhost:3000", "access-control-request-method": "PUT" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
  });

  test("an allowed origin's GET carries the origin and the readable headers, errors included", async () => {
    const ok = await t.request("/user.tabs?platform=web", {
      headers: { origin: FRONT_END },
      token: employee.personnel_number,
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe(FRONT_END);
    expect(ok.headers.get("access-control-expose-headers")).toContain("x-request-id");
    const denied = await t.request("/user.tabs?platform=web", { headers: { origin: FRONT_END } });
    expect(denied.status).toBe(401);
    expect(denied.headers.get("access-control-allow-origin")).toBe(FRONT_END);
    const admin = await t.request("/admin/rules", {
      headers: { origin: FRONT_END },
      token: TEST_ADMIN_TOKEN,
    });
    expect(admin.status).toBe(200);
    expect(admin.headers.get("access-control-allow-origin")).toBe(FRONT_END);
  });

  test("an unknown origin gets no CORS header; its preflight falls to 405 like any OPTIONS", async () => {
    const response = await preflight(t, "https://evil.example.com");
    expect(response.status).toBe(405);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.headers.get("access-control-allow-methods")).toBeNull();
    const get = await t.request("/user.tabs?platform=web", {
      headers: { origin: "https://lk.example.ru.evil.com" },
      token: employee.personnel_number,
    });
    expect(get.status).toBe(200);
    expect(get.headers.get("access-control-allow-origin")).toBeNull();
  });

  test("without CORS_ORIGINS there is no CORS at all", async () => {
    const response = await preflight(plain, FRONT_END);
    expect(response.status).toBe(405);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    const get = await plain.request("/healthz", { headers: { origin: FRONT_END } });
    expect(get.headers.get("access-control-allow-origin")).toBeNull();
    expect(get.headers.get("vary")).toBeNull();
  });
});
