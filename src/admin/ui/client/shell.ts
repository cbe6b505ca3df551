/** The page's status line, failure reporting and the confirmation dialog. */
import { ApiError } from "./api.ts";
import { $, type Child, el } from "./dom.ts";

export type Tone = "info" | "ok" | "error";

export function say(text: string, tone: Tone = "info"): void {
  const box = $("#message");
  box.textContent = text;
  box.dataset.kind = tone;
}

export function describeFailure(error: unknown): string {
  if (error instanceof ApiError) return error.describe();
  if (error instanceof TypeError) return "Нет связи с сервисом";
  return error instanceof Error ? error.message : String(error);
}

/** Runs an action; its failure goes to the status line. */
export async function guarded(action: () => Promise<void> | void): Promise<void> {
  try {
    await action();
  } catch (error) {
    say(describeFailure(error), "error");
  }
}

/**
 * Asks before doing something that cannot be taken back lightly: a modal dialog with what will
 * happen; resolves true only on the confirm button (Escape and «Отмена» are no).
 */
export function confirmDialog(
  heading: string,
  body: Child | Child[],
  confirmLabel: string,
): Promise<boolean> {
  const dialog = el(
    "dialog",
    { class: "confirm", "aria-labelledby": "confirm-heading" },
    el(
      "form",
      { method: "dialog" },
      el("h3", { id: "confirm-heading" }, heading),
      el("div", { class: "confirm-body" }, body),
      el(
        "div",
        { class: "buttons" },
        el("button", { type: "submit", value: "yes", class: "primary" }, confirmLabel),
        el("button", { type: "submit", value: "no", autofocus: true }, "Отмена"),
      ),
    ),
  );
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "yes");
      dialog.remove();
    });
    dialog.showModal();
  });
}
