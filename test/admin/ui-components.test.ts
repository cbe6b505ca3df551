import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from "../support/app.ts";
import {
  type ComponentAnswer,
  createRule,
  expectOk,
  type RuleAnswer,
  STARTUP_TIMEOUT_MS,
} from "./support.ts";

/**
 * Creating, editing and deleting components in the admin page, in a real browser against the real
 * server, checked through the admin API. Needs Debian's chromium, like ui.test.ts.
 */
const CHROMIUM = "/usr/bin/chromium";
const RULE_TITLE = `<b>Store</b> directors & co`;

let t: TestApp;
let browser: Browser;
let page: Page;
let base: string;
let rule: RuleAnswer;
const dialogs: string[] = [];

const sections = () => expectOk<ComponentAnswer[]>(t.admin("/admin/sections"));
const message = () => page.locator("#message");

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install it with 'apt-get install -y chromium' to run the UI tests`,
    );
  }
  t = await createTestApp();
  rule = await createRule(t, { name: "is_store_director", title: RULE_TITLE, expression: "is_manager" });
  t.app.listen({ port: 0, hostname: "127.0.0.1" });
  base = `http://127.0.0.1:${t.app.server?.port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  // A fixed zone other than UTC, so the banner window's local-time conversion is really tested.
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, timezoneId: "Europe/Moscow" });
  page.setDefaultTimeout(20_000);
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.accept();
  });
}, STARTUP_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await t?.app.stop();
  await t?.close();
});

async function newComponent(kind: string) {
  await page.selectOption("#new-component-kind", kind);
  await page.click("#new-component");
}

