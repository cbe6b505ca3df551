import { describe, expect, test } from "bun:test";
import { SignJWT } from "jose";
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from "../support/app.ts";
import { catalogDump, STARTUP_TIMEOUT_MS, useTestApp } from "./support.ts";

/**
 * The shared suite every admin route runs (no token, a wrong token, a malformed header, JWT
 * roles, a body too large, a method it does not have): the route list comes from the OpenAPI
 * document, so a route added later is covered without touching this file. What each route refuses of its own input is in <area>.error.test.ts,
 * hostile input in <area>.security.test.ts.
 */
interface Operation {
  tags?: string[];
  security?: Array<Record<string, unknown>>;
  responses?: Record<string, unknown>;
  requestBody?: unknown;
  parameters?: Array<{ in: string; required?: boolean }>;
}
type OpenApi = { paths: Record<string, Record<string, Operation>> };

const SECRET = "a-security-test-secret-long-enough-0123456789";
const jwt = (claims: Record<string, unknown>) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + 600)
    .sign(new TextEncoder().encode(SECRET));

let routes: Array<{ method: string; path: string; op: Operation }>;
const t = useTestApp({}, async (app) => {
  const doc = (await (await app.request("/swagger/json")).json()) as OpenApi;
  routes = Object.entries(doc.paths)
    .filter(([path]) => path.startsWith("/admin/"))
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path: path.replaceAll(/\{[^}]+\}/g, "1"),
        op,
      })),
    );
});

const send = (app: TestApp, method: string, path: string, token?: string) =>
  app.request(path, {
    method,
    token,
    ...(method === "GET" || method === "DELETE" ? {} : { json: { not: "checked before auth" } }),
  });

describe("admin routes in the OpenAPI document", () => {
  test("all of the contract's admin routes are there", () => {
    const listed = new Set(routes.map((r) => `${r.method} ${r.path}`));
    const expected = [
      "GET /admin/rules",
      "POST /admin/rules",
      "POST /admin/rules/validate",
      "GET /admin/rules/1",
    ];
    expected.push("PUT /admin/rules/1", "DELETE /admin/rules/1", "GET /admin/rules/1/revisions");
    expected.push("POST /admin/rules/1/rollback", "GET /admin/preview", "GET /admin/audit");
    for (const kind of ["sidebar-groups", "card-groups", "sections", "banners"]) {
      expected.push(`GET /admin/${kind}`, `POST /admin/${kind}`);
      expected.push(`GET /admin/${kind}/1`, `PUT /admin/${kind}/1`, `DELETE /admin/${kind}/1`);
    }
    for (const route of expected) expect(listed).toContain(route);
  });

  test("each is tagged admin, needs the bearer scheme and documents 401 and 403", () => {
    expect(routes.length).toBeGreaterThanOrEqual(30);
    for (const { method, path, op } of routes) {
      expect({ route: `${method} ${path}`, tags: op.tags, security: op.security }).toEqual({
        route: `${method} ${path}`,
        tags: ["admin"],
        security: [{ bearer: [] }],
      });
      expect(Object.keys(op.responses ?? {})).toEqual(expect.arrayContaining(["401", "403"]));
    }
  });
});

