import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../support/app.ts";

interface Operation {
  parameters?: Array<{ in: string; name: string; schema?: unknown }>;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
}
type Document = { paths: Record<string, Record<string, Operation>> };

let t: TestApp;
let doc: Document;
beforeAll(async () => {
  t = await createTestApp();
  const response = await t.request("/swagger/json");
  expect(response.status).toBe(200);
  doc = (await response.json()) as Document;
});
afterAll(() => t.close());

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
const nonEmpty = (schema: unknown) =>
  typeof schema === "object" && schema !== null && Object.keys(schema).some((k) => k !== "$schema");

describe("OpenAPI document at /swagger/json", () => {
  test("lists the contract's routes", () => {
    const routes = operations().map(({ path, method }) => `${method.toUpperCase()} ${path}`);
    for (const route of ["GET /user.tabs", "GET /healthz", "GET /readyz", "GET /metrics"]) {
      expect(routes).toContain(route);
    }
  });

  test("every route has a non-empty schema for each success and error response", () => {
    for (const { path, method, op } of operations()) {
      const responses = Object.entries(op.responses ?? {});
      expect({ path, method, responses: responses.length > 0 }).toEqual({ path, method, responses: true });
      for (const [status, response] of responses) {
        const schemas = Object.values(response.content ?? {}).map((c) => c.schema);
        const described = schemas.length > 0 && schemas.every(nonEmpty);
        expect({ path, method, status, described }).toEqual({ path, method, status, described: true });
      }
    }
  });

  test("every route that takes input documents it with a schema", () => {
    for (const { path, method, op } of operations()) {
      for (const p of op.parameters ?? []) {
        expect({ path, method, param: p.name, schema: nonEmpty(p.schema) }).toEqual({
          path,
          method,
          param: p.name,
          schema: true,
        });
      }
      if (["post", "put", "patch"].includes(method)) {
        const schemas = Object.values(op.requestBody?.content ?? {}).map((c) => c.schema);
        expect({ path, method, body: schemas.length > 0 && schemas.every(nonEmpty) }).toEqual({
          path,
          method,
          body: true,
        });
      }
    }
  });

  test("/user.tabs documents platform as a required enum, and 400/401/404/503 in the error shape", () => {
    const op = doc.paths["/user.tabs"]?.get;
    const platform = op?.parameters?.find((p) => p.name === "platform");
    expect(platform?.schema).toMatchObject({ enum: ["web", "ios", "android"] });
    for (const status of ["400", "401", "404", "503"]) {
      const schema = op?.responses?.[status]?.content?.["application/json"]?.schema;
      expect(JSON.stringify(schema)).toContain('"error"');
    }
  });

  test("Swagger UI is served at /swagger", async () => {
    const response = await t.request("/swagger");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("swagger");
  });
});
