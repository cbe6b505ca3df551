import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { STARTUP_TIMEOUT_MS } from "../admin/support.ts";
import { catalogWriter } from "../support/catalog.ts";
import { ADMIN, expectError, JSON_TYPE, startLiveApp, UUID } from "./live.ts";

/** Request ids and path ids over real HTTP (issue 13, point 5). */
let t: Awaited<ReturnType<typeof startLiveApp>>;
const ids: number[] = [];
let groupId: number;
beforeAll(async () => {
  t = await startLiveApp();
  const write = catalogWriter(t.db);
  // Rules 1..16, so that a path that slipped through as 16 or 10 would find one.
  for (let i = 1; i <= 16; i++) ids.push(await write.rule(`is_rule_${i}`, "is_manager"));
  groupId = await write.sidebarGroup({ title: "Главная", icon: "home", order: 0 });
}, STARTUP_TIMEOUT_MS);
afterAll(() => t?.close());

/** The per-request log line for an id (written after the answer is sent, so wait for it). */
async function logLineFor(requestId: string) {
  for (let i = 0; i < 100; i++) {
    const line = t.logger.lines.find((l) => l.msg === "request" && l.request_id === requestId);
    if (line) return line;
    await Bun.sleep(10);
  }
  return undefined;
}

describe("X-Request-Id", () => {
  test("a safe id of up to 64 characters is kept: header, error body and log line", async () => {
    for (const id of [
      "abc-123",
      "trace_01HZX.span:7",
      "A".repeat(64),
      "550e8400-e29b-41d4-a716-446655440000",
    ]) {
      const response = await fetch(`${t.base}/nope`, { headers: { "x-request-id": id } });
      expect(response.headers.get("x-request-id")).toBe(id);
      const body = await expectError(response, 404, "not_found");
      expect(body.error.request_id).toBe(id);
      expect(await logLineFor(id)).toMatchObject({ status: 404, route: "unmatched" });
    }
  });

  test("an unsafe or over-long id is replaced by a new UUID everywhere", async () => {
    const unsafe = ["A".repeat(65), "x".repeat(10_000), "a b", 'a"b', "<script>", "id\u00e9", "a/b", "a,b"];
    const seen = new Set<string>();
    for (const id of unsafe) {
      const response = await fetch(`${t.base}/nope`, { headers: { "x-request-id": id } });
      const replaced = response.headers.get("x-request-id") ?? "";
      expect(replaced).toMatch(UUID);
      const body = await expectError(response, 404, "not_found");
      expect(JSON.stringify(body)).not.toContain(id);
      const line = await logLineFor(replaced);
      expect(line).toBeDefined();
      expect(JSON.stringify(line)).not.toContain(id);
      seen.add(replaced);
    }
    expect(seen.size).toBe(unsafe.length);
  });

  test("every answer carries one, generated when none was sent, and the log line has it", async () => {
    const huge = "x".repeat(300 * 1024);
    const answers: Array<[string, Promise<Response>, number]> = [
      ["200", fetch(`${t.base}/healthz`), 200],
      ["200 admin", fetch(`${t.base}/admin/rules`, { headers: ADMIN }), 200],
      ["admin page", fetch(`${t.base}/admin`), 200],
      ["swagger", fetch(`${t.base}/swagger/json`), 200],
      ["metrics", fetch(`${t.base}/metrics`), 200],
      ["401", fetch(`${t.base}/admin/rules`), 401],
      ["404", fetch(`${t.base}/nope`), 404],
      ["405", fetch(`${t.base}/healthz`, { method: "DELETE" }), 405],
      ["413", fetch(`${t.base}/admin/rules`, { method: "POST", headers: JSON_TYPE, body: huge }), 413],
      [
        "400",
        fetch(`${t.base}/user.tabs?platform=tv`, { headers: { authorization: "Bearer 00000001" } }),
        400,
      ],
    ];
    const generated = new Set<string>();
    for (const [label, pending, status] of answers) {
      const response = await pending;
      const id = response.headers.get("x-request-id") ?? "";
      expect({ label, status: response.status, id: UUID.test(id) }).toEqual({ label, status, id: true });
      if (status >= 400) expect((await response.json()).error.request_id).toBe(id);
      else await response.arrayBuffer();
      expect({ label, logged: (await logLineFor(id))?.status }).toEqual({ label, logged: status });
      generated.add(id);
    }
    expect(generated.size).toBe(answers.length);
  });

  test("a kept id is returned on success answers too", async () => {
    const response = await fetch(`${t.base}/admin/rules/${ids[0]}`, {
      headers: { ...ADMIN, "x-request-id": "ok-1" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("ok-1");
    expect(await logLineFor("ok-1")).toMatchObject({ route: "/admin/rules/:id", status: 200 });
  });
});

describe("path ids are strict decimal", () => {
  const notIds = [
    "0x10",
    "0X10",
    "1e1",
    "+16",
    "-16",
    "016",
    "0",
    "00",
    "%2016",
    "16%20",
    "%0916",
    "16.0",
    "1_6",
    "%EF%BC%91%EF%BC%96", // fullwidth "１６"
    "2147483648",
    "99999999999",
    "18446744073709551632", // 2^64 + 16
    "Infinity",
    "NaN",
    "16abc",
  ];

  test("decimal ids resolve; 2^31-1 is a valid id that does not exist", async () => {
    const response = await fetch(`${t.base}/admin/rules/16`, { headers: ADMIN });
    expect(response.status).toBe(200);
    expect((await response.json()).id).toBe(16);
    await expectError(await fetch(`${t.base}/admin/rules/2147483647`, { headers: ADMIN }), 404, "not_found");
  });

  test.each(notIds)("/admin/rules/%s is 400, never another rule", async (id) => {
    const response = await fetch(`${t.base}/admin/rules/${id}`, { headers: ADMIN });
    const body = await expectError(response, 400, "bad_request");
    expect(body.error.message).toContain("id");
  });

  test("the same schema guards every admin route with an :id", async () => {
    const routes: Array<[string, string, unknown?]> = [
      ["GET", "/admin/rules/0x10"],
      ["PUT", "/admin/rules/1e1", { name: "is_x", title: "x", expression: "true" }],
      ["DELETE", "/admin/rules/016"],
      ["GET", "/admin/rules/+5/revisions"],
      ["POST", "/admin/rules/0x1/rollback", { version: 1 }],
      ["GET", `/admin/sidebar-groups/0x${groupId.toString(16)}`],
      ["PUT", "/admin/card-groups/1e0", { title: "x", order: 0 }],
      ["DELETE", "/admin/sections/2147483648"],
      ["GET", "/admin/banners/%201"],
    ];
    for (const [method, path, json] of routes) {
      const response = await fetch(`${t.base}${path}`, {
        method,
        headers: { ...ADMIN, ...JSON_TYPE, "if-match": "1" },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 400 });
      await expectError(response, 400, "bad_request");
    }
    // Nothing was changed through a lenient id.
    const rules = (await (await fetch(`${t.base}/admin/rules`, { headers: ADMIN })).json()) as unknown[];
    expect(rules.length).toBe(16);
  });

  test("ids in the audit query are strict too", async () => {
    for (const query of ["entity_id=0x10", "entity_id=1e1", "before_id=016", "before_id=%2B5"]) {
      await expectError(
        await fetch(`${t.base}/admin/audit?${query}`, { headers: ADMIN }),
        400,
        "bad_request",
      );
    }
    expect((await fetch(`${t.base}/admin/audit?entity_id=16`, { headers: ADMIN })).status).toBe(200);
  });
});
