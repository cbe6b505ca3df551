/**
 * Rules: a searchable list and, beside it (above it on a narrow screen), the form with the
 * editor, what the check, the trial and the estimate say as you type, the employee panel and
 * the history.
 */
import { ApiError, api, type RuleView, rulesApi, type ValidateResult, type Vocabulary } from "./api.ts";
import { bringIntoView, debounce, el } from "./dom.ts";
import { createRuleEditor, type EditorProblem } from "./editor.ts";
import { showRevisions } from "./history.ts";
import { problemsOf, renderCheck, renderTrial, showImpact } from "./rule-check.ts";
import { renderGuide, ruleHint } from "./rule-guide.ts";
import { createRulePanel } from "./rule-panel.ts";
import { confirmDialog, describeFailure, guarded, say } from "./shell.ts";

export function createRulesView(root: HTMLElement) {
  let rules: RuleView[] = [];
  let editing: RuleView | null = null;
  let vocabulary: Vocabulary | null = null;
  let lastCheck: ValidateResult | null = null;

  const search = el("input", {
    type: "search",
    id: "rule-search",
    placeholder: "Найти по имени или названию",
    "aria-label": "Найти правило",
  });
  const tbody = el("tbody");
  const list = el(
    "div",
    { class: "list-pane" },
    el(
      "div",
      { class: "toolbar" },
      el("h2", {}, "Правила"),
      el("button", { type: "button", id: "new-rule", onclick: () => openForm(null) }, "Новое правило"),
    ),
    search,
    el(
      "table",
      { id: "rules-table" },
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          el("th", { scope: "col" }, "Имя"),
          el("th", { scope: "col" }, "Название"),
          ...["Вид", "Вкл.", "Версия"].map((h) => el("th", { scope: "col", class: "optional" }, h)),
        ),
      ),
      tbody,
    ),
  );

  const field = (label: string, control: HTMLElement, extra: Record<string, string> = {}) =>
    el("label", extra, label, control);
  const name = el("input", {
    name: "name",
    required: true,
    spellcheck: "false",
    placeholder: "is_store_director",
    autocomplete: "off",
  });
  const title = el("input", { name: "title", required: true, autocomplete: "off" });
  const kind = el(
    "select",
    { name: "kind" },
    el("option", { value: "expression" }, "выражение"),
    el("option", { value: "lk1" }, "LK1 (коды приложений)"),
  );
  const enabled = el("input", { type: "checkbox", name: "enabled", checked: true });
  const appCodes = el("input", { name: "app_codes", spellcheck: "false", placeholder: "PAYSLIP, VACATION" });
  const editorBox = el("div", { id: "rule-editor", class: "editor" });
  const checkBox = el("div", { id: "rule-check", "aria-live": "polite" });
  const trialBox = el("div", { id: "rule-trial", "aria-live": "polite" });
  const impactBox = el("div", { id: "rule-impact", "aria-live": "polite" });
  const panelBox = el("aside", { id: "rule-panel" });
  const revisionsBox = el("div", { id: "rule-revisions" });
  const guide = el("details", { id: "rule-guide" });
  const heading = el("h3", { id: "rule-form-heading" });
  const deleteButton = el("button", { type: "button", id: "delete-rule", class: "danger" }, "Удалить");
  const expressionLabel = el("span", { class: "label", id: "expression-label" }, "Выражение");
  const appCodesField = field("Коды приложений LK1 (через запятую) ", appCodes, {
    class: "wide",
    "data-kind": "lk1",
  });

  const draft = () => ({
    name: name.value.trim(),
    title: title.value,
    kind: kind.value as "expression" | "lk1",
    enabled: enabled.checked,
    expression: editor.text(),
    app_codes: appCodes.value
      .split(/[,;]/)
      .map((c) => c.trim())
      .filter(Boolean),
  });

  const impact = debounce(600, (expression: string) => void showImpact(impactBox, expression));

  /** One validate call per pause in typing; its answer fills the check, the trial and the estimate. */
  const check = async (): Promise<EditorProblem[]> => {
    const d = draft();
    if (d.kind === "expression" && d.expression.trim() === "") {
      checkBox.replaceChildren();
      trialBox.replaceChildren();
      impactBox.replaceChildren();
      return [];
    }
    try {
      const result = await rulesApi.validate({
        expression: d.expression,
        name: editing?.name ?? (d.name || undefined),
        kind: d.kind,
        app_codes: d.app_codes,
        enabled: d.enabled,
      });
      lastCheck = result;
      const problems = problemsOf(result);
      renderCheck(checkBox, result, problems);
      renderTrial(trialBox, result);
      panel.refresh();
      if (result.valid && d.kind === "expression") impact(d.expression);
      else impactBox.replaceChildren();
      return problems;
    } catch (error) {
      checkBox.replaceChildren(el("p", { class: "bad" }, `Проверка не выполнена: ${describeFailure(error)}`));
      return [];
    }
  };

  const editor = createRuleEditor({
    parent: editorBox,
    label: "Выражение правила",
    vocabulary: () => vocabulary,
    check,
  });
  const recheckSoon = debounce(400, () => editor.recheck());
  const panel = createRulePanel(panelBox, () => ({
    ruleName: editing?.name ?? null,
    reads: lastCheck?.variables ?? [],
    rules: lastCheck?.rules ?? [],
  }));

  const showKind = () => {
    const lk1 = kind.value === "lk1";
    appCodesField.hidden = !lk1;
    editorBox.hidden = lk1;
    expressionLabel.hidden = lk1;
  };

  const form = el(
    "form",
    { id: "rule-form", class: "detail-pane", hidden: true, "aria-labelledby": "rule-form-heading" },
    heading,
    el(
      "div",
      { class: "fields" },
      field("Имя ", name),
      field("Название ", title),
      field("Вид ", kind),
      el("label", { class: "inline" }, enabled, " Включено"),
    ),
    el(
      "div",
      { class: "editor-row" },
      el(
        "div",
        { class: "editor-main" },
        expressionLabel,
        editorBox,
        appCodesField,
        checkBox,
        trialBox,
        impactBox,
      ),
      panelBox,
    ),
    el(
      "div",
      { class: "buttons" },
      el("button", { type: "submit", class: "primary" }, "Сохранить"),
      el("button", { type: "button", id: "cancel-rule", onclick: () => closeForm() }, "Закрыть"),
      deleteButton,
    ),
    ruleHint(),
    guide,
    revisionsBox,
  );
  editorBox.setAttribute("aria-labelledby", "expression-label");

  for (const control of [kind, enabled, appCodes, name])
    control.addEventListener("input", () => {
      showKind();
      recheckSoon();
    });

  const renderList = () => {
    const needle = search.value.trim().toLowerCase();
    const shown = rules.filter(
      (r) => !needle || r.name.toLowerCase().includes(needle) || r.title.toLowerCase().includes(needle),
    );
    if (shown.length === 0) {
      const empty = rules.length ? "Ничего не найдено" : "Правил пока нет";
      tbody.replaceChildren(el("tr", {}, el("td", { colspan: 5, class: "empty" }, empty)));
      return;
    }
    tbody.replaceChildren(
      ...shown.map((rule) => {
        const tr = el(
          "tr",
          {
            class: "clickable",
            tabindex: 0,
            dataset: { ruleId: String(rule.id) },
            "aria-selected": String(rule.id === editing?.id),
          },
          el("td", { class: "mono" }, rule.name),
          el("td", {}, rule.title),
          el("td", { class: "optional" }, rule.kind === "lk1" ? "LK1" : "выражение"),
          el("td", { class: "optional" }, rule.enabled ? "да" : "нет"),
          el("td", { class: "num optional" }, String(rule.version)),
        );
        const open = () => void guarded(async () => openForm(await rulesApi.get(rule.id)));
        tr.addEventListener("click", open);
        tr.addEventListener("keydown", (e) => {
          if (e.key === "Enter") open();
        });
        return tr;
      }),
    );
  };
  search.addEventListener("input", renderList);

  const fill = (rule: RuleView | null) => {
    editing = rule;
    name.value = rule?.name ?? "";
    title.value = rule?.title ?? "";
    kind.value = rule?.kind ?? "expression";
    enabled.checked = rule?.enabled ?? true;
    appCodes.value = (rule?.app_codes ?? []).join(", ");
    editor.setText(rule?.expression ?? "");
    heading.textContent = rule ? `Правило ${rule.name}, версия ${rule.version}` : "Новое правило";
    deleteButton.hidden = !rule;
    checkBox.replaceChildren();
    trialBox.replaceChildren();
    impactBox.replaceChildren();
    showKind();
    renderList();
  };

  async function openForm(rule: RuleView | null) {
    fill(rule);
    form.hidden = false;
    root.classList.add("editing");
    bringIntoView(form);
    if (rule) {
      editor.recheck();
      await showRevisions(revisionsBox, rule, afterSave);
    } else revisionsBox.replaceChildren();
  }

  function closeForm() {
    editing = null;
    form.hidden = true;
    root.classList.remove("editing");
    renderList();
  }

  async function afterSave(saved: RuleView) {
    fill(saved);
    editor.recheck();
    rules = await rulesApi.list();
    renderList();
    vocabulary = await rulesApi.vocabulary();
    await showRevisions(revisionsBox, saved, afterSave);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void guarded(async () => {
      const d = draft();
      const body = {
        name: d.name,
        title: d.title,
        kind: d.kind,
        enabled: d.enabled,
        expression: d.expression,
        app_codes: d.app_codes,
      };
      try {
        const saved = editing
          ? await api<RuleView>("PUT", `/admin/rules/${editing.id}`, { json: body, ifMatch: editing.version })
          : await api<RuleView>("POST", "/admin/rules", { json: body });
        await afterSave(saved);
        const warned = saved.warnings?.length ? " Есть предупреждения пробного запуска — см. ниже." : "";
        say(`Правило «${saved.name}» сохранено, версия ${saved.version}.${warned}`, "ok");
      } catch (error) {
        if (error instanceof ApiError && error.status === 409)
          rules = await rulesApi.list().catch(() => rules);
        renderList();
        throw error;
      }
    });
  });

  deleteButton.addEventListener(
    "click",
    () =>
      void guarded(async () => {
        const rule = editing;
        if (!rule) return;
        if (
          !(await confirmDialog(
            `Удалить правило «${rule.name}»?`,
            el("p", {}, "Его история версий удалится вместе с ним; журнал изменений сохранит запись."),
            "Удалить",
          ))
        )
          return;
        await api("DELETE", `/admin/rules/${rule.id}`, { ifMatch: rule.version });
        closeForm();
        rules = await rulesApi.list();
        renderList();
        say(`Правило «${rule.name}» удалено`, "ok");
      }),
  );

  root.replaceChildren(el("div", { class: "split" }, form, list));

  return {
    async load() {
      [rules, vocabulary] = await Promise.all([rulesApi.list(), rulesApi.vocabulary()]);
      renderList();
      renderGuide(guide, vocabulary);
    },
  };
}
