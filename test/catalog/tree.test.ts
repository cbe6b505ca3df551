import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { Banner, CardGroup, CatalogSnapshot, Section, SidebarGroup } from "../../src/catalog/index.ts";
import { buildLayout, buildTabs, visibleTabs } from "../../src/catalog/index.ts";
import type { RuleOutcome } from "../../src/rules/index.ts";
import { compileRuleset, textMatches } from "../../src/rules/index.ts";
import { createPlainHelpers } from "../../src/rules/sandbox/library.ts";

// buildTabs is pure: snapshot + rule results + request → tree. No sandbox, no database.
const RULES = [
  { id: 1, name: "yes", title: "always" },
  { id: 2, name: "no", title: "never" },
  { id: 3, name: "broken", title: "throws" },
];
const results = new Map<string, RuleOutcome>([
  ["yes", { ok: true, value: true }],
  ["no", { ok: true, value: false }],
  ["broken", { ok: false, kind: "throw", error: "TypeError: x is undefined" }],
]);

const group = (id: number, ruleId: number | null = null, order = id): SidebarGroup => ({
  id,
  title: `Группа ${id}`,
  icon: null,
  order,
  ruleId,
});
const card = (id: number, ruleId: number | null = null): CardGroup => ({
  id,
  title: `Карта ${id}`,
  order: id,
  ruleId,
});
const section = (id: number, sidebarGroupId: number, extra: Partial<Section> = {}): Section => ({
  id,
  title: `Раздел ${id}`,
  url: `/s/${id}`,
  icon: null,
  order: id,
  sidebarGroupId,
  cardGroupId: null,
  platforms: null,
  ruleId: null,
  ...extra,
});
const banner = (id: number, extra: Partial<Banner> = {}): Banner => ({
  id,
  title: `Баннер ${id}`,
  imageUrl: `/b/${id}.png`,
  link: null,
  order: id,
  platforms: null,
  startsAt: null,
  endsAt: null,
  ruleId: null,
  ...extra,
});

function snapshot(
  parts: Partial<Pick<CatalogSnapshot, "sidebarGroups" | "cardGroups" | "sections" | "banners">>,
): CatalogSnapshot {
  const components = {
    rulesById: new Map(RULES.map((r) => [r.id, r])),
    sidebarGroups: [],
    cardGroups: [],
    sections: [],
    banners: [],
    ...parts,
  };
  return {
    catalogVersion: 1,
    builtAt: new Date(0),
    // buildTabs reads the rules' results, not the rule set: an empty compiled one will do.
    ruleset: compileRuleset([]),
    ...components,
    layout: buildLayout(components),
  };
}

const NOW = new Date("2026-11-26T12:00:00Z");
const web = { platform: "web" as const, now: NOW };

