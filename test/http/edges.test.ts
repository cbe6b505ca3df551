import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MAX_BODY_BYTES, UNMATCHED_ROUTE } from "../../src/http/index.ts";
import { catalogDump, STARTUP_TIMEOUT_MS } from "../admin/support.ts";
import { catalogWriter } from "../support/catalog.ts";
import { ADMIN, expectError, JSON_TYPE, startLiveApp, UUID } from "./live.ts";

/**
 * The HTTP edges over real HTTP (issue 13, point 5): every answer the service gives is the error
 * shape with a request id, metric labels stay bounded, bodies are limited however they arrive.
 * Raw-socket cases (414, 431, what Bun answers itself) are in edges-raw.test.ts; request ids
 * and path ids in edges-ids.test.ts.
 */
let t: Awaited<ReturnType<typeof startLiveApp>>;
let ruleId: number;
beforeAll(async () => {
  t = await startLiveApp();
  ruleId = await catalogWriter(t.db).rule("is_edge", "is_manager");
}, STARTUP_TIMEOUT_MS);
afterAll(() => t?.close());

const post = (path: string, body: BodyInit, headers: Record<string, string> = JSON_TYPE) =>
  fetch(`${t.base}${path}`, { method: "POST", headers: { ...ADMIN, ...headers }, body });
const validRule = (name: string) => JSON.stringify({ name, title: name, expression: "is_manager" });

async function httpSeries(): Promise<{ series: string[]; bytes: number }> {
  const text = await (await fetch(`${t.base}/metrics`)).text();
  return {
    series: text.split("\n").filter((l) => l.startsWith("lk_http_requests_total{")),
    bytes: text.length,
  };
}

describe("metric labels", () => {
  test("a matched route is labelled by its template, not its path", async () => {
    await fetch(`${t.base}/admin/rules/${ruleId}`, { headers: ADMIN });
    const { series } = await httpSeries();
    expect(series.some((s) => s.includes('route="/admin/rules/:id",status="200"'))).toBe(true);
    expect(series.some((s) => s.includes(`/admin/rules/${ruleId}"`))).toBe(false);
  });

  test("20,000 requests to random paths are one route label: /metrics does not grow", async () => {
    const before = await httpSeries();
    const methods = ["GET", "POST", "DELETE", "PATCH", "OPTIONS"];
    const junk = (i: number) => {
      const r = `${i.toString(36)}${Math.random().toString(36).slice(2)}`;
      const shapes = [
        `/${r}`,
        `/${r}/${r}?${r}=${r}`,
        `/admin/${r}`,
        `/admin/rules/${i}/${r}`,
        `/user.tabs/${r}`,
        `/%7B${r}%7D/..%2F${r}`,
      ];
      return shapes[i % shapes.length] ?? "/";
    };
    const statuses = new Map<number, number>();
    const total = 20_000;
    const concurrency = 64;
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          const i = next++;
          const response = await fetch(`${t.base}${junk(i)}`, { method: methods[i % methods.length] });
          await response.arrayBuffer();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        }
      }),
    );
    expect([...statuses.keys()].sort()).toEqual([404]);
    const after = await httpSeries();
    const junkSeries = after.series.filter(
      (s) => !before.series.some((b) => b.split("}")[0] === s.split("}")[0]),
    );
    // 404 for each method: one new series at most, labelled unmatched.
    expect(junkSeries.length).toBeLessThanOrEqual(1);
    for (const s of after.series) expect(s).not.toContain("%");
    expect(
      after.series.find((s) =>
        s.startsWith(`lk_http_requests_total{route="${UNMATCHED_ROUTE}",status="404"}`),
      ),
    ).toBeDefined();
    expect(after.series.length).toBeLessThanOrEqual(20);
    // Counters grew, labels did not: the page may differ by a few digits, not by 20,000 paths.
    expect(after.bytes - before.bytes).toBeLessThan(2_000);
  }, 120_000);
});

