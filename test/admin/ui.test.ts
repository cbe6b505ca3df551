import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from "../support/app.ts";
import { makeEmployee } from "../support/employees.ts";
import { type ComponentAnswer, expectOk, type RuleAnswer, STARTUP_TIMEOUT_MS } from "./support.ts";
import {
  launchBrowser,
  openPage,
  screenshot,
  signIn,
  typeExpression,
  type WatchedPage,
} from "./ui-browser.ts";

/**
 * The admin's journey in a real browser against the real server: sign in, write a rule with the
 * usual slip and fix it, see the trial and the estimate, save, gate a new banner with it, preview
 * an employee it is true for and one it is false for, compare and restore a revision, read the
 * audit. Screenshots of the editor, the preview and the audit go to docs/screenshots/.
 */
const XSS_TITLE = `<img src=x onerror="window.__pwned=1"> Директора & <b>co</b>`;
const SLIP = 'roles.includes("cashier") и is_manager';
const FIXED = 'roles.includes("cashier") && is_manager';
const CASHIER_MANAGER = makeEmployee({
  personnel_number: "00100001",
  full_name: "Петров Пётр Ильич",
  position: "Старший кассир",
  roles: ["employee", "cashier"],
  is_manager: true,
  store_id: "S07712",
  region_name: "Москва",
});
const CASHIER = makeEmployee({
  personnel_number: "00100002",
  full_name: "Сидорова Анна Олеговна",
  position: "Кассир",
  roles: ["employee", "cashier"],
  is_manager: false,
});

let t: TestApp;
let browser: Browser;
let w: WatchedPage;
let page: Page;
let base: string;
const BANNER = "Кассирам-руководителям";

const create = <T>(path: string, json: Record<string, unknown>) =>
  expectOk<T>(t.admin(`/admin/${path}`, { method: "POST", json }), 201);
const rules = () => expectOk<RuleAnswer[]>(t.admin("/admin/rules"));
const ruleNamed = async (name: string) => (await rules()).find((r) => r.name === name);
const message = () => page.locator("#message");
const normalise = (text: string | null) => (text ?? "").replace(/\s+/g, " ");

beforeAll(async () => {
  t = await createTestApp({ employees: [CASHIER_MANAGER, CASHIER] });
  await create<RuleAnswer>("rules", { name: "is_director_xss", title: XSS_TITLE, expression: "is_manager" });
  const director = await create<RuleAnswer>("rules", {
    name: "is_store_director",
    title: "Директор магазина",
    expression: 'roles.includes("store_director")',
  });
  const group = await create<ComponentAnswer>("sidebar-groups", { title: "Кадры", order: 10 });
  await create<ComponentAnswer>("sections", {
    title: "Расчётный листок",
    url: "/payslip",
    order: 10,
    sidebar_group_id: group.id,
  });
  await create<ComponentAnswer>("sections", {
    title: "Отпуска",
    url: "/vacation",
    order: 20,
    sidebar_group_id: group.id,
    rule_id: director.id,
  });
  t.app.listen({ port: 0, hostname: "127.0.0.1" });
  base = `http://127.0.0.1:${t.app.server?.port}`;
  browser = await launchBrowser();
  w = await openPage(browser, base);
  page = w.page;
}, STARTUP_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await t?.app.stop();
  await t?.close();
});