describe("admin authentication, route by route", () => {
  test("no token: 401 on every admin route, even with a body that would not validate; nothing changes", async () => {
    const before = await catalogDump(t.db);
    for (const { method, path } of routes) {
      const response = await send(t, method, path);
      const body = (await response.json()) as { error: { code: string } };
      expect({ route: `${method} ${path}`, status: response.status, code: body.error.code }).toEqual({
        route: `${method} ${path}`,
        status: 401,
        code: "unauthorized",
      });
    }
    expect(await catalogDump(t.db)).toEqual(before);
  });

  test("an employee's token (a personnel number in dev mode) and a wrong token: 401", async () => {
    for (const { method, path } of routes) {
      for (const token of ["00123456", `${TEST_ADMIN_TOKEN}x`, "Bearer"]) {
        const response = await send(t, method, path, token);
        expect({ route: `${method} ${path}`, status: response.status }).toEqual({
          route: `${method} ${path}`,
          status: 401,
        });
      }
    }
  });

  test("unauthenticated malformed JSON is 401, not a parse error", async () => {
    const response = await t.request("/admin/rules", {
      method: "POST",
      body: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(401);
  });

  test("a malformed Authorization header is 401", async () => {
    for (const header of [
      "Basic abc",
      `bearer ${TEST_ADMIN_TOKEN}`,
      `Bearer  ${TEST_ADMIN_TOKEN} x`,
      "Bearer é",
    ]) {
      const response = await t.request("/admin/rules", { headers: { authorization: header } });
      expect({ header, status: response.status }).toEqual({ header, status: 401 });
    }
  });

  test("ADMIN_TOKEN opens every read route that needs no parameters", async () => {
    const needsQuery = (op: Operation) => (op.parameters ?? []).some((p) => p.in === "query" && p.required);
    const reads = routes.filter((r) => r.method === "GET" && !r.path.includes("/1") && !needsQuery(r.op));
    expect(reads.map((r) => r.path)).toContain("/admin/rules");
    for (const { path } of reads) {
      const response = await t.admin(path);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
    }
  });

  test("no token value reaches the log", async () => {
    await t.admin("/admin/rules");
    await t.request("/admin/rules", { token: "some-wrong-token-value" });
    const log = JSON.stringify(t.logger.lines);
    expect(log).not.toContain(TEST_ADMIN_TOKEN);
    expect(log).not.toContain("some-wrong-token-value");
  });
});

describe("admin requests every route refuses the same way", () => {
  test("a body over 256 KiB is 413 on every route that takes one; nothing changes", async () => {
    const huge = JSON.stringify({ expression: "x".repeat(300 * 1024) });
    const writes = routes.filter((r) => r.op.requestBody !== undefined);
    expect(writes.length).toBeGreaterThanOrEqual(10);
    const before = await catalogDump(t.db);
    for (const { method, path } of writes) {
      // As a real client sends it: with its Content-Length (a Request built in-process has none).
      const response = await t.admin(path, {
        method,
        body: huge,
        headers: { "content-type": "application/json", "content-length": String(huge.length) },
      });
      const body = (await response.json()) as { error: { code: string } };
      expect({ route: `${method} ${path}`, status: response.status, code: body.error.code }).toEqual({
        route: `${method} ${path}`,
        status: 413,
        code: "payload_too_large",
      });
    }
    expect(await catalogDump(t.db)).toEqual(before);
  });

  test("a method a path does not have is 405 naming the ones it has", async () => {
    const paths = [...new Set(routes.map((r) => r.path))];
    for (const path of paths) {
      const response = await t.admin(path, { method: "PATCH", json: {} });
      const body = (await response.json()) as { error: { code: string } };
      expect({ path, status: response.status, code: body.error.code }).toEqual({
        path,
        status: 405,
        code: "method_not_allowed",
      });
      const allowed = routes.filter((r) => r.path === path).map((r) => r.method);
      for (const method of allowed) expect(response.headers.get("allow") ?? "").toContain(method);
    }
  });
});

describe("other auth configurations", () => {
  test(
    "without ADMIN_TOKEN (dev auth) the admin API is closed: 403",
    async () => {
      const closed = await createTestApp({ env: { ADMIN_TOKEN: "" } });
      try {
        const response = await closed.request("/admin/rules", { token: TEST_ADMIN_TOKEN });
        expect(response.status).toBe(403);
      } finally {
        await closed.close();
      }
    },
    STARTUP_TIMEOUT_MS,
  );

  test(
    "JWT mode: an employee JWT is 403, an lk-admin JWT is let in, ADMIN_TOKEN still works",
    async () => {
      const jwtApp = await createTestApp({ env: { AUTH_MODE: "jwt", AUTH_JWT_SECRET: SECRET } });
      try {
        const employee = await jwt({ sub: "123456", roles: ["employee"] });
        expect((await jwtApp.request("/admin/rules", { token: employee })).status).toBe(403);
        for (const { method, path } of routes) {
          const response = await send(jwtApp, method, path, employee);
          expect({ route: `${method} ${path}`, status: response.status }).toEqual({
            route: `${method} ${path}`,
            status: 403,
          });
        }
        const admin = await jwt({ sub: "ivan.admin", roles: ["lk-admin"] });
        expect((await jwtApp.request("/admin/rules", { token: admin })).status).toBe(200);
        expect((await jwtApp.admin("/admin/rules")).status).toBe(200);
      } finally {
        await jwtApp.close();
      }
    },
    STARTUP_TIMEOUT_MS,
  );
});