describe("every answer has the error shape", () => {
  test("an unknown route is 404", async () => {
    for (const path of ["/nope", "/admin/nope", `/admin/rules/${ruleId}/nope`, "/user.tabs/x"]) {
      await expectError(await fetch(`${t.base}${path}`, { headers: ADMIN }), 404, "not_found");
    }
  });

  test("a known path with another method is 405 with Allow", async () => {
    const cases: Array<[string, string, string]> = [
      ["POST", "/healthz", "GET, HEAD"],
      ["DELETE", "/user.tabs", "GET, HEAD"],
      ["PATCH", `/admin/rules/${ruleId}`, "DELETE, GET, HEAD, PUT"],
      ["DELETE", "/admin/rules", "GET, HEAD, POST"],
      ["GET", `/admin/rules/${ruleId}/rollback`, "POST"],
      ["PUT", "/admin/sidebar-groups/", "GET, HEAD, POST"],
    ];
    for (const [method, path, allow] of cases) {
      // No token: the method is wrong whoever asks, and the route's auth never runs.
      const response = await fetch(`${t.base}${path}`, { method });
      expect({ method, path, allow: response.headers.get("allow") }).toEqual({ method, path, allow });
      const body = await expectError(response, 405, "method_not_allowed");
      expect(body.error.message).toContain(method);
    }
  });

  test("a body over the limit is 413, declared in Content-Length", async () => {
    const before = await catalogDump(t.db);
    const huge = JSON.stringify({
      name: "is_huge",
      title: "x",
      expression: `"${"x".repeat(MAX_BODY_BYTES)}"`,
    });
    await expectError(await post("/admin/rules", huge), 413, "payload_too_large");
    // Before routing and before auth: an unknown path and no token get the same answer.
    const anonymous = await fetch(`${t.base}/no/such/path`, {
      method: "POST",
      headers: JSON_TYPE,
      body: huge,
    });
    await expectError(anonymous, 413, "payload_too_large");
    expect(await catalogDump(t.db)).toEqual(before);
  });

  test("a chunked body (no Content-Length) is 413 once it grows past the limit", async () => {
    const before = await catalogDump(t.db);
    const chunk = new TextEncoder().encode(`"${"x".repeat(16 * 1024)}",`);
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(new TextEncoder().encode('{"name":"is_chunked","x":[')),
      pull: (controller) => {
        // Far past the limit, and finite, so a server that reads it all still answers.
        if (sent > 4 * MAX_BODY_BYTES) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const response = await post("/admin/rules", endless);
    await expectError(response, 413, "payload_too_large");
    expect(await catalogDump(t.db)).toEqual(before);
  });

  test("a chunked body within the limit is read and accepted", async () => {
    const bytes = new TextEncoder().encode(validRule("is_streamed"));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
        controller.close();
      },
    });
    const response = await post("/admin/rules", stream);
    expect(response.status).toBe(201);
    expect(response.headers.get("x-request-id")).toMatch(UUID);
  });

  test("a body that is not application/json is 415 where JSON is taken", async () => {
    const before = await catalogDump(t.db);
    const body = validRule("is_plain");
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "application/jsonp",
      "text/json",
    ]) {
      const response = await post("/admin/rules", body, { "content-type": type });
      const error = await expectError(response, 415, "unsupported_media_type");
      expect(error.error.message).toContain(type);
    }
    // No Content-Type at all (fetch adds text/plain to a string body, so send bytes).
    await expectError(
      await post("/admin/rules", new TextEncoder().encode(body), {}),
      415,
      "unsupported_media_type",
    );
    const put = await fetch(`${t.base}/admin/rules/${ruleId}`, {
      method: "PUT",
      headers: { ...ADMIN, "content-type": "text/plain", "if-match": "1" },
      body,
    });
    await expectError(put, 415, "unsupported_media_type");
    expect(await catalogDump(t.db)).toEqual(before);
  });

  test("application/json with parameters is JSON", async () => {
    const response = await post("/admin/rules", validRule("is_charset"), {
      "content-type": "Application/JSON; charset=utf-8",
    });
    expect(response.status).toBe(201);
  });

  test("without a token the body is not looked at: 401, not 415 or 400", async () => {
    const response = await fetch(`${t.base}/admin/rules`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "[".repeat(100_000),
    });
    await expectError(response, 401, "unauthorized");
  });

  test("JSON nested 100,000 deep is 400, not a stack overflow", async () => {
    const before = await catalogDump(t.db);
    const deepArray = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const deepObject = `${'{"a":'.repeat(40_000)}1${"}".repeat(40_000)}`;
    for (const body of [deepArray, deepObject, `{"name":${deepArray}}`]) {
      const error = await expectError(await post("/admin/rules", body), 400, "bad_request");
      expect(error.error.message).toContain("nested deeper than 64");
    }
    expect(await catalogDump(t.db)).toEqual(before);
  });

  test("nesting up to 64 levels is validated as usual; brackets inside strings do not count", async () => {
    const at64 = `${"[".repeat(64)}${"]".repeat(64)}`;
    await expectError(await post("/admin/rules", at64), 422, "validation_failed");
    const at65 = `${"[".repeat(65)}${"]".repeat(65)}`;
    await expectError(await post("/admin/rules", at65), 400, "bad_request");
    const bracketsInString = JSON.stringify({
      name: "is_brackets",
      title: "[".repeat(200),
      expression: "true",
    });
    expect((await post("/admin/rules", bracketsInString)).status).toBe(201);
  });

  test("malformed JSON, an empty body and bad UTF-8 are 400", async () => {
    await expectError(await post("/admin/rules", '{"name": "x",'), 400, "bad_request");
    await expectError(await post("/admin/rules", ""), 400, "bad_request");
    const badUtf8 = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]);
    const error = await expectError(await post("/admin/rules", badUtf8), 400, "bad_request");
    expect(error.error.message).toContain("UTF-8");
  });
});
