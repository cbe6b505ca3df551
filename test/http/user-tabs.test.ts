import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { schema } from "../../src/db/index.ts";
import type { EvidenceLookup, EvidenceSource } from "../../src/evidence/source.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { catalogWriter } from "../support/catalog.ts";
import { makeEmployee } from "../support/employees.ts";

const director = makeEmployee({ personnel_number: "00217542", roles: ["employee", "store_director"] });
const cashier = makeEmployee({
  personnel_number: "00218267",
  full_name: "Моисеева Екатерина Фёдоровна",
  roles: ["employee", "cashier"],
  is_manager: false,
  orgunit_path: ["50000000", "50623911", "51000001"],
  region: "R078",
  region_name: "Санкт-Петербург",
});

/** An evidence source whose answers a test can set per personnel number. */
class ScriptedEvidence implements EvidenceSource {
  readonly answers = new Map<string, EvidenceLookup>([
    [director.personnel_number, { kind: "found", evidence: director, ageS: 0, stale: false }],
    [cashier.personnel_number, { kind: "found", evidence: cashier, ageS: 0, stale: false }],
  ]);
  async lookup(pernr: string): Promise<EvidenceLookup> {
    return this.answers.get(pernr) ?? { kind: "unknown" };
  }
}

let t: TestApp;
const evidence = new ScriptedEvidence();
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await createTestApp({ evidence });
  const write = catalogWriter(t.db);
  ids.isDirector = await write.rule("is_director", 'roles.includes("store_director")');
  ids.inMoscow = await write.rule("in_moscow", 'region === "R077"');
  ids.moscowDirector = await write.rule("moscow_director", "is_director && in_moscow");
  ids.main = await write.sidebarGroup({ title: "Главная", icon: "home", order: 0 });
  ids.store = await write.sidebarGroup({ title: "Магазин", icon: "store", order: 1, ruleId: ids.isDirector });
  ids.quick = await write.cardGroup({ title: "Быстрые действия", order: 0 });
  ids.news = await write.section({
    title: "Новости",
    url: "/news",
    order: 0,
    sidebarGroupId: ids.main,
    cardGroupId: ids.quick,
  });
  ids.vacation = await write.section({
    title: "Мой отпуск",
    url: "/vacation",
    order: 1,
    sidebarGroupId: ids.main,
  });
  ids.mobileOnly = await write.section({
    title: "Сканер",
    url: "/scan",
    order: 2,
    sidebarGroupId: ids.main,
    platforms: ["ios", "android"],
  });
  ids.reports = await write.section({
    title: "Отчёты магазина",
    url: "/store/reports",
    order: 0,
    sidebarGroupId: ids.store,
    cardGroupId: ids.quick,
    ruleId: ids.moscowDirector,
  });
  ids.banner = await write.banner({
    title: "Конкурс директоров",
    imageUrl: "/b.png",
    order: 0,
    ruleId: ids.moscowDirector,
  });
  await t.ctx.catalog.reload();
});
afterAll(() => t.close());

const tabs = async (token: string, query = "platform=web") => {
  const response = await t.request(`/user.tabs?${query}`, { token });
  return { status: response.status, body: await response.json() };
};

