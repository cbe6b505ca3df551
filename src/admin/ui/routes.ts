import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { Elysia } from "elysia";
import { z } from "zod";
import { adminScript } from "./bundle.ts";

/**
 * The admin web UI: one HTML page, one bundled script (client/, see bundle.ts), one stylesheet
 * and a placeholder picture. The page holds no data, so it is served without a token; every data
 * call it makes carries the admin token. The CSP allows script and style only from here, nothing
 * inline, so even a title that slipped into the page as HTML could not run script. Images may
 * come from https: banners live on the portal's CDN, and the admin should see them.
 */
const read = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), "utf8");

/**
 * `nonce`: the page's own, for the <style> elements the editor (CodeMirror) creates; the script
 * reads it from the page's meta tag. Other files carry the policy without one.
 */
const securityHeaders = (nonce?: string) => ({
  "content-security-policy":
    `default-src 'none'; script-src 'self'; style-src 'self'${nonce ? ` 'nonce-${nonce}'` : ""}; ` +
    "img-src 'self' data: https:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  ...OTHER_HEADERS,
});

const OTHER_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-cache",
};

export function adminUiRoutes() {
  const page = read("index.html");
  const style = read("app.css");
  const placeholder = read("placeholder.svg");
  const serve = (body: string, type: string, nonce?: string) =>
    new Response(body, { headers: { ...securityHeaders(nonce), "content-type": `${type}; charset=utf-8` } });
  const servePage = () => {
    const nonce = randomBytes(16).toString("base64");
    return serve(page.replace("%CSP_NONCE%", nonce), "text/html", nonce);
  };
  return new Elysia({ tags: ["admin"] })
    .get("", servePage, {
      response: { 200: z.string().describe("The admin page (HTML)") },
      detail: {
        summary: "The admin web UI",
        description:
          "Served without a token: the page asks for the admin token and sends it with every data call.",
      },
    })
    .get("/ui/app.js", async () => serve(await adminScript(), "text/javascript"), { detail: { hide: true } })
    .get("/ui/app.css", () => serve(style, "text/css"), { detail: { hide: true } })
    .get("/ui/placeholder.svg", () => serve(placeholder, "image/svg+xml"), { detail: { hide: true } });
}
