import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { AnswerCache, UserTabsSchema } from "../../src/catalog/index.ts";
import { schema } from "../../src/db/index.ts";
import type { EvidenceLookup, EvidenceSource } from "../../src/evidence/source.ts";
import { matchesIfNoneMatch } from "../../src/http/user-tabs.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { catalogWriter } from "../support/catalog.ts";
import { makeEmployee } from "../support/employees.ts";

// Two directors in Moscow (same rule outcomes, different people), one cashier in St Petersburg.
const directorA = makeEmployee({ personnel_number: "00300001", full_name: "Директор Первый" });
const directorB = makeEmployee({ personnel_number: "00300002", full_name: "Директор Второй" });
const cashier = makeEmployee({
  personnel_number: "00300003",
  roles: ["employee", "cashier"],
  region: "R078",
  is_manager: false,
});

class ScriptedEvidence implements EvidenceSource {
  readonly answers = new Map<string, EvidenceLookup>(
    [directorA, directorB, cashier].map((e) => [
      e.personnel_number,
      { kind: "found", evidence: e, ageS: 0, stale: false },
    ]),
  );
  async lookup(pernr: string): Promise<EvidenceLookup> {
    return this.answers.get(pernr) ?? { kind: "unknown" };
  }
}

const WINDOW_OPENS = new Date("2026-12-01T09:00:00Z");
let now = new Date("2026-12-01T08:00:00Z");
let t: TestApp;
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await createTestApp({ evidence: new ScriptedEvidence(), clock: () => now });
  const write = catalogWriter(t.db);
  ids.director = await write.rule("is_director", 'roles.includes("store_director")');
  ids.moscow = await write.rule("in_moscow", 'region === "R077"');
  // Used by no component: its outcome differs between the employees but must not split the cache.
  ids.named = await write.rule("is_first", 'full_name === "Директор Первый"');
  ids.main = await write.sidebarGroup({ title: "Главная", icon: "home", order: 0 });
  ids.store = await write.sidebarGroup({ title: "Магазин", order: 1, ruleId: ids.director });
  ids.news = await write.section({ title: "Новости", url: "/news", order: 0, sidebarGroupId: ids.main });
  ids.vacation = await write.section({
    title: "Мой отпуск",
    url: "/vacation",
    order: 1,
    sidebarGroupId: ids.main,
  });
  ids.reports = await write.section({
    title: "Отчёты",
    url: "/reports",
    order: 0,
    sidebarGroupId: ids.store,
  });
  ids.banner = await write.banner({
    title: "Москва",
    imageUrl: "/m.png",
    order: 0,
    ruleId: ids.moscow,
    startsAt: WINDOW_OPENS,
  });
  await t.ctx.catalog.reload();
});
afterAll(() => t.close());

/** Every 200 is checked against the schema the OpenAPI document declares (not done per request). */
async function tabs(pernr: string, query = "platform=web", headers: Record<string, string> = {}) {
  const response = await t.request(`/user.tabs?${query}`, { token: pernr, headers });
  const text = await response.text();
  if (response.status === 200) {
    const body = JSON.parse(text);
    expect(UserTabsSchema.strict().parse(body)).toEqual(body);
    expect(response.headers.get("content-type")).toStartWith("application/json");
  }
  return { response, text, etag: response.headers.get("etag") };
}

/** The last request's log line (written after the answer is sent, so wait a turn of the loop). */
async function lastRequestLine() {
  await new Promise((resolve) => setImmediate(resolve));
  return t.logger.lines.filter((l) => l.msg === "request").at(-1);
}

