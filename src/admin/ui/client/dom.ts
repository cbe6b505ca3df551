/**
 * Building the page from data. Every string goes in as a text node or an attribute value, never
 * parsed as markup: titles may contain HTML and must show as typed.
 */

export type Child = Node | string | number | null | undefined | false;
type Handler = (event: Event) => void;
export type Props = Record<string, string | number | boolean | Handler | Record<string, string> | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Array<Child | Child[]>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (key === "dataset" && typeof value === "object") Object.assign(node.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = String(value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replaces a node's children (nulls and falses skipped, strings as text). */
export function fill(node: Element, ...children: Array<Child | Child[]>): void {
  node.replaceChildren(...el("div", {}, ...children).childNodes);
}

export function $<T extends Element = HTMLElement>(selector: string, root: ParentNode = document): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`missing ${selector}`);
  return found;
}

/** A table; `onRow`, when given, makes each row a button (click, Enter or Space). */
export function table(headings: string[], rows: Child[][], onRow?: (index: number) => void): HTMLElement {
  if (rows.length === 0) return el("p", { class: "empty" }, "Пусто");
  const row = (cells: Child[], i: number) => {
    const tr = el("tr", {}, ...cells.map((c) => el("td", {}, c)));
    if (onRow) {
      tr.className = "clickable";
      tr.tabIndex = 0;
      tr.addEventListener("click", () => onRow(i));
      tr.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          onRow(i);
        }
      });
    }
    return tr;
  };
  return el(
    "table",
    {},
    el("thead", {}, el("tr", {}, ...headings.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...rows.map(row)),
  );
}

/** Calls `run` once `ms` after the last call (the latest arguments win). */
export function debounce<A extends unknown[]>(ms: number, run: (...args: A) => void): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => run(...args), ms);
  };
}

/** Shows a form where the eye is: scrolled into view with its first field focused. */
export function bringIntoView(form: HTMLElement): void {
  form.scrollIntoView({ block: "nearest" });
  form.querySelector<HTMLElement>("input:not([type=hidden]), select, textarea, [contenteditable]")?.focus({
    preventScroll: true,
  });
}
