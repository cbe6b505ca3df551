import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from "../support/app.ts";
import {
  type ComponentAnswer,
  createComponent,
  createRule,
  expectOk,
  type RuleAnswer,
  STARTUP_TIMEOUT_MS,
} from "./support.ts";
import { launchBrowser, openPage, signIn, type WatchedPage } from "./ui-browser.ts";

/**
 * Components in the admin page, in a real browser against the real server, checked through the
 * admin API: create, edit, reorder, conflicts, delete; text stays text; the page at 800 px and
 * from the keyboard.
 */
const RULE_TITLE = `<b>Store</b> directors & co`;
const XSS_SECTION = `<script>window.__pwned=1</script> Отчёты`;

let t: TestApp;
let browser: Browser;
let w: WatchedPage;
let page: Page;
let base: string;
let rule: RuleAnswer;

const sections = () => expectOk<ComponentAnswer[]>(t.admin("/admin/sections"));
const message = () => page.locator("#message");
const form = () => page.locator("#component-form");

beforeAll(async () => {
  t = await createTestApp();
  rule = await createRule(t, { name: "is_store_director", title: RULE_TITLE, expression: "is_manager" });
  for (let i = 0; i < 12; i++)
    // Rules enough to need the search (disabled: no trial to wait for on a busy machine).
    await createRule(t, { name: `filler_${i}`, title: `Правило ${i}`, expression: "true", enabled: false });
  t.app.listen({ port: 0, hostname: "127.0.0.1" });
  base = `http://127.0.0.1:${t.app.server?.port}`;
  browser = await launchBrowser();
  w = await openPage(browser, base);
  page = w.page;
  page.on("dialog", () => {}); // none expected: confirmations are the page's own dialog
}, STARTUP_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await t?.app.stop();
  await t?.close();
});

