/**
 * The home page as one employee sees it, drawn like the portal (banners, card groups, the
 * sidebar), who the employee is, then what is hidden from them and why, by title.
 */
import {
  api,
  type BannerView,
  type CardGroupView,
  type Preview,
  type RuleView,
  type SectionView,
  type SidebarGroupView,
} from "./api.ts";
import { el, table } from "./dom.ts";
import { guarded, say } from "./shell.ts";

type Hidden = Preview["hidden"][number];

const HIDDEN_NOUNS: Readonly<Record<Hidden["kind"], [string, string]>> = {
  section: ["Раздел", "скрыт"],
  banner: ["Баннер", "скрыт"],
  sidebar_group: ["Группа меню", "скрыта"],
  card_group: ["Группа карточек", "скрыта"],
};

/** The service's reason ("rule is_x false", "platform", …) in words. */
function reasonText(reason: string, platform: string, rules: RuleView[]): string {
  let m = /^rule (\S+) false$/.exec(reason);
  if (m) return `правило ${m[1]} ложно`;
  m = /^rule (\S+) error$/.exec(reason);
  if (m) return `правило ${m[1]} вычислилось с ошибкой (считается ложным)`;
  m = /^rule #(\d+) disabled$/.exec(reason);
  if (m) return `правило ${rules.find((r) => r.id === Number(m?.[1]))?.name ?? `#${m[1]}`} выключено`;
  m = /^rule (\S+) not evaluated$/.exec(reason);
  if (m) return `правило ${m[1]} не вычислено`;
  const fixed: Record<string, string> = {
    platform: `не показывается на платформе ${platform}`,
    "outside window": "сейчас вне окна показа",
    "group hidden": "его группа скрыта",
    "no visible sections": "в ней нет видимых разделов",
    query: "не подходит под поиск",
  };
  return fixed[reason] ?? reason;
}

const str = (value: unknown) => (typeof value === "string" && value ? value : null);

export function createPreviewView(root: HTMLElement) {
  const pernr = el("input", {
    name: "personnel_number",
    required: true,
    inputmode: "numeric",
    pattern: "\\d{1,8}",
    autocomplete: "off",
  });
  const platform = el(
    "select",
    { name: "platform" },
    ...["web", "ios", "android"].map((p) => el("option", {}, p)),
  );
  const result = el("div", { id: "preview-result" });

  const show = async () => {
    const query = new URLSearchParams({
      personnel_number: pernr.value.trim(),
      platform: platform.value,
      evidence: "all",
    });
    const [preview, rules, sidebarGroups, cardGroups, sections, banners] = await Promise.all([
      api<Preview>("GET", `/admin/preview?${query}`),
      api<RuleView[]>("GET", "/admin/rules"),
      api<SidebarGroupView[]>("GET", "/admin/sidebar-groups"),
      api<CardGroupView[]>("GET", "/admin/card-groups"),
      api<SectionView[]>("GET", "/admin/sections"),
      api<BannerView[]>("GET", "/admin/banners"),
    ]);
    const titles: Record<Hidden["kind"], Map<number, string>> = {
      section: new Map(sections.map((c) => [c.id, c.title])),
      banner: new Map(banners.map((c) => [c.id, c.title])),
      sidebar_group: new Map(sidebarGroups.map((c) => [c.id, c.title])),
      card_group: new Map(cardGroups.map((c) => [c.id, c.title])),
    };
    const e = preview.evidence;
    const place = str(e.store_id)
      ? `магазин ${str(e.store_id)}`
      : str(e.orgunit_id)
        ? `подразделение ${str(e.orgunit_id)}`
        : null;
    const hidden = preview.hidden.map((h) => {
      const [noun, verb] = HIDDEN_NOUNS[h.kind];
      const title = titles[h.kind].get(h.id) ?? `#${h.id}`;
      return el(
        "li",
        { dataset: { kind: h.kind, id: String(h.id) } },
        `${noun} «${title}» ${verb}: ${reasonText(h.reason, platform.value, rules)}`,
      );
    });
    result.replaceChildren(
      el(
        "div",
        { id: "preview-employee", class: "employee-card" },
        el("strong", {}, str(e.full_name) ?? "(без имени)"),
        el("span", {}, [str(e.position), place, str(e.region_name)].filter(Boolean).join(" · ")),
        el(
          "span",
          { class: "muted" },
          `табельный ${String(e.personnel_number ?? "")}, ${platform.value}${preview.evidence_stale ? ", данные из кэша (SAP недоступен)" : ""}`,
        ),
      ),
      el(
        "div",
        { id: "preview-portal", class: "portal" },
        el(
          "nav",
          { class: "portal-sidebar", "aria-label": "Меню сотрудника" },
          ...preview.sidebar.map((g) =>
            el(
              "div",
              { class: "portal-group" },
              el("h4", {}, g.title),
              el("ul", {}, ...g.sections.map((s) => el("li", {}, s.title))),
            ),
          ),
          preview.sidebar.length ? null : el("p", { class: "empty" }, "Меню пустое"),
        ),
        el(
          "div",
          { class: "portal-main" },
          el(
            "div",
            { class: "portal-banners" },
            ...preview.banners.map((b) =>
              el(
                "figure",
                { class: "portal-banner" },
                el("img", { src: b.image_url, alt: b.title }),
                el("figcaption", {}, b.title),
              ),
            ),
          ),
          ...preview.cards.map((c) =>
            el(
              "section",
              { class: "portal-cards" },
              el("h4", {}, c.title),
              el("div", { class: "cards" }, ...c.sections.map((s) => el("div", { class: "card" }, s.title))),
            ),
          ),
          preview.banners.length || preview.cards.length
            ? null
            : el("p", { class: "empty" }, "На главной ничего нет"),
        ),
      ),
      el("h3", {}, "Что скрыто и почему"),
      hidden.length
        ? el("ul", { id: "preview-hidden" }, ...hidden)
        : el("p", { id: "preview-hidden", class: "empty" }, "Ничего не скрыто"),
      el("h3", {}, "Правила для этого сотрудника"),
      el(
        "div",
        { id: "preview-rules" },
        table(
          ["Правило", "Результат"],
          preview.rules.map((r) => [
            el("span", { class: "mono" }, r.name),
            el(
              "span",
              { class: `result-${String(r.result)}` },
              r.result === "error" ? `ошибка: ${r.error ?? ""}` : r.result ? "истинно" : "ложно",
            ),
          ]),
        ),
      ),
    );
    say(`Показано по версии каталога ${preview.catalog_version}`);
  };

  root.replaceChildren(
    el("h2", {}, "Как видит сотрудник"),
    el(
      "form",
      {
        id: "preview-form",
        onsubmit: (event: Event) => {
          event.preventDefault();
          void guarded(show);
        },
      },
      el("label", {}, "Табельный номер ", pernr),
      el("label", {}, "Платформа ", platform),
      el("button", { type: "submit", class: "primary" }, "Показать"),
    ),
    result,
  );
  return { load: async () => {} };
}
