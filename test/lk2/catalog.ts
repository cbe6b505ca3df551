/**
 * An LK2 catalog for the end-to-end tests: the corpus's rules (plus one LK2 cannot translate and
 * one that is not executable), and components the way LK2's admins lay them out — a hidden tab
 * theme whose tabs still show in a visible group theme (LK2's "each on its own"), tabs limited to
 * platforms, banners for a platform we do not serve.
 */
import type { Lk2Export, Lk2Rule } from "../../src/lk2/index.ts";
import { CORPUS } from "./corpus.ts";

/** Rules of the corpus the catalog gates with (by LK2 id). */
const R = {
  moscowOrVip: 1,
  cashier: 2,
  director: 3,
  capital: 4,
  seller: 11,
  hasStore: 15,
  newHire: 75,
  birthdayToday: 77,
  refersMany: 93,
  switchedOff: 94,
  lk1Codes: 96,
  web: 99,
  untranslatable: 200,
} as const;

const EXTRA_RULES: Lk2Rule[] = [
  {
    id: R.untranslatable,
    name: "uses_lambda",
    title: "Лямбда",
    value: "(lambda r: 'it' in r)(roles)",
    executable: true,
    lk1: false,
  },
  {
    id: 201,
    name: "unused_rule",
    title: "Никем не используется",
    value: "is_manager",
    executable: true,
    lk1: false,
  },
];

const theme = (id: number, title: string, order: number, rule_id: number | null) => ({
  id,
  name: `theme_${id}`,
  title,
  icon: `icon-${id}`,
  order,
  rule_id,
});
const group = (id: number, title: string, order: number, rule_id: number | null) => ({
  id,
  name: `group_${id}`,
  title,
  order,
  rule_id,
});
const tab = (
  id: number,
  title: string,
  tab_theme_id: number,
  group_theme_id: number | null,
  order: number,
  rule_id: number | null,
  platforms: string[] | null = null,
) => ({
  id,
  name: `tab_${id}`,
  title,
  url: `/lk2/${id}`,
  icon: null,
  tab_theme_id,
  group_theme_id,
  platforms,
  order,
  rule_id,
});

export const LK2_CATALOG: Lk2Export = {
  rule: [...CORPUS, ...EXTRA_RULES],
  tab_theme: [
    theme(10, "Кадры", 1, null),
    theme(11, "Магазин", 2, R.hasStore),
    theme(12, "Руководителям", 3, R.director),
    theme(13, "Москва", 3, R.moscowOrVip), // same order as 12: ties go by id
    theme(14, "Выключено", 0, R.switchedOff),
    theme(15, "Пустая", 5, null),
  ],
  group_theme: [
    group(20, "Главное", 1, null),
    group(21, "Кассирам", 0, R.cashier),
    group(22, "Новичкам", 2, R.newHire),
  ],
  tab: [
    tab(30, "Расчётный листок", 10, 20, 1, null),
    tab(31, "Отпуск", 10, 20, 2, R.lk1Codes),
    tab(32, "График смен", 11, 21, 1, R.seller),
    tab(33, "Касса", 11, 21, 2, R.cashier, ["ios", "android"]),
    tab(34, "Отчёты магазина", 12, 20, 1, null), // a card for all, a sidebar link for directors only
    tab(35, "Заместители", 12, null, 2, R.refersMany),
    tab(36, "Московские новости", 13, 22, 1, null, ["web"]),
    tab(37, "Столичный клуб", 13, null, 0, R.capital),
    tab(38, "Скрытая тема", 14, 20, 1, null), // its theme is never shown, its card always is
    tab(39, "Адаптация", 10, 22, 3, R.newHire),
    tab(40, "С днём рождения", 10, 20, 0, R.birthdayToday),
    tab(41, "Только в вебе", 10, null, 4, R.web),
    tab(42, "Только на десктопе", 10, 20, 5, null, ["desktop"]), // a platform we do not serve
  ],
  banner: [
    {
      id: 50,
      name: "b50",
      title: "Для всех",
      image_url: "/b/50.png",
      link: null,
      platforms: null,
      order: 2,
      rule_id: null,
    },
    {
      id: 51,
      name: "b51",
      title: "Кассирам",
      image_url: "/b/51.png",
      link: "/lk2/33",
      platforms: null,
      order: 1,
      rule_id: R.cashier,
    },
    {
      id: 52,
      name: "b52",
      title: "Выключено",
      image_url: "/b/52.png",
      link: null,
      platforms: null,
      order: 0,
      rule_id: R.switchedOff,
    },
    {
      id: 53,
      name: "b53",
      title: "Мобильным",
      image_url: "/b/53.png",
      link: null,
      platforms: ["ios", "android", "desktop"],
      order: 3,
      rule_id: null,
    },
    {
      id: 54,
      name: "b54",
      title: "Москвичам",
      image_url: "/b/54.png",
      link: null,
      platforms: ["web"],
      order: 3,
      rule_id: R.moscowOrVip,
    },
  ],
};

/** LK2's five tables, as its Django models create them (ids int8, like BigAutoField). */
export const LK2_DDL = `
CREATE TABLE rule (id bigserial PRIMARY KEY, title text NOT NULL, value text NOT NULL,
  executable boolean NOT NULL DEFAULT true, lk1 boolean NOT NULL DEFAULT false, name text UNIQUE);
CREATE TABLE tab_theme (id bigserial PRIMARY KEY, name text, title text NOT NULL, icon text,
  "order" integer NOT NULL DEFAULT 0, rule_id bigint REFERENCES rule(id));
CREATE TABLE group_theme (id bigserial PRIMARY KEY, name text, title text NOT NULL,
  "order" integer NOT NULL DEFAULT 0, rule_id bigint REFERENCES rule(id));
CREATE TABLE tab (id bigserial PRIMARY KEY, name text, title text NOT NULL, url text NOT NULL, icon text,
  tab_theme_id bigint NOT NULL REFERENCES tab_theme(id), group_theme_id bigint REFERENCES group_theme(id),
  platforms text[], "order" integer NOT NULL DEFAULT 0, rule_id bigint REFERENCES rule(id));
CREATE TABLE banner (id bigserial PRIMARY KEY, name text, title text NOT NULL, image_url text NOT NULL,
  link text, platforms text[], "order" integer NOT NULL DEFAULT 0, rule_id bigint REFERENCES rule(id));
`;
