/** Differences as a manager reads them: removed text struck out, added text marked, by field. */
import { presentableDiff } from "@codemirror/merge";
import { el } from "./dom.ts";
import { fieldName } from "./texts.ts";

/** `before` → `after` in one block: unchanged text, <del>removed</del>, <ins>added</ins>. */
export function textDiff(before: string, after: string): HTMLElement {
  const out = el("pre", { class: "diff" });
  let at = 0;
  for (const change of presentableDiff(before, after)) {
    if (change.fromA > at) out.append(before.slice(at, change.fromA));
    if (change.toA > change.fromA) out.append(el("del", {}, before.slice(change.fromA, change.toA)));
    if (change.toB > change.fromB) out.append(el("ins", {}, after.slice(change.fromB, change.toB)));
    at = change.toA;
  }
  if (at < before.length) out.append(before.slice(at));
  return out;
}

const SKIPPED = new Set(["updated_at", "created_at", "version", "depends_on"]);

const show = (value: unknown): string =>
  value === null || value === undefined
    ? "—"
    : typeof value === "string"
      ? value
      : typeof value === "boolean"
        ? value
          ? "да"
          : "нет"
        : JSON.stringify(value);

/** The fields that differ between two versions of an object (either may be null: created, deleted). */
export function changedFields(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): Array<{ field: string; before: string; after: string }> {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...keys]
    .filter((key) => !SKIPPED.has(key))
    .map((key) => ({ field: key, before: show(before?.[key]), after: show(after?.[key]) }))
    .filter((row) => before === null || after === null || row.before !== row.after);
}

/** A table Поле / Было / Стало; long texts (expressions) as one inline diff. */
export function fieldsDiff(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): HTMLElement {
  const rows = changedFields(before, after);
  if (rows.length === 0) return el("p", { class: "empty" }, "Без изменений");
  return el(
    "table",
    { class: "diff-table" },
    el("thead", {}, el("tr", {}, el("th", {}, "Поле"), el("th", {}, "Было"), el("th", {}, "Стало"))),
    el(
      "tbody",
      {},
      ...rows.map((row) =>
        row.field === "expression" && before && after
          ? el(
              "tr",
              {},
              el("th", { scope: "row" }, fieldName(row.field)),
              el("td", { colspan: 2 }, textDiff(row.before, row.after)),
            )
          : el(
              "tr",
              {},
              el("th", { scope: "row" }, fieldName(row.field)),
              el("td", {}, before ? el("del", {}, row.before) : "—"),
              el("td", {}, after ? el("ins", {}, row.after) : "—"),
            ),
      ),
    ),
  );
}
