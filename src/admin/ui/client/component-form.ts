/**
 * One form for the four kinds of component: it shows only the fields the kind has, a rule picker
 * with search, the banner's image as a thumbnail and its window in Moscow time.
 */
import type { RuleView } from "./api.ts";
import { type ComponentKind, type ComponentView, type Field, PLATFORMS } from "./component-kinds.ts";
import { el } from "./dom.ts";
import { fromMoscowInput, toMoscowInput } from "./time.ts";

export interface ComponentChoices {
  rules: RuleView[];
  sidebarGroups: Array<{ id: number; title: string }>;
  cardGroups: Array<{ id: number; title: string }>;
}

export function createComponentForm() {
  const input = (name: string, attrs: Record<string, string | boolean> = {}) =>
    el("input", { name, autocomplete: "off", spellcheck: "false", ...attrs });
  const title = input("title", { required: true, spellcheck: "true" });
  const order = input("order", { type: "number", min: "0", max: "1000000", step: "1", required: true });
  const icon = input("icon");
  const url = input("url", { placeholder: "/vacation или https://…" });
  const imageUrl = input("image_url", { placeholder: "https://…/banner.png" });
  const link = input("link", { placeholder: "необязательно" });
  const startsAt = input("starts_at", { type: "datetime-local" });
  const endsAt = input("ends_at", { type: "datetime-local" });
  const sidebarGroup = el("select", { name: "sidebar_group_id" });
  const cardGroup = el("select", { name: "card_group_id" });
  const ruleSearch = input("rule_search", {
    type: "search",
    placeholder: "Найти правило",
    "aria-label": "Найти правило",
  });
  const rule = el("select", { name: "rule_id", size: 6, "aria-label": "Правило" });
  const platformBoxes = PLATFORMS.map((p) => input("platforms", { type: "checkbox", value: p }));
  const thumbnail = el("img", { class: "thumbnail", alt: "Картинка баннера", hidden: true });
  const heading = el("h3", { id: "component-form-heading" });

  let rules: RuleView[] = [];
  const fillRules = () => {
    const chosen = rule.value;
    const needle = ruleSearch.value.trim().toLowerCase();
    const shown = rules.filter(
      (r) =>
        String(r.id) === chosen ||
        !needle ||
        r.name.toLowerCase().includes(needle) ||
        r.title.toLowerCase().includes(needle),
    );
    rule.replaceChildren(
      el("option", { value: "" }, "(без правила: видят все)"),
      ...shown.map((r) => el("option", { value: String(r.id) }, `${r.name} — ${r.title}`)),
    );
    rule.value = chosen;
  };
  ruleSearch.addEventListener("input", fillRules);
  const showThumbnail = () => {
    const src = imageUrl.value.trim();
    thumbnail.hidden = !src;
    if (src && thumbnail.getAttribute("src") !== src) thumbnail.src = src;
  };
  imageUrl.addEventListener("input", showThumbnail);

  const label = (text: string, control: HTMLElement, field?: Field) =>
    el("label", field ? { dataset: { field } } : {}, text, control);
  const form = el(
    "form",
    { id: "component-form", hidden: true, "aria-labelledby": "component-form-heading" },
    heading,
    el(
      "div",
      { class: "fields" },
      label("Название ", title),
      label("Порядок ", order),
      label("Иконка ", icon, "icon"),
      label("Адрес ", url, "url"),
      label("Группа меню ", sidebarGroup, "sidebar_group_id"),
      label("Группа карточек ", cardGroup, "card_group_id"),
      el(
        "div",
        { class: "wide", dataset: { field: "image_url" } },
        label("Картинка (адрес) ", imageUrl),
        thumbnail,
      ),
      label("Ссылка ", link, "link"),
      label("Показывать с (МСК) ", startsAt, "starts_at"),
      label("Показывать до (МСК) ", endsAt, "ends_at"),
      el(
        "fieldset",
        { class: "wide", dataset: { field: "platforms" } },
        el("legend", {}, "Платформы (отмечены все — на всех)"),
        ...platformBoxes.map((box) => el("label", { class: "inline" }, box, ` ${box.value}`)),
      ),
      el(
        "fieldset",
        { class: "wide rule-picker" },
        el("legend", {}, "Правило: кто увидит"),
        ruleSearch,
        rule,
      ),
    ),
    el(
      "div",
      { class: "buttons" },
      el("button", { type: "submit", class: "primary" }, "Сохранить"),
      el("button", { type: "button", id: "cancel-component" }, "Закрыть"),
      el("button", { type: "button", id: "delete-component", class: "danger" }, "Удалить"),
    ),
  );

  const options = (select: HTMLSelectElement, blank: string, items: ComponentChoices["cardGroups"]) => {
    const chosen = select.value;
    select.replaceChildren(
      el("option", { value: "" }, blank),
      ...items.map((g) => el("option", { value: String(g.id) }, g.title)),
    );
    select.value = chosen;
  };

  return {
    form,
    setChoices(choices: ComponentChoices) {
      rules = choices.rules;
      fillRules();
      options(sidebarGroup, "(выберите группу)", choices.sidebarGroups);
      options(cardGroup, "(нет)", choices.cardGroups);
    },
    show(kind: ComponentKind, value: ComponentView | null, nextOrder: number) {
      const v = (value ?? {}) as Record<string, unknown>;
      const text = (key: string) => (typeof v[key] === "string" ? (v[key] as string) : "");
      const id = (key: string) => (typeof v[key] === "number" ? String(v[key]) : "");
      for (const box of form.querySelectorAll<HTMLElement>("[data-field]"))
        box.hidden = !kind.fields.includes(box.dataset.field as Field);
      title.value = text("title");
      order.value = String(typeof v.order === "number" ? v.order : nextOrder);
      icon.value = text("icon");
      url.value = text("url");
      imageUrl.value = text("image_url");
      link.value = text("link");
      startsAt.value = toMoscowInput(text("starts_at"));
      endsAt.value = toMoscowInput(text("ends_at"));
      sidebarGroup.value = id("sidebar_group_id");
      cardGroup.value = id("card_group_id");
      ruleSearch.value = "";
      rule.value = id("rule_id");
      fillRules();
      const platforms = Array.isArray(v.platforms) ? (v.platforms as string[]) : [...PLATFORMS];
      for (const box of platformBoxes) box.checked = platforms.includes(box.value);
      showThumbnail();
      heading.textContent = value
        ? `${kind.noun} «${text("title")}», версия ${String(v.version)}`
        : `Новый объект: ${kind.noun.toLowerCase()}`;
      form.querySelector<HTMLElement>("#delete-component")?.toggleAttribute("hidden", !value);
      form.hidden = false;
    },
    /** The body for the API, or a Russian reason why not. */
    read(kind: ComponentKind): Record<string, unknown> | string {
      const optional = (control: HTMLInputElement) => control.value.trim() || null;
      const ticked = platformBoxes.filter((b) => b.checked).map((b) => b.value);
      if (kind.fields.includes("platforms") && ticked.length === 0) return "Отметьте хотя бы одну платформу";
      const all: Record<string, unknown> = {
        title: title.value,
        order: order.valueAsNumber,
        rule_id: rule.value ? Number(rule.value) : null,
        icon: optional(icon),
        url: url.value,
        sidebar_group_id: sidebarGroup.value ? Number(sidebarGroup.value) : null,
        card_group_id: cardGroup.value ? Number(cardGroup.value) : null,
        image_url: imageUrl.value,
        link: optional(link),
        starts_at: fromMoscowInput(startsAt.value),
        ends_at: fromMoscowInput(endsAt.value),
        platforms: ticked.length === PLATFORMS.length ? null : ticked,
      };
      return Object.fromEntries(["title", "order", "rule_id", ...kind.fields].map((key) => [key, all[key]]));
    },
  };
}
