/**
 * The component routes doing what they are for, for each kind: create, read, list, change,
 * delete, and a PUT that keeps what it leaves out. Refusals are components.error.test.ts, hostile
 * input components.security.test.ts.
 */
import { describe, expect, test } from "bun:test";
import {
  COMPONENT_PATHS,
  type ComponentAnswer,
  createComponent,
  expectOk,
  expectRefused,
  putComponent,
  useComponentApp,
} from "./support.ts";

const { t, body } = useComponentApp();

describe.each(COMPONENT_PATHS)("%s", (path) => {
  test("create, read, list, change with If-Match, delete", async () => {
    const response = await t.admin(`/admin/${path}`, { method: "POST", json: body(path) });
    const created = await expectOk<ComponentAnswer>(response.clone(), 201);
    expect(created).toMatchObject({ version: 1, title: body(path).title });
    expect(response.headers.get("location")).toBe(`/admin/${path}/${created.id}`);
    expect(response.headers.get("etag")).toBe('"1"');
    expect(typeof created.created_at).toBe("string");

    const list = await expectOk<ComponentAnswer[]>(t.admin(`/admin/${path}`));
    expect(list).toContainEqual(created);
    expect(await expectOk(t.admin(`/admin/${path}/${created.id}`))).toEqual(created);

    const changed = await expectOk<ComponentAnswer>(
      putComponent(t, path, created.id, 1, { ...body(path), title: "Renamed" }),
    );
    expect(changed).toMatchObject({ version: 2, title: "Renamed" });

    const deleted = await expectOk(t.admin(`/admin/${path}/${created.id}`, { method: "DELETE" }));
    expect(deleted).toEqual(changed);
    await expectRefused(t, () => t.admin(`/admin/${path}/${created.id}`), 404, "not_found");
  });
});

describe("component specifics", () => {
  test("a PUT keeps optional fields it leaves out, and null clears them", async () => {
    const section = await createComponent(t, "sections", body("sections"));
    const { icon: _icon, platforms: _platforms, ...rest } = body("sections");
    const kept = await expectOk<ComponentAnswer>(
      putComponent(t, "sections", section.id, 1, { ...rest, title: "Kept" }),
    );
    expect(kept).toMatchObject({ icon: "doc", platforms: ["web", "ios"], title: "Kept" });
    const cleared = await expectOk<ComponentAnswer>(
      putComponent(t, "sections", section.id, 2, { ...rest, icon: null, platforms: null }),
    );
    expect(cleared).toMatchObject({ icon: null, platforms: null });
  });
});