describe("admin UI: the rule writer's journey", () => {
  test("the page is Russian; a rejected token says so and signs out", async () => {
    await signIn(page, base, "not-the-token");
    await message().getByText("Токен не принят").waitFor();
    expect(await page.getAttribute("html", "lang")).toBe("ru");
    expect(await page.locator("#token-state").textContent()).toBe("Вы не вошли");
    expect(await page.locator("main").isVisible()).toBe(false);
    expect(await page.evaluate(() => sessionStorage.getItem("lk-admin-token"))).toBeNull();
  });

  test("sign in: the rules list shows an HTML title as text", async () => {
    await page.getByLabel("Токен администратора").fill(TEST_ADMIN_TOKEN);
    await page.getByRole("button", { name: "Войти" }).click();
    const row = page.locator("#rules-table tbody tr", { hasText: "is_director_xss" });
    await row.waitFor();
    expect(await row.locator("td").nth(1).textContent()).toBe(XSS_TITLE);
    expect(await page.locator("#rules-table img, #rules-table b").count()).toBe(0);
    expect(await page.locator("#token-state").textContent()).toBe("Вы вошли");
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
  });

  test("the editor completes variables (type, example) and helpers (signature)", async () => {
    await page.getByRole("button", { name: "Новое правило" }).click();
    // The form opens where the eye is: in view, its first field focused.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("name");
    await typeExpression(page, "regi");
    const list = page.locator(".cm-tooltip-autocomplete");
    await list.getByText("region", { exact: true }).first().waitFor();
    const first = list.locator("li").first();
    expect(await first.locator(".cm-completionLabel").textContent()).toBe("region");
    expect(await first.locator(".cm-completionDetail").textContent()).toBe("строка");
    // The selected option's info: what it is and an example value.
    await page.locator(".cm-completionInfo", { hasText: 'Код региона. Пример: "R077"' }).waitFor();
    await page.keyboard.press("Escape");
    await typeExpression(page, "inOrg");
    await list.getByText("inOrgUnit(...ids)").waitFor();
    await page.keyboard.press("Escape");
    // The guide beside the editor lists the same vocabulary, in Russian.
    await page.locator("#rule-guide summary").click();
    const storeRow = page.locator("#rule-guide tr", { hasText: "store_id" });
    expect(await storeRow.locator("td").allTextContents()).toEqual([
      "store_id",
      "строка или null",
      "Код магазина или null (офис)",
      '"S1001"',
    ]);
    await page.locator("#rule-guide summary").click();
  });

  test("the usual slip is underlined where it was written, with the advice", async () => {
    await page.fill("#rule-form [name=name]", "is_cashier_manager");
    await page.fill("#rule-form [name=title]", "Кассир-руководитель");
    await typeExpression(page, SLIP);
    // Underlined is the slip itself (once the check has answered for this text).
    await page.waitForFunction(() => {
      const marks = [...document.querySelectorAll("#rule-editor .cm-lintRange-error")];
      return marks.length === 1 && marks[0]?.textContent === "и";
    });
    const check = page.locator("#rule-check");
    expect(normalise(await check.textContent())).toContain("Вместо «и» пишите && («и»)");
    expect(await check.textContent()).toContain("строка 1, символ 27");
    await page.keyboard.press("Escape"); // the completion list, so that the screenshot shows the text
    await page.locator("#rule-editor .cm-lintRange-error").hover();
    const tooltip = page.locator(".cm-tooltip-lint");
    await tooltip.waitFor();
    expect(normalise(await tooltip.textContent())).toContain("Вместо «и» пишите &&");
    await screenshot(page, "editor.png");
  });

  test("fixed, it is valid: the trial and the estimate show before saving", async () => {
    await typeExpression(page, FIXED);
    await page.locator("#rule-check .ok").waitFor();
    expect(await page.locator("#rule-editor .cm-lintRange-error").count()).toBe(0);
    const trial = page.locator("#rule-trial");
    await trial.getByText("Сохранить можно").waitFor();
    expect(normalise(await trial.textContent())).toMatch(
      /Выборка \d+ сотрудников: истинно для \d+, ложно для \d+/,
    );
    // No directory here (never synced): a calm word instead of the figure (ui-impact.test.ts has one).
    await page
      .locator("#rule-impact")
      .getByText("Оценка охвата появится, когда справочник сотрудников будет загружен")
      .waitFor();
  });

  test("the side panel shows an employee's variables and the rules the draft uses", async () => {
    await page.fill("#rule-panel [name=panel_pernr]", "100001");
    await page.click("#rule-panel button[type=submit]");
    const panel = page.locator("#rule-panel-result");
    await panel.locator(".employee", { hasText: "Петров Пётр Ильич" }).waitFor();
    const readRow = panel.locator("tr.read", { hasText: "is_manager" });
    expect(normalise(await readRow.textContent())).toContain("true");
    expect(normalise(await panel.locator("tr", { hasText: "roles" }).first().textContent())).toContain(
      '["employee","cashier"]',
    );
  });

  test("save", async () => {
    await page.getByRole("button", { name: "Сохранить" }).click();
    await message().getByText("Правило «is_cashier_manager» сохранено, версия 1").waitFor();
    expect((await ruleNamed("is_cashier_manager"))?.expression).toBe(FIXED);
    await page.locator("#rules-table tbody tr", { hasText: "is_cashier_manager" }).waitFor();
  });

  test("attach it to a new banner: rule picker with search, window in Moscow time, thumbnail", async () => {
    await page.getByRole("button", { name: "Компоненты" }).click();
    await page.getByRole("button", { name: "Создать баннер" }).click();
    const form = page.locator("#component-form");
    await form.locator("[name=title]").fill(BANNER);
    await form.locator("[name=image_url]").fill(`${base}/admin/ui/placeholder.svg`);
    await form.locator("img.thumbnail").waitFor();
    await form.locator("[name=starts_at]").fill("2026-01-01T09:00");
    await form.locator("[name=ends_at]").fill("2099-03-08T18:30");
    await form.locator("[name=rule_search]").fill("cashier_man");
    expect(await form.locator("[name=rule_id] option").allTextContents()).toEqual([
      "(без правила: видят все)",
      "is_cashier_manager — Кассир-руководитель",
    ]);
    await form.locator("[name=rule_id]").selectOption({ label: "is_cashier_manager — Кассир-руководитель" });
    await form.getByRole("button", { name: "Сохранить" }).click();
    await message().getByText(`Баннер «${BANNER}» сохранён, версия 1`).waitFor();
    const [banner] = await expectOk<Array<ComponentAnswer & { starts_at: string; ends_at: string }>>(
      t.admin("/admin/banners"),
    );
    const rule = await ruleNamed("is_cashier_manager");
    expect(banner).toMatchObject({ title: BANNER, rule_id: rule?.id, platforms: null });
    // Entered as Moscow time (UTC+3) in a browser set to Vladivostok (UTC+10).
    expect(new Date(banner?.starts_at ?? "").toISOString()).toBe("2026-01-01T06:00:00.000Z");
    expect(new Date(banner?.ends_at ?? "").toISOString()).toBe("2099-03-08T15:30:00.000Z");
    const listed = page.locator("#components li.component", { hasText: BANNER });
    expect(normalise(await listed.textContent())).toContain("с 01.01.2026, 09:00 до 08.03.2099, 18:30 (МСК)");
  });

  test("preview, rule true: the banner drawn with its image, and who the employee is", async () => {
    await page.getByRole("button", { name: "Как видит сотрудник" }).click();
    await page.fill("#preview-form [name=personnel_number]", "100001");
    await page.click("#preview-form button[type=submit]");
    const image = page.locator("#preview-portal .portal-banner img");
    await image.waitFor();
    expect(await image.getAttribute("src")).toBe(`${base}/admin/ui/placeholder.svg`);
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>("#preview-portal .portal-banner img");
      return img?.complete && img.naturalWidth > 0;
    });
    expect(await page.locator("#preview-portal figcaption").textContent()).toBe(BANNER);
    expect(await page.locator("#preview-employee > *").allTextContents()).toEqual([
      "Петров Пётр Ильич",
      "Старший кассир · магазин S07712 · Москва",
      "табельный 00100001, web",
    ]);
    expect(normalise(await page.locator("#preview-portal .portal-sidebar").textContent())).toContain(
      "Расчётный листок",
    );
    await screenshot(page, "preview.png");
  });

  test("preview, rule false: what is hidden and why, by title", async () => {
    await page.fill("#preview-form [name=personnel_number]", "100002");
    await page.click("#preview-form button[type=submit]");
    await page.locator("#preview-employee", { hasText: "Сидорова Анна Олеговна" }).waitFor();
    const hidden = await page.locator("#preview-hidden li").allTextContents();
    expect(hidden).toContain(`Баннер «${BANNER}» скрыт: правило is_cashier_manager ложно`);
    expect(hidden).toContain("Раздел «Отпуска» скрыт: правило is_store_director ложно");
    expect(await page.locator("#preview-portal .portal-banner").count()).toBe(0);
  });

  test("history: compare a revision with the current version; restoring asks first and says what changes", async () => {
    await page.getByRole("button", { name: "Правила" }).click();
    await page.locator("#rules-table tbody tr", { hasText: "is_cashier_manager" }).click();
    await page.locator("#rule-form-heading", { hasText: "версия 1" }).waitFor();
    await typeExpression(page, `${FIXED} && region === "R077"`);
    await page.locator("#rule-check .ok").waitFor();
    await page.locator("#rule-form").getByRole("button", { name: "Сохранить" }).click();
    await message().getByText("сохранено, версия 2").waitFor();

    const history = page.locator("#rule-revisions");
    await history.locator("tr", { hasText: "текущая" }).waitFor();
    await history
      .locator("tr", { has: page.locator("td", { hasText: /^1$/ }) })
      .getByRole("button", { name: "Сравнить" })
      .click();
    const diff = page.locator("#revision-diff");
    expect(await diff.locator("ins").allTextContents()).toEqual([' && region === "R077"']);

    await history.getByRole("button", { name: "Вернуть…" }).click();
    const dialog = page.locator("dialog.confirm");
    await dialog.waitFor();
    expect(normalise(await dialog.textContent())).toContain(
      "станет таким, как в версии 1 (сохранится как версия 3)",
    );
    expect(await dialog.locator("del").allTextContents()).toEqual([' && region === "R077"']);
    // Cancel first: nothing changes.
    await dialog.getByRole("button", { name: "Отмена" }).click();
    expect((await ruleNamed("is_cashier_manager"))?.version).toBe(2);

    await history.getByRole("button", { name: "Вернуть…" }).click();
    await page.locator("dialog.confirm").getByRole("button", { name: "Вернуть версию 1" }).click();
    await message().getByText("возвращено к версии 1 (теперь версия 3)").waitFor();
    expect(await ruleNamed("is_cashier_manager")).toMatchObject({ version: 3, expression: FIXED });
  });

  test("the audit shows the rollback with before/after, filtered by kind", async () => {
    await page.getByRole("button", { name: "Журнал" }).click();
    await page.locator("#audit-filters [name=entity]").selectOption({ label: "Правило" });
    await page.locator("#audit-filters").getByRole("button", { name: "Найти" }).click();
    // Filtered: rules only (the banner created above is gone from the list).
    await page.waitForFunction(() => {
      const entries = [...document.querySelectorAll("details.audit-entry")];
      return entries.length > 0 && entries.every((e) => e.textContent?.includes("Правило «"));
    });
    const entry = page.locator("details.audit-entry", { hasText: "возврат версии" }).first();
    await entry.locator("summary").click();
    expect(normalise(await entry.locator("summary").textContent())).toContain("admin-token");
    expect(await entry.locator("del").allTextContents()).toEqual([' && region === "R077"']);
    await screenshot(page, "audit.png");
  });

  test("nothing was fetched from outside the service, and the page threw nothing", () => {
    expect(w.outside).toEqual([]);
    expect(w.pageErrors).toEqual([]);
    expect(w.dialogs).toEqual([]);
    expect(page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).resolves.toBeUndefined();
  });
});