describe("the answer cache", () => {
  test("an answer has a strong ETag and Cache-Control: private, no-cache", async () => {
    const { response, etag } = await tabs(directorA.personnel_number);
    expect(response.status).toBe(200);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(response.headers.get("cache-control")).toBe("private, no-cache");
    expect(response.headers.get("x-request-id")).toBeTruthy();
  });

  test("If-None-Match with the answer's ETag gets 304 with no body; another ETag gets the answer", async () => {
    const first = await tabs(directorA.personnel_number);
    const etag = first.etag as string;
    for (const header of [etag, `"other", ${etag}`, `W/${etag}`, "*"]) {
      const again = await tabs(directorA.personnel_number, "platform=web", { "if-none-match": header });
      expect({ header, status: again.response.status, body: again.text }).toEqual({
        header,
        status: 304,
        body: "",
      });
      expect(again.etag).toBe(etag);
      expect(again.response.headers.get("cache-control")).toBe("private, no-cache");
    }
    const changed = await tabs(directorA.personnel_number, "platform=web", { "if-none-match": '"not-it"' });
    expect(changed.response.status).toBe(200);
    expect(changed.text).toBe(first.text);
    // A 304 is logged as one: the log line and the metrics see the status sent.
    await tabs(directorA.personnel_number, "platform=web", { "if-none-match": etag });
    expect((await lastRequestLine())?.status).toBe(304);
  });

  test("employees whose component rules agree share one cached answer; others get their own", async () => {
    const a = await tabs(directorA.personnel_number, "platform=web&query=%D0%BE");
    const b = await tabs(directorB.personnel_number, "platform=web&query=%D0%BE");
    expect(await lastRequestLine()).toMatchObject({ answer_cache: true });
    expect(b.text).toBe(a.text);
    expect(b.etag).toBe(a.etag as string);
    const c = await tabs(cashier.personnel_number, "platform=web&query=%D0%BE");
    expect(c.etag).not.toBe(a.etag as string);
    expect(JSON.parse(c.text).sidebar.map((g: { id: number }) => g.id)).toEqual([ids.main]);
  });

  test("the query and the platform are part of the key", async () => {
    const all = JSON.parse((await tabs(directorA.personnel_number)).text);
    const searched = JSON.parse((await tabs(directorA.personnel_number, "platform=web&query=отпуск")).text);
    expect(all.sidebar[0].sections.map((s: { id: number }) => s.id)).toEqual([ids.news, ids.vacation]);
    expect(
      searched.sidebar.map((g: { sections: Array<{ id: number }> }) => g.sections.map((s) => s.id)),
    ).toEqual([[ids.vacation]]);
    const ios = await tabs(directorA.personnel_number, "platform=ios");
    expect(ios.response.status).toBe(200);
    expect(await lastRequestLine()).toMatchObject({ answer_cache: false });
  });

  test("a banner window opening changes the answer at once, though the rules did not change", async () => {
    now = new Date(WINDOW_OPENS.getTime() - 1);
    const before = await tabs(directorA.personnel_number);
    expect(JSON.parse(before.text).banners).toEqual([]);
    now = WINDOW_OPENS;
    const after = await tabs(directorA.personnel_number);
    expect(JSON.parse(after.text).banners.map((b: { id: number }) => b.id)).toEqual([ids.banner]);
    expect(after.etag).not.toBe(before.etag as string);
    const stillClosedForCashier = await tabs(cashier.personnel_number);
    expect(JSON.parse(stillClosedForCashier.text).banners).toEqual([]);
  });

  test("a catalog change is served at once; an ETag survives a change that leaves the answer alone", async () => {
    const before = await tabs(cashier.personnel_number);
    // A change the cashier cannot see (a section in the directors' group): the bytes are the same,
    // so the cashier's browser revalidates to a 304 across catalog versions.
    await catalogWriter(t.db).section({
      title: "Ревизия",
      url: "/audit",
      order: 1,
      sidebarGroupId: ids.store as number,
    });
    await t.ctx.catalog.reload();
    const unchanged = await tabs(cashier.personnel_number, "platform=web", {
      "if-none-match": before.etag as string,
    });
    expect(unchanged.response.status).toBe(304);
    // A change the cashier sees: the old ETag no longer matches.
    await catalogWriter(t.db).update(schema.sidebarGroups, ids.store as number, { ruleId: null });
    await t.ctx.catalog.reload();
    const changed = await tabs(cashier.personnel_number, "platform=web", {
      "if-none-match": before.etag as string,
    });
    expect(changed.response.status).toBe(200);
    expect(JSON.parse(changed.text).sidebar.map((g: { id: number }) => g.id)).toEqual([ids.main, ids.store]);
  });

  test("the request's log line is the wide one, without the token or the employee's data", async () => {
    await tabs(directorB.personnel_number);
    const line = await lastRequestLine();
    expect(line).toMatchObject({
      level: "info",
      route: "/user.tabs",
      status: 200,
      catalogVersion: t.ctx.catalog.snapshot?.catalogVersion,
      evidence: "fresh",
      result_cache: expect.any(Boolean),
      answer_cache: expect.any(Boolean),
      rules_true: 2,
    });
    expect(typeof line?.request_id).toBe("string");
    expect(typeof line?.ms).toBe("number");
    const text = JSON.stringify(line);
    expect(text).not.toContain(directorB.full_name);
    expect(text).not.toContain("Bearer");
    expect(text).not.toContain("store_director");
  });
});

describe("AnswerCache", () => {
  const tree = (title: string) => ({
    banners: [],
    cards: [],
    sidebar: [{ id: 1, title, icon: null, sections: [] }],
  });

  test("is bounded by bytes and drops the least recently used answer first", () => {
    const cache = new AnswerCache(1_000);
    cache.put("a", tree("a".repeat(200)));
    cache.put("b", tree("b".repeat(200)));
    expect(cache.get("a")).toBeDefined(); // a is now the most recently used
    cache.put("c", tree("c".repeat(200)));
    expect(cache.size.bytes).toBeLessThanOrEqual(1_000);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBeDefined();
    expect(cache.get("c")).toBeDefined();
  });

  test("keeps the exact bytes it serialised, with an ETag that changes with them", () => {
    const cache = new AnswerCache(10_000);
    const one = cache.put("k1", tree("Новости"));
    const same = cache.put("k2", tree("Новости"));
    const other = cache.put("k3", tree("Отпуск"));
    expect(new TextDecoder().decode(cache.get("k1")?.bytes)).toBe(JSON.stringify(tree("Новости")));
    expect(same.etag).toBe(one.etag);
    expect(other.etag).not.toBe(one.etag);
  });

  test("size 0 keeps nothing and still answers", () => {
    const cache = new AnswerCache(0);
    expect(cache.put("k", tree("x")).bytes.byteLength).toBeGreaterThan(0);
    expect(cache.get("k")).toBeUndefined();
  });
});

describe("If-None-Match", () => {
  test("weak comparison over a list; nothing matches without the header", () => {
    expect(matchesIfNoneMatch(null, '"a"')).toBe(false);
    expect(matchesIfNoneMatch('"a"', '"a"')).toBe(true);
    expect(matchesIfNoneMatch(' "b" , W/"a"', '"a"')).toBe(true);
    expect(matchesIfNoneMatch('"b", "c"', '"a"')).toBe(false);
    expect(matchesIfNoneMatch("*", '"a"')).toBe(true);
    expect(matchesIfNoneMatch('"ab"', '"a"')).toBe(false);
  });
});