describe("admin UI: components", () => {
  test("create a sidebar group, then a section in it gated by a rule chosen by name", async () => {
    await page.goto(`${base}/admin`);
    await page.fill("#token", TEST_ADMIN_TOKEN);
    await page.click("#token-form button[type=submit]");
    await page.click("#tabs button[data-view=components]");
    await page.locator("#components h3").first().waitFor();

    await newComponent("sidebar-groups");
    expect(await page.locator("#component-form-heading").textContent()).toBe("New sidebar group");
    expect(await page.locator("#component-form [name=url]").isVisible()).toBe(false);
    await page.fill("#component-form [name=title]", "Shops");
    await page.fill("#component-form [name=order]", "1");
    await page.click("#component-form button[type=submit]");
    await message().locator("text=saved sidebar group").waitFor();
    const [group] = await expectOk<ComponentAnswer[]>(t.admin("/admin/sidebar-groups"));
    expect(group?.title).toBe("Shops");

    await newComponent("sections");
    // The rule's HTML title is shown as typed, not parsed.
    const ruleLabel = `is_store_director — ${RULE_TITLE}`;
    expect(await page.locator("#component-form [name=rule_id] option").allTextContents()).toEqual([
      "(none)",
      ruleLabel,
    ]);
    expect(await page.locator("#component-form b").count()).toBe(0);
    await page.fill("#component-form [name=title]", "Store reports");
    await page.fill("#component-form [name=url]", "/store-reports");
    await page.fill("#component-form [name=order]", "2");
    await page.selectOption("#component-form [name=sidebar_group_id]", { label: `Shops (#${group?.id})` });
    await page.selectOption("#component-form [name=rule_id]", { label: ruleLabel });
    await page.uncheck("#component-form [name=platforms][value=android]");
    await page.click("#component-form button[type=submit]");
    await message().locator("text=saved section").waitFor();

    const [section] = await sections();
    expect(section).toMatchObject({
      title: "Store reports",
      url: "/store-reports",
      order: 2,
      sidebar_group_id: group?.id,
      card_group_id: null,
      platforms: ["web", "ios"],
      rule_id: rule.id,
      version: 1,
    });
    // The list names the rule and the group rather than showing ids.
    const row = page.locator("#components tr", { hasText: "Store reports" });
    expect(await row.textContent()).toContain("is_store_director");
    expect(await row.textContent()).toContain("Shops");
  });

  test("edit the section's title from the list", async () => {
    await page.click("#cancel-component");
    await page.locator("#components tr", { hasText: "Store reports" }).click();
    await page.locator("#component-form-heading", { hasText: "version 1" }).waitFor();
    expect(await page.inputValue("#component-form [name=title]")).toBe("Store reports");
    await page.fill("#component-form [name=title]", "Store reports (weekly)");
    await page.click("#component-form button[type=submit]");
    await message().locator("text=version 2").waitFor();
    const [section] = await sections();
    expect(section).toMatchObject({ title: "Store reports (weekly)", rule_id: rule.id, version: 2 });
  });

  test("a stale edit shows the 409 conflict and does not overwrite the other change", async () => {
    const [section] = await sections();
    if (!section) throw new Error("no section");
    // Someone else changes it while the form still holds version 2.
    await expectOk(
      t.admin(`/admin/sections/${section.id}`, {
        method: "PUT",
        headers: { "if-match": String(section.version) },
        json: {
          title: "Changed elsewhere",
          url: section.url,
          order: 2,
          sidebar_group_id: section.sidebar_group_id,
        },
      }),
    );
    await page.fill("#component-form [name=title]", "My change");
    await page.click("#component-form button[type=submit]");
    await page.locator("#message[data-kind=error]", { hasText: "(409)" }).waitFor();
    const text = (await message().textContent()) ?? "";
    expect(text).toContain("changed by someone else");
    expect(text).toContain("stale If-Match");
    const [after] = await sections();
    expect(after).toMatchObject({ title: "Changed elsewhere", version: 3 });
    // The list shows the other change; the form keeps this one, to apply again.
    await page.locator("#components tr", { hasText: "Changed elsewhere" }).waitFor();
    expect(await page.inputValue("#component-form [name=title]")).toBe("My change");
    await page.screenshot({ path: "/tmp/lk-admin-components.png", fullPage: true });
  });

  test("delete the section after confirming", async () => {
    await page.click("#cancel-component");
    await page.locator("#components tr", { hasText: "Changed elsewhere" }).click();
    await page.locator("#component-form-heading", { hasText: "version 3" }).waitFor();
    await page.click("#delete-component");
    await message().locator("text=deleted section").waitFor();
    expect(dialogs).toEqual([`Delete section "Changed elsewhere"?`]);
    expect(await sections()).toEqual([]);
    expect(await page.locator("#component-form").isVisible()).toBe(false);
  });

  test("a banner's window is entered in local time and stored as instants", async () => {
    await newComponent("banners");
    expect(await page.locator("#component-form [name=sidebar_group_id]").isVisible()).toBe(false);
    await page.fill("#component-form [name=title]", "Spring sale");
    await page.fill("#component-form [name=image_url]", "https://cdn.example.com/spring.png");
    await page.fill("#component-form [name=starts_at]", "2026-03-01T09:00");
    await page.fill("#component-form [name=ends_at]", "2026-03-08T18:30");
    await page.click("#component-form button[type=submit]");
    await message().locator("text=saved banner").waitFor();
    const [banner] = await expectOk<ComponentAnswer[]>(t.admin("/admin/banners"));
    expect(banner).toMatchObject({
      title: "Spring sale",
      link: null,
      platforms: null, // all ticked: every platform
      rule_id: null,
      starts_at: "2026-03-01T06:00:00.000Z", // Moscow is UTC+3
      ends_at: "2026-03-08T15:30:00.000Z",
    });

    // A window that ends before it starts: the server's message and details show in the page.
    await page.fill("#component-form [name=ends_at]", "2026-02-01T09:00");
    await page.click("#component-form button[type=submit]");
    await page.locator("#message[data-kind=error]", { hasText: "ends_at must be after starts_at" }).waitFor();
  });
});
