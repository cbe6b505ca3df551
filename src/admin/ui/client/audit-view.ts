/** The audit log: who changed what and when, each entry's before/after as a diff, with filters. */
import { type AuditEntry, type AuditPage, api } from "./api.ts";
import { fieldsDiff } from "./diff.ts";
import { el } from "./dom.ts";
import { guarded } from "./shell.ts";
import { ACTION_NAMES, formatMoscow, KIND_NAMES } from "./texts.ts";

/** A calendar day in Moscow → the instant it starts there. */
const moscowDay = (day: string, plusDays = 0) => {
  const start = new Date(`${day}T00:00:00+03:00`);
  start.setUTCDate(start.getUTCDate() + plusDays);
  return start.toISOString();
};

export function createAuditView(root: HTMLElement) {
  const entity = el(
    "select",
    { name: "entity" },
    el("option", { value: "" }, "все"),
    ...Object.entries(KIND_NAMES).map(([value, label]) => el("option", { value }, label)),
  );
  const entityId = el("input", {
    name: "entity_id",
    inputmode: "numeric",
    pattern: "\\d*",
    size: 6,
    autocomplete: "off",
  });
  const actor = el("input", { name: "actor", autocomplete: "off" });
  const since = el("input", { name: "since", type: "date" });
  const until = el("input", { name: "until", type: "date" });
  const entries = el("div", { id: "audit-entries" });
  const older = el("button", { type: "button", id: "audit-older", hidden: true }, "Показать более ранние");
  let next: number | null = null;
  /** Only the latest request's answer is shown (a slow unfiltered page must not replace a filtered one). */
  let latest = 0;

  const entryView = (entry: AuditEntry) => {
    const object = entry.after ?? entry.before ?? {};
    const label = String(object.name ?? object.title ?? "");
    return el(
      "details",
      { class: "audit-entry", dataset: { id: String(entry.id) } },
      el(
        "summary",
        {},
        el("span", { class: "when" }, formatMoscow(entry.at)),
        el("span", { class: "who" }, entry.actor),
        el("span", { class: "action" }, ACTION_NAMES[entry.action] ?? entry.action),
        el(
          "span",
          { class: "what" },
          `${KIND_NAMES[entry.entity] ?? entry.entity} «${label}» (#${entry.entity_id})`,
        ),
      ),
      fieldsDiff(entry.before, entry.after),
    );
  };

  const load = async (before?: number) => {
    const query = new URLSearchParams({ limit: "50" });
    if (entity.value) query.set("entity", entity.value);
    if (entityId.value.trim()) query.set("entity_id", entityId.value.trim());
    if (actor.value.trim()) query.set("actor", actor.value.trim());
    if (since.value) query.set("since", moscowDay(since.value));
    if (until.value) query.set("until", moscowDay(until.value, 1));
    if (before) query.set("before_id", String(before));
    const serial = ++latest;
    const page = await api<AuditPage>("GET", `/admin/audit?${query}`);
    if (serial !== latest) return;
    const views = page.items.map(entryView);
    if (before) entries.append(...views);
    else entries.replaceChildren(...(views.length ? views : [el("p", { class: "empty" }, "Записей нет")]));
    next = page.next_before_id;
    older.hidden = next === null;
  };
  older.addEventListener("click", () => void guarded(() => (next ? load(next) : undefined)));

  root.replaceChildren(
    el("h2", {}, "Журнал изменений"),
    el(
      "form",
      {
        id: "audit-filters",
        onsubmit: (event: Event) => {
          event.preventDefault();
          void guarded(() => load());
        },
      },
      el("label", {}, "Что ", entity),
      el("label", {}, "Номер объекта ", entityId),
      el("label", {}, "Кто ", actor),
      el("label", {}, "С (МСК) ", since),
      el("label", {}, "По ", until),
      el("button", { type: "submit", class: "primary" }, "Найти"),
    ),
    el(
      "div",
      { class: "audit-head", "aria-hidden": "true" },
      el("span", {}, "Когда (МСК)"),
      el("span", {}, "Кто"),
      el("span", {}, "Действие"),
      el("span", {}, "Что"),
    ),
    entries,
    older,
  );
  return { load: () => load() };
}