describe("buildTabs: visibility", () => {
  test("a section shows when it has no rule or its rule is true; false and error hide it", () => {
    const snap = snapshot({
      sidebarGroups: [group(1)],
      sections: [
        section(1, 1),
        section(2, 1, { ruleId: 1 }),
        section(3, 1, { ruleId: 2 }),
        section(4, 1, { ruleId: 3 }),
      ],
    });
    const { tabs, hidden } = buildTabs(snap, results, web);
    expect(tabs.sidebar.map((g) => g.sections.map((s) => s.id))).toEqual([[1, 2]]);
    expect(hidden).toContainEqual({ kind: "section", id: 3, reason: "rule no false" });
    expect(hidden).toContainEqual({ kind: "section", id: 4, reason: "rule broken error" });
  });

  test("a component whose rule is not in the snapshot (disabled) is hidden", () => {
    const snap = snapshot({
      sidebarGroups: [group(1)],
      sections: [section(1, 1), section(2, 1, { ruleId: 99 })],
    });
    const { tabs, hidden } = buildTabs(snap, results, web);
    expect(tabs.sidebar[0]?.sections.map((s) => s.id)).toEqual([1]);
    expect(hidden).toContainEqual({ kind: "section", id: 2, reason: "rule #99 disabled" });
  });

  test("platforms: null means every platform, a list limits to it", () => {
    const snap = snapshot({
      sidebarGroups: [group(1)],
      sections: [
        section(1, 1),
        section(2, 1, { platforms: ["ios", "android"] }),
        section(3, 1, { platforms: ["web"] }),
      ],
      banners: [banner(1, { platforms: ["ios"] }), banner(2)],
    });
    const onWeb = buildTabs(snap, results, web);
    expect(onWeb.tabs.sidebar[0]?.sections.map((s) => s.id)).toEqual([1, 3]);
    expect(onWeb.tabs.banners.map((b) => b.id)).toEqual([2]);
    expect(onWeb.hidden).toContainEqual({ kind: "section", id: 2, reason: "platform" });
    const onIos = buildTabs(snap, results, { platform: "ios", now: NOW });
    expect(onIos.tabs.sidebar[0]?.sections.map((s) => s.id)).toEqual([1, 2]);
    expect(onIos.tabs.banners.map((b) => b.id)).toEqual([1, 2]);
  });

  test("a section with no visible group to show in is hidden; a group with no visible section is left out", () => {
    const snap = snapshot({
      sidebarGroups: [group(1, 2), group(2), group(3)],
      sections: [section(1, 1), section(2, 2, { ruleId: 2 }), section(3, 3)],
    });
    const { tabs, hidden } = buildTabs(snap, results, web);
    expect(tabs.sidebar.map((g) => g.id)).toEqual([3]);
    expect(hidden).toContainEqual({ kind: "sidebar_group", id: 1, reason: "rule no false" });
    expect(hidden).toContainEqual({ kind: "section", id: 1, reason: "group hidden" });
    expect(hidden).toContainEqual({ kind: "sidebar_group", id: 2, reason: "no visible sections" });
  });

  test("cards hold the visible sections placed in them; a hidden or empty card group is left out", () => {
    const snap = snapshot({
      sidebarGroups: [group(1), group(2, 2)],
      cardGroups: [card(10), card(11, 2), card(12), card(13)],
      sections: [
        section(1, 1, { cardGroupId: 10 }),
        section(2, 1, { cardGroupId: 11 }),
        section(3, 2, { cardGroupId: 12 }), // its sidebar group is hidden: it still shows in its card
        section(4, 1, { cardGroupId: 13, ruleId: 2 }),
        section(5, 1, { cardGroupId: 10 }),
      ],
    });
    const { tabs, hidden } = buildTabs(snap, results, web);
    expect(tabs.cards).toEqual([
      {
        id: 10,
        title: "Карта 10",
        sections: [
          { id: 1, title: "Раздел 1", url: "/s/1", icon: null },
          { id: 5, title: "Раздел 5", url: "/s/5", icon: null },
        ],
      },
      { id: 12, title: "Карта 12", sections: [{ id: 3, title: "Раздел 3", url: "/s/3", icon: null }] },
    ]);
    expect(hidden).toContainEqual({ kind: "card_group", id: 11, reason: "rule no false" });
    expect(hidden).toContainEqual({ kind: "card_group", id: 13, reason: "no visible sections" });
    expect(hidden.some((h) => h.kind === "section" && h.id === 3)).toBe(false);
  });

  test("each place on its own: a hidden card group does not hide the section from the sidebar", () => {
    const snap = snapshot({
      sidebarGroups: [group(1), group(2, 2)],
      cardGroups: [card(10, 2), card(11)],
      sections: [
        section(1, 1, { cardGroupId: 10 }), // sidebar visible, card hidden: sidebar only
        section(2, 2, { cardGroupId: 11 }), // sidebar hidden, card visible: card only
        section(3, 2, { cardGroupId: 10 }), // both hidden: nowhere
      ],
    });
    const { tabs, hidden } = buildTabs(snap, results, web);
    expect(tabs.sidebar.map((g) => [g.id, g.sections.map((s) => s.id)])).toEqual([[1, [1]]]);
    expect(tabs.cards.map((g) => [g.id, g.sections.map((s) => s.id)])).toEqual([[11, [2]]]);
    expect(hidden).toContainEqual({ kind: "section", id: 3, reason: "group hidden" });
  });

  test("banners: starts_at inclusive, ends_at exclusive, open ends", () => {
    const at = (iso: string) => new Date(iso);
    const snap = snapshot({
      banners: [
        banner(1, { startsAt: at("2026-11-26T12:00:00Z") }),
        banner(2, { endsAt: at("2026-11-26T12:00:00Z") }),
        banner(3, { startsAt: at("2026-11-01T00:00:00Z"), endsAt: at("2026-12-01T00:00:00Z") }),
        banner(4, { startsAt: at("2026-12-01T00:00:00Z") }),
        banner(5, { ruleId: 2 }),
      ],
    });
    const { tabs, hidden } = buildTabs(snap, results, web);
    expect(tabs.banners.map((b) => b.id)).toEqual([1, 3]);
    expect(hidden).toContainEqual({ kind: "banner", id: 2, reason: "outside window" });
    expect(hidden).toContainEqual({ kind: "banner", id: 4, reason: "outside window" });
    expect(hidden).toContainEqual({ kind: "banner", id: 5, reason: "rule no false" });
  });

  test("order comes from the snapshot (sorted by order, then id) and is kept", () => {
    const snap = snapshot({
      sidebarGroups: [group(2, null, 0), group(1, null, 5)],
      sections: [section(9, 1), section(3, 2), section(7, 2)],
      banners: [banner(8), banner(2)],
    });
    const { tabs } = buildTabs(snap, results, web);
    expect(tabs.sidebar.map((g) => [g.id, g.sections.map((s) => s.id)])).toEqual([
      [2, [3, 7]],
      [1, [9]],
    ]);
    expect(tabs.banners.map((b) => b.id)).toEqual([8, 2]);
  });
});

