/**
 * What the editor says about a draft: the check's problems (in Russian, with the advice for the
 * usual slips), the trial at save, and the impact estimate over the employee directory.
 */
import { ApiError, type Impact, type ImpactEmployee, rulesApi, type ValidateResult } from "./api.ts";
import { el, fill } from "./dom.ts";
import type { EditorProblem } from "./editor.ts";
import { describeFailure } from "./shell.ts";
import { formatCount, formatMoscow, SLIP_ADVICE, TRIAL_FAILURE_KINDS, translate } from "./texts.ts";

type Slip = ValidateResult["slips"][number];

const adviceFor = (slip: Slip) => SLIP_ADVICE[slip.kind](slip.found, slip.write);

/** The server appends English advice after the parser's message; the Russian advice replaces it. */
const withoutAdvice = (message: string, slip: Slip | undefined) =>
  slip ? message.slice(0, Math.max(0, message.lastIndexOf(`: ${slip.advice}`))) || message : message;

/** The check's answer as problems to underline: a slip is underlined where it was written. */
export function problemsOf(result: ValidateResult): EditorProblem[] {
  if (!result.valid) {
    const [first, ...rest] = result.errors;
    const slip = result.slips[0];
    const problems: EditorProblem[] = rest.map((e) => ({
      ...e,
      message: translate(e.message),
      severity: "error",
    }));
    if (first) {
      const message = translate(withoutAdvice(first.message, slip));
      problems.unshift(
        slip
          ? {
              line: slip.line,
              column: slip.column,
              length: slip.found.length,
              message: `${message}. ${adviceFor(slip)}`,
              severity: "error",
            }
          : { ...first, message, severity: "error" },
      );
    }
    return problems;
  }
  return result.slips.map((slip) => ({
    line: slip.line,
    column: slip.column,
    length: slip.found.length,
    message: adviceFor(slip),
    severity: "warning",
  }));
}

/** The problems as a list under the editor (what a screen reader and a test read). */
export function renderCheck(box: HTMLElement, result: ValidateResult, problems: EditorProblem[]): void {
  box.dataset.valid = String(result.valid);
  const list = problems.map((p) =>
    el(
      "li",
      { class: p.severity },
      el("span", { class: "where" }, `строка ${p.line}, символ ${p.column}`),
      " ",
      p.message,
    ),
  );
  const uses = [...result.variables, ...result.rules, ...result.helpers];
  fill(
    box,
    result.valid
      ? el("p", { class: "ok" }, "✓ Выражение верное", uses.length ? `. Использует: ${uses.join(", ")}` : "")
      : el("p", { class: "bad" }, "Выражение с ошибкой"),
    list.length ? el("ul", { class: "problems" }, ...list) : null,
  );
}

export function renderTrial(box: HTMLElement, result: ValidateResult): void {
  const trial = result.trial;
  if (!trial) {
    fill(box, result.valid ? el("p", { class: "muted" }, "Пробный запуск не выполнялся") : "");
    return;
  }
  const { results, sample } = trial;
  box.dataset.passed = String(trial.passed);
  fill(
    box,
    el("h4", {}, "Пробный запуск"),
    el(
      "p",
      { class: trial.passed ? "ok" : "bad" },
      trial.passed ? "Сохранить можно. " : "Сохранить нельзя: правило не прошло пробный запуск. ",
      `Выборка ${sample.size} сотрудников: истинно для ${results.true}, ложно для ${results.false}` +
        (results.failed ? `, ошибка у ${results.failed}` : ""),
      ".",
    ),
    trial.problems.length || trial.warnings.length
      ? el(
          "ul",
          { class: "problems" },
          ...trial.problems.map((p) =>
            el(
              "li",
              { class: "error" },
              `Сотрудник ${p.personnel_number}: ${TRIAL_FAILURE_KINDS[p.kind] ?? p.kind}. `,
              translate(p.message),
            ),
          ),
          ...trial.warnings.map((w) => el("li", { class: "warning" }, translate(w.message))),
        )
      : null,
  );
}

/** Examples shown on each side: enough to recognise who it is, short enough to read. */
const EXAMPLES = 5;

const who = (e: ImpactEmployee) =>
  el(
    "li",
    {},
    el("span", { class: "mono" }, e.personnel_number),
    " ",
    [e.full_name, e.position, e.region_name].filter(Boolean).join(", "),
  );

/**
 * The estimate, or a calm word when the directory is not there yet (404, or 405 while the route is
 * absent and `/rules/:id` answers for it) or not synced (409).
 */
export async function showImpact(box: HTMLElement, expression: string, platform?: string): Promise<void> {
  let impact: Impact;
  try {
    impact = await rulesApi.impact({ expression, ...(platform ? { platform } : {}) });
  } catch (error) {
    const calm =
      error instanceof ApiError && [404, 405, 409, 503].includes(error.status)
        ? "Оценка охвата появится, когда справочник сотрудников будет загружен"
        : `Оценка охвата не получилась: ${describeFailure(error)}`;
    fill(box, el("h4", {}, "Охват"), el("p", { class: "muted" }, calm));
    return;
  }
  fill(
    box,
    el("h4", {}, "Охват"),
    el(
      "p",
      { class: "impact-figure" },
      `Подходит ${formatCount(impact.matches)} из ${formatCount(impact.total)} сотрудников`,
    ),
    impact.errors
      ? el("p", { class: "warning" }, `Ошибка при вычислении у ${formatCount(impact.errors)}`)
      : null,
    el(
      "div",
      { class: "impact-samples" },
      el(
        "div",
        {},
        el("h5", {}, "Например, подходят"),
        el("ul", {}, ...impact.sample_matching.slice(0, EXAMPLES).map(who)),
      ),
      el(
        "div",
        {},
        el("h5", {}, "Например, не подходят"),
        el("ul", {}, ...impact.sample_not.slice(0, EXAMPLES).map(who)),
      ),
    ),
    impact.directory_synced_at
      ? el("p", { class: "muted" }, `Справочник на ${formatMoscow(impact.directory_synced_at)} (МСК)`)
      : null,
  );
}
