import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { createTestApp, type TestApp } from "../support/app.ts";

/**
 * Swagger UI with the network cut: every request that leaves 127.0.0.1 is aborted, so the page
 * works only if the service serves all of it. Needs Debian's chromium (fails, never skips).
 */
const CHROMIUM = "/usr/bin/chromium";

let t: TestApp;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: 'apt-get install -y chromium'`);
  t = await createTestApp();
  t.app.listen({ port: 0, hostname: "127.0.0.1" });
  base = `http://127.0.0.1:${t.app.server?.port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
});
afterAll(async () => {
  await browser?.close();
  await t?.app.stop();
  await t?.close();
});

describe("Swagger UI at /swagger, offline", () => {
  test("shows the operations with every request outside 127.0.0.1 blocked", async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(20_000);
    const blocked: string[] = [];
    const failed: string[] = [];
    await page.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === "127.0.0.1") return route.continue();
      blocked.push(url.href);
      return route.abort("internetdisconnected");
    });
    page.on("requestfailed", (request) => failed.push(request.url()));
    await page.goto(`${base}/swagger`);
    await page.locator(".opblock").first().waitFor();
    const paths = await page.locator(".opblock-summary-path").allTextContents();
    const clean = paths.map((p) => p.replace(/\u200b/g, "").trim());
    for (const path of ["/user.tabs", "/readyz", "/healthz", "/metrics", "/admin/rules"]) {
      expect(clean).toContain(path);
    }
    expect(await page.locator(".swagger-ui .info .title").textContent()).toContain("LK personalisation API");
    expect({ blocked, failed }).toEqual({ blocked: [], failed: [] });
    await page.close();
  });

  test("the page names only the service's own assets, pinned by version", async () => {
    const html = await (await fetch(`${base}/swagger`)).text();
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(sources.length).toBeGreaterThanOrEqual(2);
    for (const source of sources) expect(source).toMatch(/^\/swagger\/assets\/\d+\.\d+\.\d+\//);
    for (const source of sources) {
      const response = await fetch(`${base}${source}`);
      expect({ source, status: response.status }).toEqual({ source, status: 200 });
      expect(response.headers.get("cache-control")).toContain("immutable");
    }
  });

  test("a file the package has but we do not serve is 404 in the error shape", async () => {
    const html = await (await fetch(`${base}/swagger`)).text();
    const assets = html.match(/\/swagger\/assets\/[^/]+\//)?.[0];
    const response = await fetch(`${base}${assets}package.json`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });
});
