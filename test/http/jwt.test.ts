import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SignJWT } from "jose";
import { createTestApp, type TestApp } from "../support/app.ts";
import { makeEmployee } from "../support/employees.ts";

// The same checks as test/auth, through HTTP in jwt mode: status codes and the error shape.
const SECRET = "an-http-test-secret-of-enough-length-42";
const key = new TextEncoder().encode(SECRET);
const sign = (claims: Record<string, unknown>, expiresIn: string | number = "5m") =>
  new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setExpirationTime(expiresIn).sign(key);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    employees: [makeEmployee({ personnel_number: "00123456" })],
    env: { AUTH_MODE: "jwt", AUTH_JWT_SECRET: SECRET },
  });
});
afterAll(() => t.close());

describe("jwt mode over HTTP", () => {
  test("a good token → 200 for that employee; the dev-style token → 401", async () => {
    expect(
      (await t.request("/user.tabs?platform=web", { token: await sign({ sub: "123456" }) })).status,
    ).toBe(200);
    expect((await t.request("/user.tabs?platform=web", { token: "123456" })).status).toBe(401);
  });

  test("expired, wrongly signed, or for an unknown employee", async () => {
    const expired = await t.request("/user.tabs?platform=web", {
      token: await sign({ sub: "123456" }, Math.floor(Date.now() / 1000) - 300),
    });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({
      error: { code: "unauthorized", message: "token expired", details: [], request_id: expect.any(String) },
    });
    const forged = await new SignJWT({ sub: "123456" })
      .setProtectedHeader({ alg: "HS256" })
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode("not-the-secret-but-long-enough-000000"));
    expect((await t.request("/user.tabs?platform=web", { token: forged })).status).toBe(401);
    const stranger = await t.request("/user.tabs?platform=web", { token: await sign({ sub: "99999999" }) });
    expect(stranger.status).toBe(404);
  });

  test("the admin API takes an lk-admin JWT and refuses an employee's", async () => {
    const admin = await sign({ sub: "admin-ivanova", roles: ["lk-admin"] });
    expect((await t.request("/admin/rules", { token: admin })).status).toBe(200);
    const employee = await t.request("/admin/rules", {
      token: await sign({ sub: "123456", roles: ["employee"] }),
    });
    expect(employee.status).toBe(403);
    expect((await employee.json()).error.code).toBe("forbidden");
  });
});
