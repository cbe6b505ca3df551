import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { type EmployeeEvidence, StaticEvidenceSource, startMockSap } from "../../src/evidence/index.ts";
import { createMemoryLogger } from "../../src/log.ts";
import { createMetrics } from "../../src/metrics.ts";
import { assembleContext, createServiceApp } from "../../src/server.ts";
import { FAST_PAGE_RETRY, sapClientFor } from "../directory/support.ts";
import { adminRequestsTo, testConfig } from "../support/app.ts";
import { freshDatabase } from "../support/database.ts";

/**
 * The admin UI tests drive Debian's Chromium (`apt-get install -y chromium`); without it they
 * fail, they do not skip. Every page they open refuses requests to anywhere but the service and
 * records the attempts, so a test can assert that the page fetched nothing from outside.
 */
const CHROMIUM = "/usr/bin/chromium";
export const SCREENSHOTS = join(import.meta.dir, "../../docs/screenshots");

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install it with 'apt-get install -y chromium' to run the UI tests`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

export interface WatchedPage {
  page: Page;
  /** Requests to anywhere but the service, refused. */
  outside: string[];
  dialogs: string[];
  /** Errors the page's own code threw (none expected). */
  pageErrors: string[];
}

export async function openPage(
  browser: Browser,
  base: string,
  viewport = { width: 1280, height: 900 },
): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport, timezoneId: "Asia/Vladivostok", locale: "ru-RU" });
  // A browser on a busy 2-core machine: generous bounds for each wait (the tests never sleep).
  page.setDefaultTimeout(20_000);
  const origin = new URL(base).origin;
  const watched: WatchedPage = { page, outside: [], dialogs: [], pageErrors: [] };
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin || url.startsWith("data:")) return route.continue();
    watched.outside.push(url);
    return route.abort("blockedbyclient");
  });
  page.on("dialog", (dialog) => {
    watched.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on("pageerror", (error) => watched.pageErrors.push(String(error)));
  return watched;
}

export async function signIn(page: Page, base: string, token: string): Promise<void> {
  await page.goto(`${base}/admin`);
  await page.getByLabel("Токен администратора").fill(token);
  await page.getByRole("button", { name: "Войти" }).click();
}

/** Replaces the editor's text as if typed (CodeMirror is a contenteditable, not a textarea). */
export async function typeExpression(page: Page, text: string): Promise<void> {
  await page.locator("#rule-editor .cm-content").click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(text);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(SCREENSHOTS, name);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true });
}

/**
 * The service as createTestApp builds it, plus an employee directory synced from a mock SAP over
 * HTTP (for the impact estimate); the preview still reads `employees`.
 */
export async function createAppWithDirectory(employees: EmployeeEvidence[], directorySize: number) {
  const mock = await startMockSap({ size: directorySize });
  const database = await freshDatabase();
  const logger = createMemoryLogger();
  const config = testConfig({ DIRECTORY_SYNC_INTERVAL_H: "0", IMPACT_WORKERS: "1" });
  const { ctx, stop } = await assembleContext({
    config,
    logger,
    metrics: createMetrics(),
    database,
    evidence: new StaticEvidenceSource(new Map(employees.map((e) => [e.personnel_number, e]))),
    clock: () => new Date(),
    directoryLister: sapClientFor(mock, logger),
    directoryTuning: { pageSize: 500, pageRetry: FAST_PAGE_RETRY },
  });
  const app = createServiceApp(ctx);
  const admin = adminRequestsTo(app);
  return {
    app,
    db: database.db,
    admin,
    /** Syncs the directory and waits (up to 60 s) for the sync to succeed. */
    async syncDirectory() {
      await admin("/admin/directory/sync", { method: "POST" });
      for (let i = 0; i < 600; i++) {
        const { status } = (await (await admin("/admin/directory")).json()) as { status: string };
        if (status === "succeeded") return;
        if (status !== "running" && status !== "never") throw new Error(`directory sync ${status}`);
        await Bun.sleep(100);
      }
      throw new Error("directory sync did not finish");
    },
    async close() {
      await stop();
      await database.close();
      await mock.close();
    },
  };
}
