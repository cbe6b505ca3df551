import { AppError } from "../errors.ts";
import type { EmployeeEvidence, EvidenceOrigin, EvidenceSource, RequestExtras } from "../evidence/index.ts";
import { type Evidence, type Platform, requestExtras } from "../evidence/index.ts";
import type { EvaluationReport, RuleEvaluator, RuleResults } from "../rules/index.ts";
import type { CatalogSnapshot } from "./snapshot.ts";
import { buildTabs, type TabsTree } from "./tree.ts";

export interface PersonaliseDeps {
  evidence: EvidenceSource;
  evaluator: RuleEvaluator;
  snapshot: () => CatalogSnapshot | null;
  timeZone: string;
}

export interface PersonaliseRequest {
  personnelNumber: string;
  platform: Platform;
  query?: string;
  now: Date;
}

/**
 * Told around every await (see BlockingWatch in src/request-metrics.ts), so that a caller can
 * measure the synchronous stretches in between.
 */
export interface AwaitMarks {
  pause(): void;
  resume(): void;
}

/** One employee's rule results on one snapshot, and where they came from. */
export interface Resolved {
  snapshot: CatalogSnapshot;
  results: RuleResults;
  evidence: Evidence;
  evidenceStale: boolean;
  evidenceAgeS: number;
  /** Where the evidence came from, when the source says (memory, Redis, SAP). */
  evidenceFrom?: EvidenceOrigin;
  /** The result cache, the sandbox, or neither (a catalog without rules). */
  evaluation: EvaluationReport["source"];
  /** From asking the evaluator to having the results. */
  evaluationMs: number;
}

export interface Personalised extends TabsTree, Resolved {}

const NO_MARKS: AwaitMarks = { pause() {}, resume() {} };

/** Evidence → rule results, on the snapshot being served. Shared by /user.tabs and the preview. */
export async function resolveEmployee(
  deps: PersonaliseDeps,
  request: PersonaliseRequest,
  marks: AwaitMarks = NO_MARKS,
): Promise<Resolved> {
  const snapshot = deps.snapshot();
  if (!snapshot) throw new AppError("not_ready", "the catalog is not loaded yet", [], 1);
  const lookup = deps.evidence.lookup(request.personnelNumber);
  marks.pause();
  const found = await lookup;
  marks.resume();
  if (found.kind === "unknown") {
    throw new AppError("employee_not_found", "SAP HR does not know this employee");
  }
  if (found.kind === "unavailable") {
    throw new AppError(
      "evidence_unavailable",
      "employee data is unavailable, try again shortly",
      [],
      found.retryAfterS,
    );
  }
  const evidence = requestEvidence(
    found.evidence,
    requestExtras(request.now, deps.timeZone, request.platform),
  );
  const report: EvaluationReport = { source: "none" };
  const asked = performance.now();
  const evaluation = deps.evaluator.evaluate(snapshot.ruleset, evidence, report);
  marks.pause();
  const results = await evaluation;
  marks.resume();
  return {
    snapshot,
    results,
    evidence,
    evidenceStale: found.stale,
    evidenceAgeS: found.ageS,
    evidenceFrom: found.from,
    evaluation: report.source,
    evaluationMs: performance.now() - asked,
  };
}

/**
 * An employee's evidence with the request's extras: for cached (frozen) evidence one frozen object
 * per extras, kept beside it, so that what the evaluator works out from it (the result cache's key,
 * rules/evaluator/evidence-key.ts) is worked out once a minute per employee and platform, not on
 * every request.
 */
const withExtras = new WeakMap<EmployeeEvidence, Evidence>();
function requestEvidence(employee: EmployeeEvidence, extras: RequestExtras): Evidence {
  if (!Object.isFrozen(employee)) return { ...employee, ...extras };
  const known = withExtras.get(employee);
  if (known && known.now === extras.now && known.today === extras.today && known.platform === extras.platform)
    return known;
  const evidence: Evidence = Object.freeze({ ...employee, ...extras });
  withExtras.set(employee, evidence);
  return evidence;
}

/** One employee's home page with the reasons for what it leaves out (the admin preview). */
export async function personalise(deps: PersonaliseDeps, request: PersonaliseRequest): Promise<Personalised> {
  const resolved = await resolveEmployee(deps, request);
  return { ...resolved, ...buildTabs(resolved.snapshot, resolved.results, request) };
}
