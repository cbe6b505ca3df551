/**
 * Every word the page says, in Russian. The API speaks English (its messages are for
 * developers and logs); what an admin reads is mapped here from the API's codes and from the
 * few message shapes of the rule check, with the English kept as a technical detail only where
 * nothing better is known.
 */

const ERROR_CODES: Readonly<Record<string, string>> = {
  bad_request: "Неверный запрос",
  validation_failed: "Проверьте заполнение формы",
  unauthorized: "Токен не принят",
  forbidden: "Нет прав администратора",
  not_found: "Не найдено",
  method_not_allowed: "Так сделать нельзя",
  employee_not_found: "Сотрудник с таким табельным номером не найден в SAP",
  conflict: "Конфликт с текущим состоянием",
  precondition_required: "Не указана версия объекта",
  invalid_rule: "Правило не прошло проверку",
  rule_trial_failed: "Правило не прошло пробный запуск",
  payload_too_large: "Слишком большой запрос",
  unsupported_media_type: "Неверный формат запроса",
  uri_too_long: "Слишком длинный адрес",
  headers_too_large: "Слишком большие заголовки",
  evidence_unavailable: "SAP недоступен, а сохранённых данных сотрудника нет",
  not_ready: "Сервис ещё запускается, повторите через минуту",
  internal: "Внутренняя ошибка сервиса",
};

const FIELDS: Readonly<Record<string, string>> = {
  name: "Имя",
  title: "Название",
  expression: "Выражение",
  app_codes: "Коды приложений",
  order: "Порядок",
  icon: "Иконка",
  url: "Адрес",
  image_url: "Картинка",
  link: "Ссылка",
  starts_at: "Показывать с",
  ends_at: "Показывать до",
  platforms: "Платформы",
  rule_id: "Правило",
  sidebar_group_id: "Группа меню",
  card_group_id: "Группа карточек",
  personnel_number: "Табельный номер",
};

/** English message shapes → Russian; the first match wins. `$1`… are the captured parts. */
const MESSAGES: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /^unknown name "([^"]+)": not an evidence variable, rule or helper \(did you mean "([^"]+)"\?\)/,
    "Неизвестное имя «$1»: это не переменная, не правило и не функция. Может быть, «$2»?",
  ],
  [/^unknown name "([^"]+)"/, "Неизвестное имя «$1»: это не переменная, не правило и не функция"],
  [/^assignment \(=\) is not allowed/, "Знак = не сравнивает, а присваивает. Для сравнения пишите ==="],
  [/^the expression is empty/, "Выражение пустое"],
  [/^the expression is too long/, "Выражение слишком длинное"],
  [/^the expression is nested too deeply/, "Слишком много вложенных скобок"],
  [/^cycle: (.+)$/, "Правила ссылаются друг на друга по кругу: $1"],
  [/^a rule is exactly one expression/, "Правило — одно выражение: уберите «;» и всё после неё"],
  [/^a rule is one expression, not a statement/, "Правило — одно выражение, а не команда"],
  [/^Unexpected token/, "Здесь что-то лишнее или чего-то не хватает"],
  [/^Unterminated string/i, "Строка не закрыта кавычкой"],
  [/^Unterminated template/i, "Шаблонная строка не закрыта"],
  [/^Expected '(.+)'/, "Не хватает «$1»"],
  [/^Unexpected end of input|^Unexpected EOF/i, "Выражение обрывается: не хватает продолжения или скобки"],
  [/^rule "?([\w$]+)"? is disabled/, "Правило «$1» выключено"],
  [/^must not be empty/, "не должно быть пустым"],
  [/^at most (\d+) characters/, "не длиннее $1 символов"],
  [/^must be an http\(s\) URL or a path/, "нужен адрес http(s) или путь, начинающийся с одного /"],
  [/ends_at must be after starts_at/, "окончание показа должно быть позже начала"],
  [
    /changed by someone else|stale If-Match/,
    "Объект уже изменил кто-то другой: его версия показана в списке",
  ],
  [/already (exists|taken)|is taken/, "Такое имя уже занято"],
  [
    /^fails for every one of the (\d+) sample employees/,
    "Ошибка у всех $1 сотрудников выборки: правило было бы ложно для всех",
  ],
  [
    /^fails for (\d+) of (\d+) sample employees/,
    "Ошибка у $1 из $2 сотрудников выборки (для них правило ложно)",
  ],
  [
    /^true for every sample employee/,
    "Истинно для всех сотрудников выборки — не слишком ли широкое правило?",
  ],
  [/^false for every sample employee/, "Ложно для всех сотрудников выборки — не слишком ли узкое правило?"],
  [
    /^the trial ran (\d+) of (\d+) sample employees/,
    "Пробный запуск успел проверить только $1 из $2 сотрудников: правило медленное",
  ],
];

/** A known message in Russian, or null. */
export function translateKnown(message: string): string | null {
  for (const [shape, russian] of MESSAGES) {
    const m = shape.exec(message);
    if (m) return russian.replace(/\$(\d)/g, (_, i: string) => m[Number(i)] ?? "");
  }
  return null;
}

/** A message in Russian; an unknown one keeps its text as a technical detail. */
export function translate(message: string): string {
  return translateKnown(message) ?? `Техническая причина: ${message}`;
}

export function errorTitle(code: string | undefined, status: number): string {
  return (code && ERROR_CODES[code]) || (status >= 500 ? ERROR_CODES.internal : "Запрос не выполнен") || "";
}

export function fieldName(path: string): string {
  return FIELDS[path] ?? path;
}

export const SLIP_ADVICE = {
  word_operator: (found: string, write: string) =>
    `Вместо «${found}» пишите ${write} (${write === "&&" ? "«и»" : write === "||" ? "«или»" : "«не»"})`,
  single_equals: () => "Один знак = не сравнивает: для сравнения пишите ===",
  python_in: (_found: string, write: string) => `Так проверяют список в Python; в правиле пишите ${write}`,
  include: () => "Метод называется .includes — с «s» на конце",
} as const;

const numbers = new Intl.NumberFormat("ru-RU");
/** 12480 → «12 480». */
export const formatCount = (n: number) => numbers.format(n);

const moscow = new Intl.DateTimeFormat("ru-RU", {
  timeZone: "Europe/Moscow",
  dateStyle: "short",
  timeStyle: "short",
});
/** An instant as Moscow wall time: «01.03.2026, 09:00». */
export const formatMoscow = (iso: string) => moscow.format(new Date(iso));

export const KIND_NAMES: Readonly<Record<string, string>> = {
  rule: "Правило",
  sidebar_group: "Группа меню",
  card_group: "Группа карточек",
  section: "Раздел",
  banner: "Баннер",
};

export const ACTION_NAMES: Readonly<Record<string, string>> = {
  create: "создание",
  update: "изменение",
  delete: "удаление",
  rollback: "возврат версии",
};

export const TRIAL_FAILURE_KINDS: Readonly<Record<string, string>> = {
  throw: "ошибка при вычислении",
  oom: "не хватило памяти",
  stack: "слишком глубокая рекурсия",
  budget: "слишком долго считается",
  hang: "зависло",
  crash: "сбой песочницы",
  load: "не загрузилось",
  compile: "не скомпилировалось",
  skipped: "пропущено",
};
