import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../support/app.ts";
import {
  type ComponentAnswer,
  createComponent,
  createRule,
  expectOk,
  expectRefused,
  STARTUP_TIMEOUT_MS,
} from "./support.ts";

let t: TestApp;
let ruleId: number;
let groupId: number;
beforeAll(async () => {
  t = await createTestApp();
  ruleId = (await createRule(t, { name: "is_manager_rule", title: "Managers", expression: "is_manager" })).id;
  groupId = (await createComponent(t, "sidebar-groups", { title: "Base group", order: 0 })).id;
}, STARTUP_TIMEOUT_MS);
afterAll(() => t?.close());

const put = (path: string, id: number, version: number | null, json: unknown) =>
  t.admin(`/admin/${path}/${id}`, {
    method: "PUT",
    headers: version === null ? {} : { "if-match": String(version) },
    json,
  });

/** One valid body per kind, and a field each may change. */
const KINDS = [
  { path: "sidebar-groups", body: () => ({ title: "Кадры", icon: "people", order: 1, rule_id: ruleId }) },
  { path: "card-groups", body: () => ({ title: "Main cards", order: 2, rule_id: null }) },
  {
    path: "sections",
    body: () => ({
      title: "Расчётный лист",
      url: "/payslip",
      icon: "doc",
      order: 3,
      sidebar_group_id: groupId,
      platforms: ["web", "ios"],
      rule_id: ruleId,
    }),
  },
  {
    path: "banners",
    body: () => ({
      title: "New Year",
      image_url: "https://cdn.example.com/ny.png",
      link: "https://portal.example.com/ny",
      order: 0,
      platforms: null,
      starts_at: "2026-12-20T00:00:00+03:00",
      ends_at: "2027-01-10T00:00:00+03:00",
    }),
  },
] as const;

describe.each(KINDS)("$path", ({ path, body }) => {
  test("create, read, list, change with If-Match, delete", async () => {
    const response = await t.admin(`/admin/${path}`, { method: "POST", json: body() });
    const created = await expectOk<ComponentAnswer>(response.clone(), 201);
    expect(created).toMatchObject({ version: 1, title: body().title });
    expect(response.headers.get("location")).toBe(`/admin/${path}/${created.id}`);
    expect(response.headers.get("etag")).toBe('"1"');
    expect(typeof created.created_at).toBe("string");

    const list = await expectOk<ComponentAnswer[]>(t.admin(`/admin/${path}`));
    expect(list).toContainEqual(created);
    expect(await expectOk(t.admin(`/admin/${path}/${created.id}`))).toEqual(created);

    const changed = await expectOk<ComponentAnswer>(
      put(path, created.id, 1, { ...body(), title: "Renamed" }),
    );
    expect(changed).toMatchObject({ version: 2, title: "Renamed" });

    await expectRefused(t, () => put(path, created.id, null, body()), 428, "precondition_required");
    const stale = await expectRefused(t, () => put(path, created.id, 1, body()), 409, "conflict");
    expect(stale.details[0]).toMatchObject({ current_version: 2 });
    await expectRefused(t, () => put(path, 999999, 1, body()), 404, "not_found");
    await expectRefused(
      t,
      () => put(path, created.id, 2, { ...body(), extra: true }),
      422,
      "validation_failed",
    );

    const deleted = await expectOk(t.admin(`/admin/${path}/${created.id}`, { method: "DELETE" }));
    expect(deleted).toEqual(changed);
    await expectRefused(t, () => t.admin(`/admin/${path}/${created.id}`), 404, "not_found");
    await expectRefused(
      t,
      () => t.admin(`/admin/${path}/${created.id}`, { method: "DELETE" }),
      404,
      "not_found",
    );
  });

  test("a rule_id that does not exist is 422 naming the field", async () => {
    const error = await expectRefused(
      t,
      () => t.admin(`/admin/${path}`, { method: "POST", json: { ...body(), rule_id: 999999 } }),
      422,
      "validation_failed",
    );
    expect(error.message).toContain("rule_id");
    expect(error.message).toContain("999999");
  });

  test("unknown fields, wrong types and missing fields are 422; malformed JSON 400", async () => {
    const send = (json: unknown) => () => t.admin(`/admin/${path}`, { method: "POST", json });
    await expectRefused(t, send({ ...body(), colour: "red" }), 422, "validation_failed");
    await expectRefused(t, send({ ...body(), order: "1" }), 422, "validation_failed");
    await expectRefused(t, send({ ...body(), order: -1 }), 422, "validation_failed");
    const { title: _title, ...untitled } = body();
    await expectRefused(t, send(untitled), 422, "validation_failed");
    await expectRefused(
      t,
      () =>
        t.admin(`/admin/${path}`, {
          method: "POST",
          body: "{",
          headers: { "content-type": "application/json" },
        }),
      400,
      "bad_request",
    );
  });

  test("a title with HTML is stored as typed", async () => {
    const title = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const created = await createComponent(t, path, { ...body(), title });
    expect(created.title).toBe(title);
  });
});