describe("GET /user.tabs", () => {
  test("two employees with different roles get different trees", async () => {
    const forDirector = await tabs("217542");
    expect(forDirector.status).toBe(200);
    expect(forDirector.body).toEqual({
      banners: [{ id: ids.banner, title: "Конкурс директоров", image_url: "/b.png", link: null }],
      cards: [
        {
          id: ids.quick,
          title: "Быстрые действия",
          sections: [
            { id: ids.news, title: "Новости", url: "/news", icon: null },
            { id: ids.reports, title: "Отчёты магазина", url: "/store/reports", icon: null },
          ],
        },
      ],
      sidebar: [
        {
          id: ids.main,
          title: "Главная",
          icon: "home",
          sections: [
            { id: ids.news, title: "Новости", url: "/news", icon: null },
            { id: ids.vacation, title: "Мой отпуск", url: "/vacation", icon: null },
          ],
        },
        {
          id: ids.store,
          title: "Магазин",
          icon: "store",
          sections: [{ id: ids.reports, title: "Отчёты магазина", url: "/store/reports", icon: null }],
        },
      ],
    });
    const forCashier = await tabs("00218267");
    expect(forCashier.body.banners).toEqual([]);
    expect(forCashier.body.sidebar.map((g: { id: number }) => g.id)).toEqual([ids.main]);
    expect(forCashier.body.cards[0].sections.map((s: { id: number }) => s.id)).toEqual([ids.news]);
  });

  test("platform decides platform-limited sections; query filters sections case-insensitively", async () => {
    const ios = await tabs("217542", "platform=ios");
    expect(ios.body.sidebar[0].sections.map((s: { id: number }) => s.id)).toEqual([
      ids.news,
      ids.vacation,
      ids.mobileOnly,
    ]);
    const found = await tabs("217542", `platform=web&query=${encodeURIComponent("ОТПУСК")}`);
    expect(found.body.sidebar).toEqual([
      {
        id: ids.main,
        title: "Главная",
        icon: "home",
        sections: [{ id: ids.vacation, title: "Мой отпуск", url: "/vacation", icon: null }],
      },
    ]);
    expect(found.body.cards).toEqual([]);
  });

  test.each([
    ["", "platform"],
    ["platform=", "platform"],
    ["platform=desktop", "platform"],
    ["platform=WEB", "platform"],
    ["platform=web&platform=ios", "platform"],
    ["platform=web&foo=1", "foo"],
    [`platform=web&query=${"x".repeat(201)}`, "query"],
  ])("bad query %p → 400 with the error shape", async (query, mentioned) => {
    const { status, body } = await tabs("217542", query);
    expect(status).toBe(400);
    expect(body.error.code).toBe("bad_request");
    expect(JSON.stringify(body.error)).toContain(mentioned);
    expect(Array.isArray(body.error.details)).toBe(true);
  });

  test.each([
    [undefined, "missing Authorization header"],
    ["Basic YWRtaW46YWRtaW4=", "Authorization must be 'Bearer <token>'"],
    ["Bearer not-a-number", "the token does not name a personnel number"],
    ["Bearer 123456789", "the token does not name a personnel number"],
  ])("Authorization %p → 401", async (header, message) => {
    const response = await t.request("/user.tabs?platform=web", {
      headers: header ? { authorization: header } : {},
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: "unauthorized", message, details: [], request_id: expect.any(String) },
    });
  });

  test("an employee SAP does not know → 404", async () => {
    const { status, body } = await tabs("99999999");
    expect(status).toBe(404);
    expect(body.error.code).toBe("employee_not_found");
  });

  test("SAP unreachable and nothing cached → 503 with Retry-After", async () => {
    evidence.answers.set("00000777", { kind: "unavailable", reason: "circuit open", retryAfterS: 7 });
    const response = await t.request("/user.tabs?platform=web", { token: "777" });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("7");
    expect((await response.json()).error.code).toBe("evidence_unavailable");
  });

  test("evidence served stale while SAP fails is still a 200, marked X-Evidence-Stale", async () => {
    evidence.answers.set("00000778", {
      kind: "found",
      evidence: { ...cashier, personnel_number: "00000778" },
      ageS: 900,
      stale: true,
    });
    const response = await t.request("/user.tabs?platform=web", { token: "778" });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-evidence-stale")).toBe("true");
    const fresh = await t.request("/user.tabs?platform=web", { token: "218267" });
    expect(fresh.headers.get("x-evidence-stale")).toBeNull();
  });

  test("an unknown route is a 404 in the error shape, not a stack trace", async () => {
    const response = await t.request("/user.tabz?platform=web", { token: "217542" });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: "not_found", message: "no such route", details: [], request_id: expect.any(String) },
    });
  });
});

describe("catalog snapshot swap", () => {
  test("a change in the database followed by a reload changes the answer; requests never read the database", async () => {
    const before = await tabs("00218267");
    expect(before.body.sidebar.map((g: { id: number }) => g.id)).toEqual([ids.main]);
    const versionBefore = t.ctx.catalog.snapshot?.catalogVersion;

    // Widen the store group's rule to cashiers too, as an admin would, in one transaction.
    await catalogWriter(t.db).update(schema.rules, ids.isDirector as number, {
      expression: 'roles.includes("store_director") || roles.includes("cashier")',
      version: 2,
    });
    // Until the snapshot is rebuilt, the old one keeps serving.
    if (t.ctx.catalog.snapshot?.catalogVersion === versionBefore) {
      expect((await tabs("00218267")).body.sidebar.map((g: { id: number }) => g.id)).toEqual([ids.main]);
    }
    await t.ctx.catalog.reload();
    expect(t.ctx.catalog.snapshot?.catalogVersion).toBeGreaterThan(versionBefore ?? 0);
    const after = await tabs("00218267");
    // The group is visible now, but its only section needs moscow_director: still hidden → group left out.
    expect(after.body.sidebar.map((g: { id: number }) => g.id)).toEqual([ids.main]);
    await catalogWriter(t.db).update(schema.sections, ids.reports as number, { ruleId: null });
    await t.ctx.catalog.reload();
    expect((await tabs("00218267")).body.sidebar.map((g: { id: number }) => g.id)).toEqual([
      ids.main,
      ids.store,
    ]);
  });

  test("a rule that cannot compile is marked and evaluates as false; everything else keeps working", async () => {
    const write = catalogWriter(t.db);
    const broken = await write.rule("slipped_in", "roles.includes(");
    const group = await write.sidebarGroup({ title: "Сломанная", order: 9, ruleId: broken });
    await write.section({ title: "Скрытый", url: "/hidden", order: 0, sidebarGroupId: group });
    await t.ctx.catalog.reload();
    expect(t.ctx.catalog.snapshot?.ruleset.broken.has("slipped_in")).toBe(true);
    const { status, body } = await tabs("217542");
    expect(status).toBe(200);
    expect(body.sidebar.map((g: { id: number }) => g.id)).not.toContain(group);
    expect(body.sidebar.map((g: { id: number }) => g.id)).toContain(ids.main);
    const ready = await t.request("/readyz");
    expect(ready.status).toBe(200);
    expect((await ready.json()).broken_rules).toEqual(["slipped_in"]);
    expect(t.logger.lines.some((l) => l.level === "error" && l.rule === "slipped_in")).toBe(true);
  });
});
