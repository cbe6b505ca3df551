import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from "../support/app.ts";
import { makeEmployee } from "../support/employees.ts";
import { createComponent, createRule, STARTUP_TIMEOUT_MS } from "./support.ts";

/**
 * The admin page in a real browser against the real server. Needs Debian's chromium
 * (`apt-get install -y chromium`); without it this file fails, it does not skip.
 */
const CHROMIUM = "/usr/bin/chromium";
const XSS_TITLE = `<img src=x onerror="window.__pwned=1;alert(1)"> Directors & <b>co</b>`;

let t: TestApp;
let browser: Browser;
let page: Page;
let base: string;
const dialogs: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install it with 'apt-get install -y chromium' to run the UI tests`,
    );
  }
  t = await createTestApp({ employees: [makeEmployee({ personnel_number: "00123456", region: "R077" })] });
  const rule = await createRule(t, { name: "is_director_xss", title: XSS_TITLE, expression: "is_manager" });
  const group = await createComponent(t, "sidebar-groups", { title: "HR", order: 1 });
  await createComponent(t, "sections", {
    title: "Always there",
    url: "/always",
    order: 1,
    sidebar_group_id: group.id,
  });
  await createComponent(t, "sections", {
    title: "Directors only",
    url: "/directors",
    order: 2,
    sidebar_group_id: group.id,
    rule_id: rule.id,
  });
  await createComponent(t, "sections", {
    title: "Phones only",
    url: "/phones",
    order: 3,
    sidebar_group_id: group.id,
    platforms: ["ios", "android"],
  });
  t.app.listen({ port: 0, hostname: "127.0.0.1" });
  base = `http://127.0.0.1:${t.app.server?.port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  // A browser on a busy 2-core machine: generous bounds for each wait (the tests never sleep).
  page.setDefaultTimeout(20_000);
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
}, STARTUP_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await t?.app.stop();
  await t?.close();
});

describe("admin UI", () => {
  test("enter the token; the rules list shows an HTML title as text", async () => {
    await page.goto(`${base}/admin`);
    await page.fill("#token", TEST_ADMIN_TOKEN);
    await page.click("#token-form button[type=submit]");
    const row = page.locator("#rules-table tbody tr", { hasText: "is_director_xss" });
    await row.waitFor();
    expect(await row.locator("td").nth(1).textContent()).toBe(XSS_TITLE);
    expect(await page.locator("#rules-table img").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    // The token is kept for the tab only, and is not in the page.
    expect(await page.evaluate(() => sessionStorage.getItem("lk-admin-token"))).toBe(TEST_ADMIN_TOKEN);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
  });

  test("create a rule: a typo'd variable shows as an error with line:column; the fixed rule saves and is listed", async () => {
    await page.click("#new-rule");
    await page.fill("#rule-form [name=name]", "is_moscow_ui");
    await page.fill("#rule-form [name=title]", "Moscow (from the UI)");
    await page.fill("#rule-form [name=expression]", 'is_manager &&\n  regoin === "R077"');
    const check = page.locator("#rule-check");
    await check.locator(".problems li", { hasText: "regoin" }).waitFor();
    expect(await check.textContent()).toContain("2:3");

    await page.fill("#rule-form [name=expression]", 'is_manager &&\n  region === "R077"');
    await check.locator(".ok").waitFor();
    expect(await check.textContent()).toContain("valid");

    await page.click("#rule-form button[type=submit]");
    await page.locator("#message", { hasText: "saved rule is_moscow_ui" }).waitFor();
    await page.locator("#rules-table tbody tr", { hasText: "is_moscow_ui" }).waitFor();
    expect(await page.locator("#rule-form-heading").textContent()).toContain("version 1");
    await page.screenshot({ path: "/tmp/lk-admin-rules.png", fullPage: true });
  });

  test("saving an invalid rule shows the server's problems", async () => {
    await page.click("#new-rule");
    await page.fill("#rule-form [name=name]", "class");
    await page.fill("#rule-form [name=title]", "Reserved");
    await page.fill("#rule-form [name=expression]", "true");
    await page.click("#rule-form button[type=submit]");
    await page.locator("#message[data-kind=error]", { hasText: "class" }).waitFor();
    expect(await page.locator("#rule-check").textContent()).toContain("class");
  });

  test("the components list shows every kind", async () => {
    await page.click("#tabs button[data-view=components]");
    await page.locator("#components table", { hasText: "Directors only" }).waitFor();
    expect(await page.locator("#components h3").allTextContents()).toEqual([
      "Sidebar groups",
      "Card groups",
      "Sections",
      "Banners",
    ]);
  });

  test("preview: the tree, the rule results and why something is hidden", async () => {
    await page.click("#tabs button[data-view=preview]");
    await page.fill("#preview-form [name=personnel_number]", "123456");
    await page.selectOption("#preview-form [name=platform]", "web");
    await page.click("#preview-form button[type=submit]");
    await page.locator("#preview-rules", { hasText: "is_moscow_ui" }).waitFor();
    const tree = (await page.locator("#preview-tree").textContent()) ?? "";
    expect(tree).toContain("Always there");
    expect(tree).toContain("Directors only");
    const rules = (await page.locator("#preview-rules").textContent()) ?? "";
    expect(rules).toContain("is_director_xss");
    expect(rules).toContain("true");
    const hidden = (await page.locator("#preview-hidden").textContent()) ?? "";
    expect(hidden).toContain("platform");
    expect(tree).not.toContain("Phones only");
    await page.screenshot({ path: "/tmp/lk-admin-ui.png", fullPage: true });
  });

  test("the audit list shows the changes", async () => {
    await page.click("#tabs button[data-view=audit]");
    await page.locator("#audit-table tbody tr", { hasText: "is_moscow_ui" }).waitFor();
    const first = await page.locator("#audit-table tbody tr").first().textContent();
    expect(first).toContain("admin-token");
    expect(dialogs).toEqual([]);
  });
});
