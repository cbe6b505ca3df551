import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { createTestApp, type TestApp } from "../support/app.ts";

// The directory's routes in the whole admin API, before any sync (no SAP listing configured).
setDefaultTimeout(120_000);
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

test("before any sync: status `never`, no values, impact 503 naming the way out; admin token required", async () => {
  const status = await app.admin("/admin/directory");
  expect(status.status).toBe(200);
  expect(await status.json()).toMatchObject({
    status: "never",
    employees: 0,
    synced_at: null,
    copy_employees: 0,
  });
  expect(await (await app.admin("/admin/directory/values?field=roles")).json()).toMatchObject({
    field: "roles",
    values: [],
    total: 0,
  });
  const impact = await app.admin("/admin/rules/impact", { method: "POST", json: { expression: "true" } });
  expect(impact.status).toBe(503);
  expect(impact.headers.get("retry-after")).toBe("60");
  expect((await impact.json()).error.message).toContain("POST /admin/directory/sync");
  const sync = await app.admin("/admin/directory/sync", { method: "POST" });
  expect(sync.status).toBe(503); // no SAP listing in this app
  expect((await app.request("/admin/directory")).status).toBe(401);
  expect(
    (await app.request("/admin/rules/impact", { method: "POST", json: { expression: "true" } })).status,
  ).toBe(401);
});
