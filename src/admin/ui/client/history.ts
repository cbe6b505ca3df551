/**
 * A rule's revisions: each compared with the current version on request, and restored only
 * after a dialog that shows what will change.
 */
import { type RuleRevisionView, type RuleView, rulesApi } from "./api.ts";
import { fieldsDiff } from "./diff.ts";
import { el, table } from "./dom.ts";
import { confirmDialog, guarded, say } from "./shell.ts";
import { formatMoscow } from "./texts.ts";

const comparable = (r: RuleRevisionView | RuleView) => ({
  name: r.name,
  title: r.title,
  kind: r.kind,
  expression: r.expression,
  app_codes: r.app_codes,
  enabled: r.enabled,
});

export async function showRevisions(
  box: HTMLElement,
  rule: RuleView,
  restored: (rule: RuleView) => Promise<void>,
) {
  const revisions = await rulesApi.revisions(rule.id);
  const diffBox = el("div", { id: "revision-diff", "aria-live": "polite" });
  const compare = (revision: RuleRevisionView) =>
    diffBox.replaceChildren(
      el("h5", {}, `Версия ${revision.version} → текущая (${rule.version})`),
      fieldsDiff(comparable(revision), comparable(rule)),
    );
  const restore = (revision: RuleRevisionView) =>
    guarded(async () => {
      const ok = await confirmDialog(
        `Вернуть версию ${revision.version}?`,
        [
          el(
            "p",
            {},
            `Правило «${rule.name}» станет таким, как в версии ${revision.version} (сохранится как версия ${rule.version + 1}). Изменится:`,
          ),
          fieldsDiff(comparable(rule), comparable(revision)),
        ],
        `Вернуть версию ${revision.version}`,
      );
      if (!ok) return;
      const saved = await rulesApi.rollback(rule.id, revision.version, rule.version);
      await restored(saved);
      say(
        `Правило «${saved.name}» возвращено к версии ${revision.version} (теперь версия ${saved.version})`,
        "ok",
      );
    });
  box.replaceChildren(
    el("h4", {}, "История версий"),
    table(
      ["Версия", "Когда (МСК)", "Кто", "Состояние", ""],
      revisions.map((r) => [
        String(r.version),
        formatMoscow(r.created_at),
        r.author,
        r.enabled ? "включено" : "выключено",
        r.version === rule.version
          ? "текущая"
          : el(
              "span",
              { class: "buttons" },
              el("button", { type: "button", class: "compare", onclick: () => compare(r) }, "Сравнить"),
              el("button", { type: "button", class: "restore", onclick: () => void restore(r) }, "Вернуть…"),
            ),
      ]),
    ),
    diffBox,
  );
}
