import type { CatalogStore } from "../../catalog/index.ts";
import { personalise, readCatalogVersion } from "../../catalog/index.ts";
import type { Db } from "../../db/index.ts";
import { type EvidenceSource, normalizePernr } from "../../evidence/index.ts";
import type { RuleEvaluator } from "../../rules/index.ts";
import { parseInput } from "../parse.ts";
import { type Preview, PreviewQuerySchema, type RuleResult } from "./schemas.ts";

export interface PreviewDeps {
  db: Db;
  catalog: CatalogStore;
  evidence: EvidenceSource;
  evaluator: RuleEvaluator;
  timeZone: string;
  clock: () => Date;
}

/**
 * What one employee sees and why: the /user.tabs tree, every rule's outcome, and the reason
 * each hidden component is hidden. Computed exactly as /user.tabs does (personalise()).
 */
export async function previewEmployee(deps: PreviewDeps, input: unknown): Promise<Preview> {
  const query = parseInput(PreviewQuerySchema, input, "query");
  await catchUpCatalog(deps);
  const page = await personalise(
    {
      evidence: deps.evidence,
      evaluator: deps.evaluator,
      snapshot: () => deps.catalog.snapshot,
      timeZone: deps.timeZone,
    },
    {
      personnelNumber: normalizePernr(query.personnel_number) ?? query.personnel_number,
      platform: query.platform,
      now: deps.clock(),
    },
  );
  const rules: RuleResult[] = [...page.snapshot.rulesById.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((rule) => {
      const outcome = page.results.get(rule.name);
      if (!outcome) return { id: rule.id, name: rule.name, result: "error", error: "not evaluated" };
      return outcome.ok
        ? { id: rule.id, name: rule.name, result: outcome.value }
        : { id: rule.id, name: rule.name, result: "error", error: outcome.error };
    });
  const reads = new Set<string>([...page.snapshot.ruleset.reads, "personnel_number", "platform", "today"]);
  const evidence = Object.fromEntries(
    Object.entries(page.evidence).filter(([name]) => query.evidence === "all" || reads.has(name)),
  );
  return {
    ...page.tabs,
    rules,
    hidden: page.hidden,
    catalog_version: page.snapshot.catalogVersion,
    evidence_stale: page.evidenceStale,
    evidence,
  };
}

/**
 * An admin previews right after an edit, and must see it. The store also reloads on NOTIFY, but
 * that races with this request; so compare versions (one primary-key read) and, when this
 * instance is behind, wait for the rebuild. A full reload on every preview would cost a whole
 * catalog read and recompile even when nothing changed.
 */
async function catchUpCatalog(deps: PreviewDeps): Promise<void> {
  const serving = deps.catalog.snapshot?.catalogVersion ?? -1;
  if (serving < (await readCatalogVersion(deps.db))) await deps.catalog.reload();
}
