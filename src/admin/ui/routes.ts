import { readFileSync } from "node:fs";
import { Elysia } from "elysia";
import { z } from "zod";

/**
 * The admin web UI: one HTML page, one script, one stylesheet, read once at start. The page holds
 * no data, so it is served without a token; every data call it makes carries the admin token.
 * The CSP allows only these same-origin files: no inline script, nothing from elsewhere, so even
 * a title that slipped into the page as HTML could not run script.
 */
const read = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), "utf8");

const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-cache",
};

export function adminUiRoutes() {
  const page = read("index.html");
  const script = read("app.js");
  const style = read("app.css");
  const serve = (body: string, type: string) =>
    new Response(body, { headers: { ...SECURITY_HEADERS, "content-type": `${type}; charset=utf-8` } });
  return new Elysia({ tags: ["admin"] })
    .get("", () => serve(page, "text/html"), {
      response: { 200: z.string().describe("The admin page (HTML)") },
      detail: {
        summary: "The admin web UI",
        description:
          "Served without a token: the page asks for the admin token and sends it with every data call.",
      },
    })
    .get("/ui/app.js", () => serve(script, "text/javascript"), { detail: { hide: true } })
    .get("/ui/app.css", () => serve(style, "text/css"), { detail: { hide: true } });
}
