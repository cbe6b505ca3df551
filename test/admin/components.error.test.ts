/**
 * The component routes refusing what they must: stale or missing If-Match, unknown ids, bad
 * bodies, references that do not resolve, deletes that would orphan sections, banner windows.
 * Every refused request also proves the database is exactly as before (expectRefused).
 */
import { describe, expect, test } from "bun:test";
import {
  COMPONENT_PATHS,
  createComponent,
  expectOk,
  expectRefused,
  putComponent,
  useComponentApp,
} from "./support.ts";

const { t, body } = useComponentApp();

describe.each(COMPONENT_PATHS)("%s", (path) => {
  test("a PUT without If-Match is 428, a stale one 409, an unknown id 404, an unknown field 422", async () => {
    const created = await createComponent(t, path, body(path));
    await expectOk(putComponent(t, path, created.id, 1, { ...body(path), title: "Renamed" }));
    await expectRefused(
      t,
      () => putComponent(t, path, created.id, null, body(path)),
      428,
      "precondition_required",
    );
    const stale = await expectRefused(
      t,
      () => putComponent(t, path, created.id, 1, body(path)),
      409,
      "conflict",
    );
    expect(stale.details[0]).toMatchObject({ current_version: 2 });
    await expectRefused(t, () => putComponent(t, path, 999999, 1, body(path)), 404, "not_found");
    await expectRefused(
      t,
      () => putComponent(t, path, created.id, 2, { ...body(path), extra: true }),
      422,
      "validation_failed",
    );
  });

  test("deleting twice: the second is 404", async () => {
    const created = await createComponent(t, path, body(path));
    await expectOk(t.admin(`/admin/${path}/${created.id}`, { method: "DELETE" }));
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
      () => t.admin(`/admin/${path}`, { method: "POST", json: { ...body(path), rule_id: 999999 } }),
      422,
      "validation_failed",
    );
    expect(error.message).toContain("rule_id");
    expect(error.message).toContain("999999");
  });

  test("unknown fields, wrong types and missing fields are 422; malformed JSON 400", async () => {
    const send = (json: unknown) => () => t.admin(`/admin/${path}`, { method: "POST", json });
    await expectRefused(t, send({ ...body(path), colour: "red" }), 422, "validation_failed");
    await expectRefused(t, send({ ...body(path), order: "1" }), 422, "validation_failed");
    await expectRefused(t, send({ ...body(path), order: -1 }), 422, "validation_failed");
    const { title: _title, ...untitled } = body(path);
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
});

describe("component specifics", () => {
  test("moving a section into a missing group is 422", async () => {
    const section = await createComponent(t, "sections", body("sections"));
    const moved = { ...body("sections"), sidebar_group_id: 999999 };
    const error = await expectRefused(
      t,
      () => putComponent(t, "sections", section.id, 1, moved),
      422,
      "validation_failed",
    );
    expect(error.message).toContain("sidebar_group_id");
    const intoCards = { ...body("sections"), card_group_id: 999999 };
    const cardError = await expectRefused(
      t,
      () => putComponent(t, "sections", section.id, 1, intoCards),
      422,
      "validation_failed",
    );
    expect(cardError.message).toContain("card_group_id");
  });

  test("a group that still holds sections cannot be deleted: 409 naming them", async () => {
    const group = await createComponent(t, "sidebar-groups", { title: "Holder", order: 5 });
    const cards = await createComponent(t, "card-groups", { title: "Card holder", order: 5 });
    const section = await createComponent(t, "sections", {
      ...body("sections"),
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

  test("platforms: known ones, no repeats, not empty (null means all)", async () => {
    for (const platforms of [["web", "web"], [], ["desktop"], "web"]) {
      await expectRefused(
        t,
        () => t.admin("/admin/sections", { method: "POST", json: { ...body("sections"), platforms } }),
        422,
        "validation_failed",
      );
    }
  });

  test("a banner window must end after it starts, also after a PUT changes one end", async () => {
    const send = (json: unknown) => () => t.admin("/admin/banners", { method: "POST", json });
    await expectRefused(
      t,
      send({ ...body("banners"), ends_at: "2026-12-01T00:00:00+03:00" }),
      422,
      "validation_failed",
    );
    await expectRefused(t, send({ ...body("banners"), starts_at: "tomorrow" }), 422, "validation_failed");
    const banner = await createComponent(t, "banners", body("banners"));
    const { ends_at: _end, ...withoutEnd } = body("banners");
    await expectRefused(
      t,
      () => putComponent(t, "banners", banner.id, 1, { ...withoutEnd, starts_at: "2027-02-01T00:00:00Z" }),
      422,
      "validation_failed",
    );
    expect(banner.starts_at).toBe("2026-12-19T21:00:00.000Z");
  });

  test("concurrent edits of one component: one wins, the others are 409", async () => {
    const group = await createComponent(t, "card-groups", { title: "Contended", order: 1 });
    const responses = await Promise.all(
      ["a", "b", "c"].map((title) => putComponent(t, "card-groups", group.id, 1, { title, order: 1 })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409, 409]);
  });
});
