/**
 * The rules routes against hostile input: text that reads differently from what it is (bidi
 * controls, look-alike letters, invisible characters), markup, and sizes meant to hurt. Every
 * refused request also proves the database is exactly as before (expectRefused). The shared
 * suite every admin route runs (no token, wrong token) is every-route.security.test.ts.
 */
import { describe, expect, test } from "bun:test";
import { createRule, expectRefused, postRule, useTestApp, VALID_RULE as valid } from "./support.ts";

const t = useTestApp();
const post = (json: unknown) => () => postRule(t, json);

describe("text that reads differently from what it is", () => {
  test("a title with control or bidirectional characters is 422", async () => {
    await expectRefused(t, post({ ...valid, title: "Evil\u202Eeulav" }), 422, "validation_failed");
    await expectRefused(t, post({ ...valid, title: "line\u0000break" }), 422, "validation_failed");
    // The same characters as in names and expressions: bidi marks too, not only overrides.
    for (const mark of ["\u200E", "\u200F", "\u061C"]) {
      const error = await expectRefused(t, post({ ...valid, title: `a${mark}b` }), 422, "validation_failed");
      expect(error.message).toContain("bidirectional");
    }
  });

  test("a bidi control in a name is refused with a clear message", async () => {
    const error = await expectRefused(
      t,
      post({ ...valid, name: "is_admin\u202Egnp" }),
      422,
      "validation_failed",
    );
    expect(error.message).toContain("bidirectional");
    expect(error.message).toContain("U+202E");
  });

  test("a Cyrillic letter that looks Latin is refused, saying so", async () => {
    // "is_mаnager" with a Cyrillic а (U+0430)
    const error = await expectRefused(
      t,
      post({ ...valid, name: "is_m\u0430nager_x" }),
      422,
      "validation_failed",
    );
    expect(error.message).toContain("Cyrillic");
    expect(error.message).toContain("U+0430");
  });

  test("zero-width characters are refused", async () => {
    const error = await expectRefused(
      t,
      post({ ...valid, name: "is\u200Bmanager_x" }),
      422,
      "validation_failed",
    );
    expect(error.message).toContain("U+200B");
  });

  test("a bidi override inside an expression (Trojan Source) is 422 at its position", async () => {
    const error = await expectRefused(
      t,
      post({ ...valid, expression: 'region === "R077\u202E" || true' }),
      422,
      "invalid_rule",
    );
    expect(error.details[0]).toMatchObject({ line: 1, column: 17 });
  });
});

describe("markup", () => {
  test("HTML in a title is stored exactly as typed (every consumer renders it as text)", async () => {
    const title = `  <img src=x onerror="alert(1)"> Directors  `;
    const rule = await createRule(t, { name: "is_director_html", title, expression: "is_manager" });
    expect(rule.title).toBe(`<img src=x onerror="alert(1)"> Directors`);
  });
});

describe("sizes", () => {
  test("a body over 256 KiB is 413", async () => {
    const huge = JSON.stringify({ ...valid, expression: `"${"x".repeat(300 * 1024)}"` });
    // As a real client sends it: with its Content-Length (a Request built in-process has none).
    const send = () =>
      t.admin("/admin/rules", {
        method: "POST",
        body: huge,
        headers: { "content-type": "application/json", "content-length": String(huge.length) },
      });
    await expectRefused(t, send, 413, "payload_too_large");
  });

  test("an expression over the length limit is 422", async () => {
    const long = `[${Array.from({ length: 5000 }, (_, i) => `"${i}"`).join(",")}].includes(personnel_number)`;
    expect(long.length).toBeGreaterThan(20_000);
    const error = await expectRefused(t, post({ ...valid, expression: long }), 422, "validation_failed");
    expect(error.message).toContain("20000");
  });
});
