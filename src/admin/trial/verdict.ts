/**
 * What a trial's outcomes mean for the rule: a pure function from plain data.
 *
 * Refused — the rule would harm more than itself, or is useless:
 *   - for any one employee it ran over its CPU budget, ran out of memory, hung or crashed the
 *     sandbox, or could not be loaded, compiled or run at all;
 *   - it failed (threw, or overflowed its stack) for every employee of the sample.
 * Accepted with a warning — worth a second look, but the admin may mean it:
 *   - it failed for some employees (it is false for them);
 *   - it is true for all of them, or false for all of them (unless it reads nothing at all, as
 *     `true` does: then its value is just what was written);
 *   - the trial ran out of time before the end of the sample.
 */
import type { RuleFailureKind, RuleOutcome } from "../../rules/index.ts";

export interface TrialObservation {
  personnelNumber: string;
  /** What is odd about a synthetic employee; unset for a real one. */
  synthetic?: string;
  outcome: RuleOutcome;
}

/** Why the trial refuses the rule: one item of the 422's `details`. */
export interface TrialProblem {
  message: string;
  personnel_number: string;
  kind: RuleFailureKind;
}

export interface TrialWarning {
  message: string;
  personnel_number?: string;
}

export interface TrialVerdict {
  passed: boolean;
  /** Why it is refused (empty when it passed). */
  problems: TrialProblem[];
  warnings: TrialWarning[];
  results: { true: number; false: number; failed: number };
}

export interface VerdictInput {
  observations: readonly TrialObservation[];
  /** Employees in the sample (the trial may stop before the end). */
  sampleSize: number;
  /** The rule reads no evidence and no other rule: being true (or false) for all is no news. */
  constant: boolean;
  /** The trial stopped for lack of time before the end of the sample. */
  cutShort: boolean;
  /** For the messages. */
  budgetMs: number;
  timeLimitMs: number;
}

/** Failures that depend on the employee's data and hurt nobody but the rule. */
const CONTAINED: ReadonlySet<RuleFailureKind> = new Set(["throw", "stack"]);

/** Whether one outcome refuses the rule at once (the trial stops there). */
export function refusesAtOnce(outcome: RuleOutcome): boolean {
  return !outcome.ok && !CONTAINED.has(outcome.kind);
}

/** Distinct failure messages shown in details and warnings. */
const MAX_LISTED = 5;

export function judgeTrial(input: VerdictInput): TrialVerdict {
  const { observations } = input;
  const results = { true: 0, false: 0, failed: 0 };
  for (const { outcome } of observations) {
    if (!outcome.ok) results.failed += 1;
    else if (outcome.value) results.true += 1;
    else results.false += 1;
  }

  const fatal = observations.find((o) => refusesAtOnce(o.outcome));
  if (fatal && !fatal.outcome.ok) {
    const problem: TrialProblem = {
      message: `${whatHappened(fatal.outcome.kind, input.budgetMs)} for ${who(fatal)}: ${fatal.outcome.error}`,
      personnel_number: fatal.personnelNumber,
      kind: fatal.outcome.kind,
    };
    return { passed: false, problems: [problem], warnings: [], results };
  }

  const failures = groupFailures(observations);
  const ran = observations.length;
  if (ran > 0 && results.failed === ran && ran === input.sampleSize) {
    const problems = failures.slice(0, MAX_LISTED).map(
      (group): TrialProblem => ({
        message:
          group.count === ran
            ? `fails for every one of the ${ran} sample employees (it would be false for everyone), e.g. ${who(group.first)}: ${group.error}`
            : `fails for ${group.count} of ${ran} sample employees, e.g. ${who(group.first)}: ${group.error}`,
        personnel_number: group.first.personnelNumber,
        kind: group.kind,
      }),
    );
    return { passed: false, problems, warnings: [], results };
  }

  const warnings: TrialWarning[] = failures.slice(0, MAX_LISTED).map((group) => ({
    message:
      `fails for ${group.count} of ${ran} sample employees (it is false for them), ` +
      `e.g. ${who(group.first)}: ${group.error}`,
    personnel_number: group.first.personnelNumber,
  }));
  const answered = results.true + results.false;
  if (!input.constant && answered > 0 && (results.true === 0 || results.false === 0)) {
    const value = results.false === 0 ? "true" : "false";
    const whom = results.failed > 0 ? `all ${answered} it did not fail for` : `all ${answered}`;
    warnings.push({
      message:
        `${value} for every sample employee (${whom}): ` +
        (value === "true"
          ? "everyone would see what it guards — is that intended?"
          : "nobody in the sample would see what it guards (fine for a rule aimed at a few people)"),
    });
  }
  if (input.cutShort) {
    warnings.push({
      message: `the trial ran ${ran} of ${input.sampleSize} sample employees within its ${input.timeLimitMs} ms: the rule is slow`,
    });
  }
  return { passed: true, problems: [], warnings, results };
}

function whatHappened(kind: RuleFailureKind, budgetMs: number): string {
  switch (kind) {
    case "budget":
      return `ran over its ${budgetMs} ms CPU budget`;
    case "oom":
      return "ran out of memory";
    case "hang":
      return "hung the sandbox";
    case "crash":
      return "crashed the sandbox";
    case "load":
      return "could not be loaded into the sandbox";
    case "compile":
      return "was refused by the sandbox's compiler";
    case "skipped":
      return "could not run";
    default:
      return "failed";
  }
}

function who(observation: TrialObservation): string {
  return observation.synthetic
    ? `synthetic employee ${observation.personnelNumber} (${observation.synthetic})`
    : `employee ${observation.personnelNumber}`;
}

interface FailureGroup {
  error: string;
  kind: RuleFailureKind;
  count: number;
  first: TrialObservation;
}

/** Failures by message, the most frequent first (ties: the first seen first). */
function groupFailures(observations: readonly TrialObservation[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const observation of observations) {
    const { outcome } = observation;
    if (outcome.ok) continue;
    const group = groups.get(outcome.error);
    if (group) group.count += 1;
    else
      groups.set(outcome.error, { error: outcome.error, kind: outcome.kind, count: 1, first: observation });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}
