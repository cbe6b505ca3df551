/**
 * The admin UI page's own defences: served without a token but with a strict CSP, and a script
 * that never turns text into markup.
 */
import { describe, expect, test } from "bun:test";
import { useTestApp } from "./support.ts";

const t = useTestApp();

describe("the admin UI page", () => {
  test("GET /admin serves the page without a token, with a strict CSP", async () => {
    const response = await t.request("/admin");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(await response.text()).toContain("/admin/ui/app.js");
    for (const asset of ["/admin/ui/app.js", "/admin/ui/app.css"]) {
      const file = await t.request(asset);
      expect(file.status).toBe(200);
      expect(file.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  test("the page's script never uses innerHTML", async () => {
    const script = await (await t.request("/admin/ui/app.js")).text();
    const markupSinks = script.match(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/g);
    expect(markupSinks).toBeNull();
  });
});
