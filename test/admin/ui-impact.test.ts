import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { TEST_ADMIN_TOKEN } from "../support/app.ts";
import { makeEmployee } from "../support/employees.ts";
import { expectOk, STARTUP_TIMEOUT_MS } from "./support.ts";
import {
  createAppWithDirectory,
  launchBrowser,
  openPage,
  screenshot,
  signIn,
  typeExpression,
  type WatchedPage,
} from "./ui-browser.ts";

/**
 * The impact estimate in the editor, over an employee directory synced from a mock SAP over HTTP:
 * «Подходит N из M сотрудников» as the API computes it, with examples on each side, updating as
 * the expression changes. Nothing is saved here (the journey in ui.test.ts saves).
 */
const DIRECTORY_SIZE = 2000;

let t: Awaited<ReturnType<typeof createAppWithDirectory>>;
let browser: Browser;
let w: WatchedPage;
let page: Page;
let base: string;

interface Impact {
  matches: number;
  total: number;
  sample_matching: Array<{ full_name: string }>;
  sample_not: Array<{ full_name: string }>;
}
const impactOf = (expression: string) =>
  expectOk<Impact>(t.admin("/admin/rules/impact", { method: "POST", json: { expression } }));
const normalise = (text: string | null) => (text ?? "").replace(/\s+/g, " ");
const count = (n: number) => new Intl.NumberFormat("ru-RU").format(n);

beforeAll(async () => {
  t = await createAppWithDirectory([makeEmployee()], DIRECTORY_SIZE);
  await t.syncDirectory();
  t.app.listen({ port: 0, hostname: "127.0.0.1" });
  base = `http://127.0.0.1:${t.app.server?.port}`;
  browser = await launchBrowser();
  w = await openPage(browser, base);
  page = w.page;
}, 2 * STARTUP_TIMEOUT_MS); // two sandbox pools and a directory sync, on a shared machine

afterAll(async () => {
  await browser?.close();
  await t?.app.stop();
  await t?.close();
});

describe("admin UI: the impact estimate", () => {
  test.each([['roles.includes("cashier")'], ["is_manager"]])(
    "%s: the figure and the examples as the API gives them",
    async (expression) => {
      if (!(await page.locator("#rule-form").isVisible())) {
        await signIn(page, base, TEST_ADMIN_TOKEN);
        await page.getByRole("button", { name: "Новое правило" }).click();
      }
      const expected = await impactOf(expression);
      expect(expected.total).toBe(DIRECTORY_SIZE);
      await typeExpression(page, expression);
      const figure = page.locator("#rule-impact .impact-figure", {
        hasText: `Подходит ${count(expected.matches)} из ${count(DIRECTORY_SIZE)} сотрудников`,
      });
      await figure.waitFor();
      const samples = page.locator("#rule-impact .impact-samples ul");
      for (const e of expected.sample_matching.slice(0, 5))
        expect(normalise(await samples.nth(0).textContent())).toContain(e.full_name);
      for (const e of expected.sample_not.slice(0, 5))
        expect(normalise(await samples.nth(1).textContent())).toContain(e.full_name);
      expect(await samples.nth(0).locator("li").count()).toBe(Math.min(5, expected.sample_matching.length));
      expect(await samples.nth(1).locator("li").count()).toBe(Math.min(5, expected.sample_not.length));
      expect(expected.sample_matching.length + expected.sample_not.length).toBeGreaterThan(0);
      expect(normalise(await page.locator("#rule-impact").textContent())).toContain("Справочник на");
      await page.keyboard.press("Escape"); // the completion list
      await screenshot(page, "editor-impact.png");
    },
  );

  test("an expression that fails the check gets no estimate; nothing came from outside", async () => {
    await typeExpression(page, "is_manager и");
    await page.locator("#rule-check .bad").waitFor();
    expect(await page.locator("#rule-impact").textContent()).toBe("");
    expect(w.outside).toEqual([]);
    expect(w.pageErrors).toEqual([]);
  });
});
