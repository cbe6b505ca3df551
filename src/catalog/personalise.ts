import { AppError } from "../errors.ts";
import type { EvidenceSource } from "../evidence/index.ts";
import { type Evidence, type Platform, requestExtras } from "../evidence/index.ts";
import type { RuleEvaluator, RuleResults } from "../rules/index.ts";
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

export interface Personalised extends TabsTree {
  snapshot: CatalogSnapshot;
  results: RuleResults;
  evidence: Evidence;
  evidenceStale: boolean;
}

/** One employee's home page: evidence → rule results → tree. Shared by /user.tabs and the preview. */
export async function personalise(deps: PersonaliseDeps, request: PersonaliseRequest): Promise<Personalised> {
  const snapshot = deps.snapshot();
  if (!snapshot) throw new AppError("not_ready", "the catalog is not loaded yet", [], 1);
  const found = await deps.evidence.lookup(request.personnelNumber);
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
  const evidence: Evidence = {
    ...found.evidence,
    ...requestExtras(request.now, deps.timeZone, request.platform),
  };
  const results = await deps.evaluator.evaluate(snapshot.ruleset, evidence);
  const tree = buildTabs(snapshot, results, request);
  return { ...tree, snapshot, results, evidence, evidenceStale: found.stale };
}
