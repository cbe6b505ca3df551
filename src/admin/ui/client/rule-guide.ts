/** Help beside the editor: the usual operators in words, and the vocabulary with what each name is. */
import type { Vocabulary } from "./api.ts";
import { el, fill, table } from "./dom.ts";

export function ruleHint(): HTMLElement {
  return el(
    "p",
    { class: "hint" },
    "Подсказка: «и» — ",
    el("code", {}, "&&"),
    ", «или» — ",
    el("code", {}, "||"),
    ", «не» — ",
    el("code", {}, "!"),
    ", «равно» — ",
    el("code", {}, "==="),
    ", «есть в списке» — ",
    el("code", {}, 'roles.includes("cashier")'),
    ". Ctrl+Пробел — список переменных, функций и правил.",
  );
}

/** The guide beside the editor: every variable and helper the API knows, with what it is. */
export function renderGuide(guide: HTMLElement, vocabulary: Vocabulary): void {
  fill(
    guide,
    el("summary", {}, "Справка: переменные и функции"),
    el("h5", {}, "Переменные сотрудника"),
    table(
      ["Имя", "Тип", "Что это", "Пример"],
      vocabulary.variables.map((v) => [
        el("code", {}, v.name),
        v.type,
        v.doc,
        el("code", {}, JSON.stringify(v.example)),
      ]),
    ),
    el("h5", {}, "Функции"),
    table(
      ["Вызов", "Что делает"],
      vocabulary.helpers.map((h) => [el("code", {}, h.signature), h.doc]),
    ),
    el(
      "p",
      { class: "hint" },
      "Другие правила пишутся по имени (например, ",
      el("code", {}, "is_store_director && !is_trainee"),
      "). Текст сравнивается с учётом регистра; для поиска без учёта регистра — ",
      el("code", {}, 'matches(position, "директор")'),
      ".",
    ),
  );
}