describe("component specifics", () => {
  test("a PUT keeps optional fields it leaves out, and null clears them", async () => {
    const section = await createComponent(t, "sections", KINDS[2].body());
    const { icon: _icon, platforms: _platforms, ...rest } = KINDS[2].body();
    const kept = await expectOk<ComponentAnswer>(put("sections", section.id, 1, { ...rest, title: "Kept" }));
    expect(kept).toMatchObject({ icon: "doc", platforms: ["web", "ios"], title: "Kept" });
    const cleared = await expectOk<ComponentAnswer>(
      put("sections", section.id, 2, { ...rest, icon: null, platforms: null }),
    );
    expect(cleared).toMatchObject({ icon: null, platforms: null });
  });

  test("moving a section into a missing group is 422", async () => {
    const section = await createComponent(t, "sections", KINDS[2].body());
    const moved = { ...KINDS[2].body(), sidebar_group_id: 999999 };
    const error = await expectRefused(
      t,
      () => put("sections", section.id, 1, moved),
      422,
      "validation_failed",
    );
    expect(error.message).toContain("sidebar_group_id");
    const intoCards = { ...KINDS[2].body(), card_group_id: 999999 };
    const cardError = await expectRefused(
      t,
      () => put("sections", section.id, 1, intoCards),
      422,
      "validation_failed",
    );
    expect(cardError.message).toContain("card_group_id");
  });

  test("a group that still holds sections cannot be deleted: 409 naming them", async () => {
    const group = await createComponent(t, "sidebar-groups", { title: "Holder", order: 5 });
    const cards = await createComponent(t, "card-groups", { title: "Card holder", order: 5 });
    const section = await createComponent(t, "sections", {
      ...KINDS[2].body(),
      title: "Held",
      sidebar_group_id: group.id,
      card_group_id: cards.id,
    });
    for (const path of [`sidebar-groups/${group.id}`, `card-groups/${cards.id}`]) {
      const error = await expectRefused(
        t,
        () => t.admin(`/admin/${path}`, { method: "DELETE" }),
        409,
        "conflict",
      );
      expect(error.message).toContain("Held");
      expect(error.details).toContainEqual(expect.objectContaining({ kind: "section", id: section.id }));
    }
  });

  test("links must be http(s) or a portal path: javascript: and friends are 422", async () => {
    for (const url of [
      "javascript:alert(1)",
      "data:text/html,x",
      "//evil.example.com/x",
      "payslip",
      "ftp://x/y",
    ]) {
      await expectRefused(
        t,
        () => t.admin("/admin/sections", { method: "POST", json: { ...KINDS[2].body(), url } }),
        422,
        "validation_failed",
      );
    }
    await expectRefused(
      t,
      () =>
        t.admin("/admin/banners", {
          method: "POST",
          json: { ...KINDS[3].body(), link: "javascript:void(0)" },
        }),
      422,
      "validation_failed",
    );
  });

  test("platforms: known ones, no repeats, not empty (null means all)", async () => {
    for (const platforms of [["web", "web"], [], ["desktop"], "web"]) {
      await expectRefused(
        t,
        () => t.admin("/admin/sections", { method: "POST", json: { ...KINDS[2].body(), platforms } }),
        422,
        "validation_failed",
      );
    }
  });

  test("a banner window must end after it starts, also after a PUT changes one end", async () => {
    const send = (json: unknown) => () => t.admin("/admin/banners", { method: "POST", json });
    await expectRefused(
      t,
      send({ ...KINDS[3].body(), ends_at: "2026-12-01T00:00:00+03:00" }),
      422,
      "validation_failed",
    );
    await expectRefused(t, send({ ...KINDS[3].body(), starts_at: "tomorrow" }), 422, "validation_failed");
    const banner = await createComponent(t, "banners", KINDS[3].body());
    const { ends_at: _end, ...withoutEnd } = KINDS[3].body();
    await expectRefused(
      t,
      () => put("banners", banner.id, 1, { ...withoutEnd, starts_at: "2027-02-01T00:00:00Z" }),
      422,
      "validation_failed",
    );
    expect(banner.starts_at).toBe("2026-12-19T21:00:00.000Z");
  });

  test("concurrent edits of one component: one wins, the others are 409", async () => {
    const group = await createComponent(t, "card-groups", { title: "Contended", order: 1 });
    const responses = await Promise.all(
      ["a", "b", "c"].map((title) => put("card-groups", group.id, 1, { title, order: 1 })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409, 409]);
  });
});
