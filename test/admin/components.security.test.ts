/**
 * The component routes against hostile input: markup in titles (stored as typed, rendered as
 * text everywhere) and links that would run script. The shared suite every admin route runs is
 * every-route.security.test.ts.
 */
import { describe, expect, test } from "bun:test";
import { COMPONENT_PATHS, createComponent, expectRefused, useComponentApp } from "./support.ts";

const { t, body } = useComponentApp();

describe.each(COMPONENT_PATHS)("%s", (path) => {
  test("a title with HTML is stored as typed", async () => {
    const title = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const created = await createComponent(t, path, { ...body(path), title });
    expect(created.title).toBe(title);
  });
});

describe("links", () => {
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
        () => t.admin("/admin/sections", { method: "POST", json: { ...body("sections"), url } }),
        422,
        "validation_failed",
      );
    }
    await expectRefused(
      t,
      () =>
        t.admin("/admin/banners", {
          method: "POST",
          json: { ...body("banners"), link: "javascript:void(0)" },
        }),
      422,
      "validation_failed",
    );
  });
});
