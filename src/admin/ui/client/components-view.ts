/**
 * Components as the page is built from them: the menu (sidebar groups with their sections), the
 * card groups (with the sections placed in them) and the banners (with thumbnails and windows in
 * Moscow time). Each can be created, edited and moved up or down among its siblings.
 */
import {
  ApiError,
  api,
  type BannerView,
  type CardGroupView,
  type RuleView,
  type SectionView,
  type SidebarGroupView,
} from "./api.ts";
import { createComponentForm } from "./component-form.ts";
import { type ComponentKind, type ComponentView, inputOf, KINDS } from "./component-kinds.ts";
import { bringIntoView, el } from "./dom.ts";
import { confirmDialog, guarded, say } from "./shell.ts";
import { formatMoscow } from "./texts.ts";

interface Catalog {
  rules: RuleView[];
  sidebarGroups: SidebarGroupView[];
  cardGroups: CardGroupView[];
  sections: SectionView[];
  banners: BannerView[];
}

const byOrder = <T extends { order: number; id: number }>(items: T[]) =>
  [...items].sort((a, b) => a.order - b.order || a.id - b.id);

export function createComponentsView(root: HTMLElement) {
  let catalog: Catalog = { rules: [], sidebarGroups: [], cardGroups: [], sections: [], banners: [] };
  let editing: { kind: ComponentKind; value: ComponentView | null } | null = null;
  const editor = createComponentForm();
  const lists = el("div", { id: "components" });
  const ruleName = (id: number | null) =>
    id === null ? "все" : (catalog.rules.find((r) => r.id === id)?.name ?? `#${id}`);

  const load = async () => {
    const [rules, sidebarGroups, cardGroups, sections, banners] = await Promise.all([
      api<RuleView[]>("GET", "/admin/rules"),
      api<SidebarGroupView[]>("GET", "/admin/sidebar-groups"),
      api<CardGroupView[]>("GET", "/admin/card-groups"),
      api<SectionView[]>("GET", "/admin/sections"),
      api<BannerView[]>("GET", "/admin/banners"),
    ]);
    catalog = { rules, sidebarGroups, cardGroups, sections, banners };
    editor.setChoices({ rules, sidebarGroups: byOrder(sidebarGroups), cardGroups: byOrder(cardGroups) });
    render();
  };

  /** Moves an item among its siblings: the siblings are renumbered 10, 20, … (only changed ones are saved). */
  const move = (kind: ComponentKind, siblings: ComponentView[], index: number, by: -1 | 1) =>
    void guarded(async () => {
      const ordered = [...siblings];
      const [item] = ordered.splice(index, 1);
      if (!item) return;
      ordered.splice(index + by, 0, item);
      for (const [i, sibling] of ordered.entries()) {
        const order = (i + 1) * 10;
        if (sibling.order === order) continue;
        await api("PUT", `/admin/${kind.path}/${sibling.id}`, {
          json: inputOf(kind, sibling, { order }),
          ifMatch: sibling.version,
        });
      }
      await load();
      say(`Порядок изменён: «${item.title}» ${by < 0 ? "выше" : "ниже"}`, "ok");
    });

  const row = (
    kind: ComponentKind,
    item: ComponentView,
    siblings: ComponentView[],
    index: number,
    extra: Array<Node | string> = [],
  ) =>
    el(
      "li",
      { class: "component", dataset: { kind: kind.path, id: String(item.id) } },
      el("button", { type: "button", class: "link", onclick: () => open(kind, item) }, item.title),
      el("span", { class: "muted" }, ` · правило: ${ruleName(item.rule_id)}`),
      ...extra,
      el(
        "span",
        { class: "move" },
        el(
          "button",
          {
            type: "button",
            "aria-label": `«${item.title}» выше`,
            disabled: index === 0,
            onclick: () => move(kind, siblings, index, -1),
          },
          "↑",
        ),
        el(
          "button",
          {
            type: "button",
            "aria-label": `«${item.title}» ниже`,
            disabled: index === siblings.length - 1,
            onclick: () => move(kind, siblings, index, 1),
          },
          "↓",
        ),
      ),
    );

  const sectionsList = (sections: SectionView[]) =>
    el(
      "ul",
      { class: "sections" },
      ...sections.map((s, i) =>
        row(KINDS.sections, s, sections, i, [
          el("span", { class: "muted" }, ` · ${s.url}`),
          s.platforms ? el("span", { class: "muted" }, ` · ${s.platforms.join(", ")}`) : "",
        ]),
      ),
    );

  function render() {
    const groups = byOrder(catalog.sidebarGroups);
    const cardGroups = byOrder(catalog.cardGroups);
    const banners = byOrder(catalog.banners);
    const sections = byOrder(catalog.sections);
    lists.replaceChildren(
      el("h3", {}, "Меню: группы и разделы"),
      groups.length
        ? el(
            "ul",
            { class: "groups" },
            ...groups.map((g, i) => {
              const item = row(KINDS["sidebar-groups"], g, groups, i);
              item.append(sectionsList(sections.filter((s) => s.sidebar_group_id === g.id)));
              return item;
            }),
          )
        : el("p", { class: "empty" }, "Групп меню пока нет"),
      el("h3", {}, "Группы карточек"),
      cardGroups.length
        ? el(
            "ul",
            { class: "groups" },
            ...cardGroups.map((g, i) => {
              const inside = sections.filter((s) => s.card_group_id === g.id).map((s) => s.title);
              return row(KINDS["card-groups"], g, cardGroups, i, [
                el(
                  "span",
                  { class: "muted" },
                  inside.length ? ` · карточки: ${inside.join(", ")}` : " · карточек нет",
                ),
              ]);
            }),
          )
        : el("p", { class: "empty" }, "Групп карточек пока нет"),
      el("h3", {}, "Баннеры"),
      banners.length
        ? el(
            "ul",
            { class: "groups banners" },
            ...banners.map((b, i) =>
              row(KINDS.banners, b, banners, i, [
                el("img", { class: "thumbnail small", src: b.image_url, alt: "", loading: "lazy" }),
                el(
                  "span",
                  { class: "muted" },
                  ` · ${b.starts_at ? `с ${formatMoscow(b.starts_at)}` : "всегда"}${b.ends_at ? ` до ${formatMoscow(b.ends_at)}` : ""} (МСК)`,
                ),
              ]),
            ),
          )
        : el("p", { class: "empty" }, "Баннеров пока нет"),
    );
  }

  function open(kind: ComponentKind, value: ComponentView | null) {
    editing = { kind, value };
    const siblings = {
      "sidebar-groups": catalog.sidebarGroups,
      "card-groups": catalog.cardGroups,
      sections: catalog.sections,
      banners: catalog.banners,
    }[kind.path];
    const nextOrder =
      Math.max(0, ...siblings.map((s) => s.order)) + 10 - (Math.max(0, ...siblings.map((s) => s.order)) % 10);
    editor.show(kind, value, nextOrder);
    bringIntoView(editor.form);
  }

  const close = () => {
    editing = null;
    editor.form.hidden = true;
  };

  editor.form.addEventListener("submit", (event) => {
    event.preventDefault();
    void guarded(async () => {
      if (!editing) return;
      const { kind, value } = editing;
      const body = editor.read(kind);
      if (typeof body === "string") return say(body, "error");
      let saved: ComponentView;
      try {
        saved = value
          ? await api<ComponentView>("PUT", `/admin/${kind.path}/${value.id}`, {
              json: body,
              ifMatch: value.version,
            })
          : await api<ComponentView>("POST", `/admin/${kind.path}`, { json: body });
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) await load(); // show the other change; the form keeps this one
        throw error;
      }
      // The form shows what was saved at once (a click during the reload is not undone); the
      // message comes once the lists show it too.
      open(kind, saved);
      await load();
      say(
        `${kind.noun} «${saved.title}» ${kind.feminine ? "сохранена" : "сохранён"}, версия ${saved.version}`,
        "ok",
      );
    });
  });
  editor.form.querySelector("#cancel-component")?.addEventListener("click", close);
  editor.form.querySelector("#delete-component")?.addEventListener(
    "click",
    () =>
      void guarded(async () => {
        if (!editing?.value) return;
        const { kind, value } = editing;
        if (
          !(await confirmDialog(
            `Удалить: ${kind.noun.toLowerCase()} «${value.title}»?`,
            el("p", {}, "Сотрудники перестанут это видеть сразу после удаления."),
            "Удалить",
          ))
        )
          return;
        await api("DELETE", `/admin/${kind.path}/${value.id}`, { ifMatch: value.version });
        close();
        await load();
        say(`${kind.noun} «${value.title}» ${kind.feminine ? "удалена" : "удалён"}`, "ok");
      }),
  );

  const create = el(
    "div",
    { class: "toolbar" },
    el("h2", {}, "Компоненты"),
    el(
      "span",
      { class: "buttons" },
      ...Object.values(KINDS).map((kind) =>
        el(
          "button",
          { type: "button", dataset: { create: kind.path }, onclick: () => open(kind, null) },
          `Создать ${kind.accusative}`,
        ),
      ),
    ),
  );
  root.replaceChildren(create, editor.form, lists);
  return { load };
}
