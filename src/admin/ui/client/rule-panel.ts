/**
 * The editor's side panel: one employee's variables with their values (those the draft reads
 * first and marked), and what the saved rules say for them — the rule being edited and the
 * rules the draft refers to.
 */
import { api, type Preview } from "./api.ts";
import { el, fill } from "./dom.ts";
import { guarded } from "./shell.ts";

export interface PanelState {
  ruleName: string | null;
  reads: string[];
  rules: string[];
}

const resultText = (r: Preview["rules"][number] | undefined) =>
  !r
    ? "нет в каталоге (не сохранено или выключено)"
    : r.result === "error"
      ? `ошибка: ${r.error ?? ""}`
      : r.result
        ? "истинно"
        : "ложно";

const valueText = (value: unknown) =>
  typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value ?? null);

export function createRulePanel(root: HTMLElement, state: () => PanelState) {
  const pernr = el("input", {
    name: "panel_pernr",
    inputmode: "numeric",
    pattern: "\\d{1,8}",
    required: true,
    autocomplete: "off",
  });
  const platform = el(
    "select",
    { name: "panel_platform" },
    ...["web", "ios", "android"].map((p) => el("option", {}, p)),
  );
  const output = el("div", { id: "rule-panel-result", "aria-live": "polite" });
  let last: Preview | null = null;

  const render = () => {
    if (!last) return;
    const { ruleName, reads, rules } = state();
    const readSet = new Set(reads);
    const names = Object.keys(last.evidence).sort(
      (a, b) => Number(readSet.has(b)) - Number(readSet.has(a)) || a.localeCompare(b),
    );
    const byName = new Map(last.rules.map((r) => [r.name, r]));
    fill(
      output,
      el(
        "p",
        { class: "employee" },
        String(last.evidence.full_name ?? ""),
        " · ",
        String(last.evidence.position ?? ""),
      ),
      ruleName
        ? el(
            "p",
            { class: "rule-result" },
            `Сохранённая версия «${ruleName}»: `,
            el("strong", {}, resultText(byName.get(ruleName))),
          )
        : null,
      rules.length
        ? el(
            "ul",
            { class: "used-rules" },
            ...rules.map((name) =>
              el("li", {}, el("span", { class: "mono" }, name), ` — ${resultText(byName.get(name))}`),
            ),
          )
        : null,
      el(
        "table",
        { class: "variables" },
        el("thead", {}, el("tr", {}, el("th", {}, "Переменная"), el("th", {}, "Значение"))),
        el(
          "tbody",
          {},
          ...names.map((name) =>
            el(
              "tr",
              readSet.has(name) ? { class: "read", title: "выражение читает эту переменную" } : {},
              el("td", { class: "mono" }, name),
              el("td", { class: "mono" }, valueText(last?.evidence[name])),
            ),
          ),
        ),
      ),
    );
  };

  const form = el(
    "form",
    {
      class: "panel-form",
      onsubmit: (event: Event) => {
        event.preventDefault();
        void guarded(async () => {
          const query = new URLSearchParams({
            personnel_number: pernr.value.trim(),
            platform: platform.value,
            evidence: "all",
          });
          last = await api<Preview>("GET", `/admin/preview?${query}`);
          render();
        });
      },
    },
    el("label", {}, "Табельный номер ", pernr),
    el("label", {}, "Платформа ", platform),
    el("button", { type: "submit" }, "Показать"),
  );
  fill(root, el("h4", {}, "Проверить на сотруднике"), form, output);
  return { refresh: render };
}