describe("buildTabs: query", () => {
  const snap = snapshot({
    sidebarGroups: [group(1)],
    cardGroups: [card(10)],
    sections: [
      section(1, 1, { title: "Расчётный листок", cardGroupId: 10 }),
      section(2, 1, { title: "Мой ОТПУСК" }),
      section(3, 1, { title: "Payslip archive" }),
      section(4, 1, { title: "Ёлка" }),
    ],
    banners: [banner(1)],
  });
  const ids = (query: string) =>
    buildTabs(snap, results, { ...web, query }).tabs.sidebar.flatMap((g) => g.sections.map((s) => s.id));

  test("case-insensitive, Cyrillic included", () => {
    expect(ids("отпуск")).toEqual([2]);
    expect(ids("РАСЧЁТ")).toEqual([1]);
    expect(ids("PAYSLIP")).toEqual([3]);
    expect(ids("листок")).toEqual([1]);
  });

  test("ё and е match each other", () => {
    expect(ids("расчет")).toEqual([1]);
    expect(ids("елка")).toEqual([4]);
    // ё typed as е + U+0308 (combining diaeresis), as some keyboards send it.
    expect(ids("расче\u0308т")).toEqual([1]);
  });

  test("the search folds text with wasm/helpers.js, the same function as a rule's matches()", async () => {
    const helpers = createPlainHelpers({ evidence: undefined });
    expect(helpers.matches?.("Ёлка", "е\u0308лк")).toBe(true);
    expect(textMatches("Ёлка", "е\u0308лк")).toBe(true);
    expect(textMatches("Payslip", "SLIP")).toBe(true);
    expect(textMatches("Отпуск", "отпуска")).toBe(false);
  });

  test("filters cards too, leaves banners alone, and an empty result is empty groups", () => {
    const tree = buildTabs(snap, results, { ...web, query: "отпуск" });
    expect(tree.tabs.cards).toEqual([]);
    expect(tree.tabs.banners.map((b) => b.id)).toEqual([1]);
    expect(buildTabs(snap, results, { ...web, query: "нет такого" }).tabs.sidebar).toEqual([]);
  });
});

describe("visibleTabs: the tree /user.tabs serves", () => {
  test("is buildTabs' tree without the reasons, for any catalog, results and request", () => {
    const ruleId = fc.constantFrom(null, 1, 2, 3, 99);
    const platforms = fc.constantFrom<string[] | null>(null, ["web"], ["ios", "android"]);
    const day = (d: number) => new Date(Date.UTC(2026, 10, d));
    const catalog = fc.record({
      sidebar: fc.array(ruleId, { maxLength: 4 }),
      cards: fc.array(ruleId, { maxLength: 3 }),
      sections: fc.array(
        fc.record({
          rule: ruleId,
          platforms,
          sidebar: fc.nat(4),
          card: fc.option(fc.nat(3)),
          title: fc.constantFrom("Отпуск", "Новости", "Payslip"),
        }),
        { maxLength: 10 },
      ),
      banners: fc.array(
        fc.record({ rule: ruleId, platforms, starts: fc.option(fc.integer({ min: 20, max: 30 })) }),
        { maxLength: 3 },
      ),
      platform: fc.constantFrom("web" as const, "ios" as const),
      query: fc.constantFrom(undefined, "", "отпуск", "pay"),
    });
    fc.assert(
      fc.property(catalog, (c) => {
        const snap = snapshot({
          sidebarGroups: c.sidebar.map((rule, i) => group(i + 1, rule)),
          cardGroups: c.cards.map((rule, i) => card(i + 1, rule)),
          sections: c.sections.map((s, i) =>
            section(i + 1, s.sidebar + 1, {
              ruleId: s.rule,
              platforms: s.platforms,
              cardGroupId: s.card === null ? null : s.card + 1,
              title: s.title,
            }),
          ),
          banners: c.banners.map((b, i) =>
            banner(i + 1, {
              ruleId: b.rule,
              platforms: b.platforms,
              startsAt: b.starts === null ? null : day(b.starts),
            }),
          ),
        });
        const request = { platform: c.platform, query: c.query, now: NOW };
        expect(visibleTabs(snap, results, request)).toEqual(buildTabs(snap, results, request).tabs);
      }),
      { numRuns: 300 },
    );
  });
});
