/**
 * The trial at save: a rule version, with the saved rules it reads, run over the trial sample in
 * the admin sandbox (an evaluator of its own that serves no employee, passed in) before it goes
 * live. The verdict is verdict.ts's; this file is the plumbing around it: building the sample,
 * timing, and keeping one trial from disturbing the next.
 *
 * Time: the evaluations get `timeLimitMs` (1 s) and stop at the first failure that refuses the
 * rule. The sandbox's watchdog finds hangs (and says "hang"). As a backstop, an evaluation not
 * answered within its time (at least `hangAfterMs`) nor `hardLimitMs` after that counts as a hang
 * too; no evaluation starts unless it can still be given `hangAfterMs`, so only a late answer
 * (a loaded machine) takes the trial past its time. A rule slow enough to run out of time is
 * accepted with a warning, unless everything so far failed (see evaluateSample).
 */

import { AppError } from "../../errors.ts";
import { dateInZone, type EmployeeEvidence, type Evidence } from "../../evidence/index.ts";
import type { Logger } from "../../log.ts";
import {
  type CompiledRuleset,
  compileRuleset,
  type RuleDefinition,
  type RuleEvaluator,
  type RuleOutcome,
  type RuleResults,
} from "../../rules/index.ts";
import {
  awkwardEmployees,
  buildTrialSample,
  demoEmployees,
  type SampleEmployee,
  TRIAL_SAMPLE_SIZE,
  withRequestExtras,
} from "./sample.ts";
import { type SampleSources, sourceEmployees, type TrialSampleOrigin } from "./sources.ts";
import { judgeTrial, refusesAtOnce, type TrialObservation, type TrialVerdict } from "./verdict.ts";

/** The rule to try: a definition without its ruleVersion (the trial gives it one of its own). */
export type TrialRule = Omit<RuleDefinition, "version">;

/** Only the fields of a rule the trial runs (of a row, a draft, a projected rule). */
export const asTrialRule = (rule: TrialRule): TrialRule => ({
  id: rule.id,
  name: rule.name,
  kind: rule.kind,
  expression: rule.expression,
  appCodes: rule.appCodes,
});

export interface TrialCandidate {
  rule: TrialRule;
  /** The saved rules it reads, directly or through each other. */
  dependencies: readonly TrialRule[];
  /** It reads no evidence and no rule (e.g. `true`): no "true for all" warning. */
  constant: boolean;
}

export interface TrialReport extends TrialVerdict {
  sample: { size: number; origin: TrialSampleOrigin; synthetic: number };
  /** Sample employees the rule was run for (fewer when it stopped early). */
  evaluated: number;
  cut_short: boolean;
  /** Wall time of the trial from its start (waiting behind another trial not included). */
  ms: number;
}

export interface RuleTrial {
  /**
   * Whatever the rule does, a report; rejects only with `not_ready` (503) when the sandbox cannot
   * load the rules within `prepareTimeoutMs`.
   */
  run(candidate: TrialCandidate): Promise<TrialReport>;
  /**
   * Starts the sandbox and builds the sample's fixed part, so the first admin's trial is as
   * fast as the others. Never rejects.
   */
  warmUp(): Promise<void>;
}

export interface RuleTrialOptions {
  /** The admin sandbox: its own evaluator (1 worker, no result cache), serving no employee. */
  evaluator: RuleEvaluator;
  sources: SampleSources;
  clock: () => Date;
  timeZone: string;
  /** The evaluator's CPU budget (for the messages). */
  budgetMs: number;
  /**
   * The least time one employee's evaluation is given before it counts as a hang (a little over
   * the sandbox watchdog's deadline, so that the pool's own report comes first).
   */
  hangAfterMs: number;
  /** Time for the evaluations of one trial. Default 1,000 ms. */
  timeLimitMs?: number;
  /**
   * Time a rule that has failed for every employee so far may keep running past `timeLimitMs`
   * (on a starved machine), so that "fails for everyone" is still found. Default 5,000 ms.
   */
  hardLimitMs?: number;
  /** How long to wait for the sandbox to load the rules (it may be restarting). Default 10 s. */
  prepareTimeoutMs?: number;
  sampleSize?: number;
  logger?: Logger;
}

const TIMED_OUT = Symbol("timed out");
/** Evaluations that warm a fresh sandbox process up (its first ones are several times slower). */
const WARM_UP_EVALUATIONS = 8;