describe("admin UI: components", () => {
  test("create a sidebar group, then a section in it gated by a rule found by search", async () => {
    await signIn(page, base, TEST_ADMIN_TOKEN);
    await page.getByRole("button", { name: "Компоненты" }).click();
    await page.getByRole("button", { name: "Создать группу меню" }).click();
    expect(await page.locator("#component-form-heading").textContent()).toBe("Новый объект: группа меню");
    expect(await form().locator("[name=url]").isVisible()).toBe(false);
    await form().locator("[name=title]").fill("Магазины");
    await form().getByRole("button", { name: "Сохранить" }).click();
    await message().getByText("Группа меню «Магазины» сохранена, версия 1").waitFor();
    const [group] = await expectOk<ComponentAnswer[]>(t.admin("/admin/sidebar-groups"));
    expect(group).toMatchObject({ title: "Магазины", order: 10 });

    await page.getByRole("button", { name: "Создать раздел" }).click();
    await form().locator("[name=title]").fill(XSS_SECTION);
    await form().locator("[name=url]").fill("/store-reports");
    await form().locator("[name=sidebar_group_id]").selectOption({ label: "Магазины" });
    // 13 rules: the search narrows the picker; the rule's HTML title is shown as typed.
    await form().locator("[name=rule_search]").fill("store");
    const ruleLabel = `is_store_director — ${RULE_TITLE}`;
    expect(await form().locator("[name=rule_id] option").allTextContents()).toEqual([
      "(без правила: видят все)",
      ruleLabel,
    ]);
    await form().locator("[name=rule_id]").selectOption({ label: ruleLabel });
    await form().locator("[name=platforms][value=android]").uncheck();
    await form().getByRole("button", { name: "Сохранить" }).click();
    await message().getByText("сохранён, версия 1").waitFor();
    const [section] = await sections();
    expect(section).toMatchObject({
      title: XSS_SECTION,
      url: "/store-reports",
      sidebar_group_id: group?.id,
      card_group_id: null,
      platforms: ["web", "ios"],
      rule_id: rule.id,
      version: 1,
    });
    // Listed under its group, naming the rule; the title is text, not markup.
    const row = page.locator("#components li.component[data-kind=sections]");
    expect(await row.locator("button.link").textContent()).toBe(XSS_SECTION);
    expect(await row.textContent()).toContain("правило: is_store_director");
    expect(await page.locator("#components script, #component-form b").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  test("edit a title from the list; a stale edit shows the conflict and overwrites nothing", async () => {
    await page.locator("#components li.component[data-kind=sections] button.link").click();
    await page.locator("#component-form-heading", { hasText: "версия 1" }).waitFor();
    await form().locator("[name=title]").fill("Отчёты магазина");
    await form().getByRole("button", { name: "Сохранить" }).click();
    await message().getByText("Раздел «Отчёты магазина» сохранён, версия 2").waitFor();

    const [section] = await sections();
    if (!section) throw new Error("no section");
    await expectOk(
      t.admin(`/admin/sections/${section.id}`, {
        method: "PUT",
        headers: { "if-match": String(section.version) },
        json: {
          title: "Изменено другим",
          url: section.url,
          order: section.order,
          sidebar_group_id: section.sidebar_group_id,
        },
      }),
    );
    await form().locator("[name=title]").fill("Моя правка");
    await form().getByRole("button", { name: "Сохранить" }).click();
    await page.locator("#message[data-kind=error]").waitFor();
    expect(await message().textContent()).toContain("Объект уже изменил кто-то другой");
    expect(await sections()).toMatchObject([{ title: "Изменено другим", version: 3 }]);
    await page.locator("#components button.link", { hasText: "Изменено другим" }).waitFor();
    expect(await form().locator("[name=title]").inputValue()).toBe("Моя правка");
  });

  test("reorder with the up and down buttons", async () => {
    const [group] = await expectOk<ComponentAnswer[]>(t.admin("/admin/sidebar-groups"));
    await createComponent(t, "sections", {
      title: "Второй",
      url: "/second",
      order: 40,
      sidebar_group_id: group?.id,
    });
    await page.getByRole("button", { name: "Компоненты" }).click();
    await page.getByRole("button", { name: "«Второй» выше" }).click();
    await message().getByText("Порядок изменён: «Второй» выше").waitFor();
    const ordered = (await sections())
      .sort((a, b) => Number(a.order) - Number(b.order))
      .map((s) => [s.title, s.order]);
    expect(ordered).toEqual([
      ["Второй", 10],
      ["Изменено другим", 20],
    ]);
    expect(
      await page.locator("#components li.component[data-kind=sections] button.link").allTextContents(),
    ).toEqual(["Второй", "Изменено другим"]);
    expect(await page.getByRole("button", { name: "«Второй» выше" }).isDisabled()).toBe(true);
  });

  test("delete asks first (the page's dialog), then deletes", async () => {
    await page.locator("#components button.link", { hasText: "Второй" }).click();
    await page.locator("#component-form-heading", { hasText: "«Второй»" }).waitFor();
    await form().getByRole("button", { name: "Удалить" }).click();
    await page.locator("dialog.confirm").getByRole("button", { name: "Удалить" }).click();
    await message().getByText("Раздел «Второй» удалён").waitFor();
    expect((await sections()).map((s) => s.title)).toEqual(["Изменено другим"]);
    expect(await form().isVisible()).toBe(false);
  });

  test("a banner's window is entered in Moscow time; the server's refusal is in Russian", async () => {
    await page.getByRole("button", { name: "Создать баннер" }).click();
    expect(await form().locator("[name=sidebar_group_id]").isVisible()).toBe(false);
    await form().locator("[name=title]").fill("Весенняя распродажа");
    await form().locator("[name=image_url]").fill(`${base}/admin/ui/placeholder.svg`);
    await form().locator("[name=starts_at]").fill("2026-03-01T09:00");
    await form().locator("[name=ends_at]").fill("2026-03-08T18:30");
    await form().getByRole("button", { name: "Сохранить" }).click();
    await message().getByText("Баннер «Весенняя распродажа» сохранён").waitFor();
    const [banner] = await expectOk<Array<Record<string, unknown>>>(t.admin("/admin/banners"));
    expect(banner).toMatchObject({ link: null, platforms: null, rule_id: null });
    expect(new Date(String(banner?.starts_at)).toISOString()).toBe("2026-03-01T06:00:00.000Z");
    // The form shows it back in Moscow time, whatever the browser's zone (Vladivostok here).
    expect(await form().locator("[name=starts_at]").inputValue()).toBe("2026-03-01T09:00");

    await form().locator("[name=ends_at]").fill("2026-02-01T09:00");
    await form().getByRole("button", { name: "Сохранить" }).click();
    await page.locator("#message[data-kind=error]").waitFor();
    expect(await message().textContent()).toContain("окончание показа должно быть позже начала");
  });

  test("at 800 px nothing overflows and no heading breaks; the form opens in view", async () => {
    await page.setViewportSize({ width: 800, height: 900 });
    for (const view of ["Правила", "Компоненты", "Как видит сотрудник", "Журнал"]) {
      await page.getByRole("button", { name: view, exact: true }).click();
      await page.locator("main section:not([hidden]) h2").waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect({ view, overflow }).toEqual({ view, overflow: 0 });
    }
    await page.getByRole("button", { name: "Правила", exact: true }).click();
    await page.locator("#rules-table tbody tr").first().waitFor();
    const broken = await page.evaluate(() =>
      [...document.querySelectorAll("main section:not([hidden]) th")]
        .filter(
          (th) =>
            th.getClientRects().length > 0 &&
            th.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(th).lineHeight),
        )
        .map((th) => th.textContent),
    );
    expect(broken).toEqual([]);
    await page.locator("#rules-table tbody tr", { hasText: "filler_11" }).click();
    await page.locator("#rule-form-heading", { hasText: "filler_11" }).waitFor();
    const box = await page.locator("#rule-form").boundingBox();
    expect(box && box.y >= 0 && box.y < 900).toBe(true);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test("keyboard: the views and a rule are reachable and open with Enter", async () => {
    await page.getByRole("button", { name: "Закрыть" }).click();
    await page.getByRole("button", { name: "Журнал" }).focus();
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Enter");
    await page.locator("#rules-table tbody tr").first().waitFor();
    expect(await page.locator("#tabs button[aria-current=page]").textContent()).toBe("Правила");
    await page.locator("#rule-search").focus();
    await page.keyboard.type("filler_3");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.locator("#rule-form-heading", { hasText: "filler_3" }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("name");
    expect(w.outside).toEqual([]);
    expect(w.pageErrors).toEqual([]);
  });
});
