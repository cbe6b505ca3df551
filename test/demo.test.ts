import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { loadConfig } from "../src/config.ts";
import { DEMO_BANNERS, DEMO_CARD_GROUPS, DEMO_RULES, DEMO_SIDEBAR } from "../src/demo/index.ts";
import { DEMO_EMPLOYEES } from "../src/evidence/mock-sap/directory.ts";
import { createMemoryLogger } from "../src/log.ts";
import { type RunningService, startService } from "../src/server.ts";

// What `bun run start` does on a fresh machine, over real HTTP: embedded PGlite, the demo
// catalog, the demo SAP directory behind the real SAP client, dev tokens.
let service: RunningService;
const logger = createMemoryLogger();
beforeAll(async () => {
  service = await startService(loadConfig({ PORT: "0", PGLITE_DIR: "memory://" }), logger);
});
afterAll(() => service.stop());

const persona = (key: string) => {
  const found = DEMO_EMPLOYEES.find((e) => e.key === key);
  if (!found) throw new Error(`no persona ${key}`);
  return found.pernr;
};
const tabs = async (pernr: string, platform = "web") => {
  const response = await fetch(`${service.url}/user.tabs?platform=${platform}`, {
    headers: { authorization: `Bearer ${pernr}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as {
    banners: Array<{ title: string }>;
    cards: Array<{ title: string; sections: Array<{ title: string }> }>;
    sidebar: Array<{ title: string; sections: Array<{ title: string }> }>;
  };
};
const sidebarTitles = (t: Awaited<ReturnType<typeof tabs>>) => t.sidebar.map((g) => g.title);

describe("demo start", () => {
  test("the first embedded start seeds a catalog of the promised size", () => {
    expect(service.seeded).toBe(true);
    expect(service.devAdminToken).toBeString();
    const snapshot = service.ctx.catalog.snapshot;
    expect(snapshot?.ruleset.rules.length).toBe(DEMO_RULES.length);
    expect(DEMO_RULES.length).toBeGreaterThanOrEqual(40);
    expect(snapshot?.ruleset.broken.size).toBe(0);
    expect(snapshot?.sidebarGroups.length).toBe(DEMO_SIDEBAR.length);
    expect(snapshot?.sections.length).toBeGreaterThanOrEqual(60);
    expect(snapshot?.cardGroups.length).toBe(DEMO_CARD_GROUPS.length);
    expect(snapshot?.banners.length).toBe(DEMO_BANNERS.length);
  });

  test("a store director and a cashier get visibly different home pages", async () => {
    const director = await tabs(persona("moscow_store_director"));
    const cashier = await tabs(persona("spb_cashier"));
    expect(sidebarTitles(director)).toContain("Мой магазин");
    expect(director.cards.map((c) => c.title)).toContain("Для директора");
    expect(director.banners.map((b) => b.title)).toContain("Конкурс директоров Москвы");
    expect(cashier.cards.map((c) => c.title)).not.toContain("Для директора");
    expect(cashier.banners.map((b) => b.title)).not.toContain("Конкурс директоров Москвы");
    expect(director).not.toEqual(cashier);
  });

  test("office staff see the office, not the store; HR admins see HR", async () => {
    const it = await tabs(persona("it_specialist"));
    expect(sidebarTitles(it)).toContain("Офис");
    expect(sidebarTitles(it)).toContain("ИТ");
    expect(sidebarTitles(it)).not.toContain("Мой магазин");
    const hr = await tabs(persona("hr_admin"));
    expect(sidebarTitles(hr)).toContain("Кадры");
    expect(sidebarTitles(it)).not.toContain("Кадры");
  });

  test("the platform changes the answer (the app promo banner is web-only)", async () => {
    const pernr = persona("spb_cashier");
    expect((await tabs(pernr, "web")).banners.map((b) => b.title)).toContain(
      "Установите мобильное приложение",
    );
    expect((await tabs(pernr, "ios")).banners.map((b) => b.title)).not.toContain(
      "Установите мобильное приложение",
    );
  });

  test("readiness, and an unknown employee is 404", async () => {
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    const unknown = await fetch(`${service.url}/user.tabs?platform=web`, {
      headers: { authorization: "Bearer 99999999" },
    });
    expect(unknown.status).toBe(404);
  });

  test("no log line carries a token or a whole employee record", () => {
    const text = JSON.stringify(logger.lines);
    expect(text).not.toContain(service.devAdminToken ?? "<none>");
    expect(text).not.toContain("Борисова Оксана");
  });
});