export function createRuleTrial(options: RuleTrialOptions): RuleTrial {
  const timeLimitMs = options.timeLimitMs ?? 1000;
  const hardLimitMs = Math.max(options.hardLimitMs ?? 5000, timeLimitMs);
  const prepareTimeoutMs = options.prepareTimeoutMs ?? 10_000;
  const sampleSize = Math.max(options.sampleSize ?? TRIAL_SAMPLE_SIZE, 1);
  const { evaluator, hangAfterMs } = options;
  let topUp: EmployeeEvidence[] | undefined;
  /**
   * The ruleVersion a trial gives its rules: negative and never repeating, so each trial's rule set
   * has a rulesetKey of its own and no state of one trial's rules reaches the next.
   */
  let trials = 0;
  /** An evaluation given up on as hung, still running in the sandbox. */
  let abandoned: Promise<unknown> | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  /**
   * One trial at a time (the sandbox has one process), and none before a hung evaluation of the
   * previous one has been dealt with by the pool: otherwise the next rule's first employee
   * would wait behind it and be taken for a hang.
   */
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const result = queue.then(work);
    const settle = async () => {
      const pending = abandoned;
      abandoned = undefined;
      if (pending) await timeout(pending, prepareTimeoutMs);
    };
    queue = result.then(settle, settle);
    return result;
  };

  const sample = async (
    today: string,
  ): Promise<{ employees: SampleEmployee[]; origin: TrialSampleOrigin }> => {
    const awkward = awkwardEmployees(today);
    const sourced = await sourceEmployees(options.sources, sampleSize - awkward.length, (origin, error) =>
      options.logger?.warn("trial sample source failed", { origin, error: String(error) }),
    );
    topUp ??= demoEmployees(sampleSize);
    const employees = buildTrialSample({ awkward, sourced: sourced.employees, topUp, size: sampleSize });
    return { employees, origin: sourced.origin };
  };

  /** Runs the sample through the sandbox until done, refused, or out of time. */
  const evaluateSample = async (
    ruleset: CompiledRuleset,
    name: string,
    employees: readonly SampleEmployee[],
    evidence: readonly Evidence[],
  ): Promise<{ observations: TrialObservation[]; cutShort: boolean }> => {
    const observations: TrialObservation[] = [];
    let answered = 0;
    const window = performance.now();
    for (const [i, employee] of employees.entries()) {
      const input = evidence[i];
      if (!input) break;
      const remaining = timeLimitMs - (performance.now() - window);
      // Out of time. Only a rule that has failed for everyone so far gets more (up to the hard
      // limit): whether it fails for every one decides a refusal, so it must not be cut short.
      const extra = answered === 0 ? hardLimitMs - timeLimitMs : 0;
      if (remaining + extra < hangAfterMs) return { observations, cutShort: true };
      const pending = evaluator.evaluate(ruleset, input);
      const waitMs = Math.round(Math.max(hangAfterMs, remaining));
      let answer = await timeout(pending, waitMs);
      // The pool's watchdog is what finds hangs: it kills a silent sandbox at the hard deadline
      // and answers "hang". A late answer with no such verdict is a loaded machine, not a hung
      // rule, so it is waited for (up to the hard limit) before silence counts as a hang.
      if (answer === TIMED_OUT) answer = await timeout(pending, hardLimitMs);
      if (answer === TIMED_OUT) abandoned = pending;
      const outcome = answer === TIMED_OUT ? silence(waitMs + hardLimitMs) : outcomeOf(answer, name);
      if (outcome.ok) answered += 1;
      const { personnel_number } = employee.evidence;
      observations.push({ personnelNumber: personnel_number, synthetic: employee.synthetic, outcome });
      if (refusesAtOnce(outcome)) break;
    }
    return { observations, cutShort: false };
  };

  const run = (candidate: TrialCandidate): Promise<TrialReport> =>
    exclusive(async () => {
      const started = performance.now();
      const now = options.clock();
      const trialRuleVersion = -++trials;
      const rules = [...candidate.dependencies, candidate.rule].map((rule) => ({
        ...rule,
        version: trialRuleVersion,
      }));
      const ruleset = compileRuleset(rules);

      const drawn = await sample(dateInZone(now, options.timeZone));
      const evidence = withRequestExtras(drawn.employees, now, options.timeZone);
      if ((await timeout(evaluator.prepare(ruleset), prepareTimeoutMs)) === TIMED_OUT) {
        throw new AppError("not_ready", "the trial sandbox is not ready; try again shortly", [], 1);
      }
      const { observations, cutShort } = await evaluateSample(
        ruleset,
        candidate.rule.name,
        drawn.employees,
        evidence,
      );
      const verdict = judgeTrial({
        observations,
        sampleSize: drawn.employees.length,
        constant: candidate.constant,
        cutShort,
        budgetMs: options.budgetMs,
        timeLimitMs,
      });
      return {
        ...verdict,
        sample: {
          size: drawn.employees.length,
          origin: drawn.origin,
          synthetic: drawn.employees.filter((e) => e.synthetic !== undefined).length,
        },
        evaluated: observations.length,
        cut_short: cutShort,
        ms: Math.round(performance.now() - started),
      };
    });

  return {
    run,
    warmUp: () =>
      exclusive(async () => {
        const rule = {
          id: 0,
          name: "warm_up",
          kind: "expression" as const,
          expression: "true",
          appCodes: [],
        };
        const ruleset = compileRuleset([{ ...rule, version: -++trials }]);
        const now = options.clock();
        const drawn = await sample(dateInZone(now, options.timeZone));
        const evidence = withRequestExtras(
          drawn.employees.slice(0, WARM_UP_EVALUATIONS),
          now,
          options.timeZone,
        );
        if ((await timeout(evaluator.prepare(ruleset), prepareTimeoutMs)) === TIMED_OUT) return;
        for (const input of evidence) await timeout(evaluator.evaluate(ruleset, input), prepareTimeoutMs);
      }).catch(() => {
        // the first real trial waits for the sandbox instead
      }),
  };
}

function outcomeOf(results: RuleResults, name: string): RuleOutcome {
  return results.get(name) ?? { ok: false, kind: "crash", error: "the sandbox gave no result for the rule" };
}

function silence(ms: number): RuleOutcome {
  return { ok: false, kind: "hang", error: `the sandbox did not answer within ${ms} ms` };
}

async function timeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
