/**
 * Our catalog's export and import at the database edge (the decisions are catalog-diff.ts's and
 * catalog-rules.ts's). The export reads the catalog in one read-only snapshot. A dry run reads,
 * plans and tries; a real run does the same inside one admin change (catalogChange: the catalog
 * lock, one version bump, all or nothing) and writes what differs — rules with their revisions,
 * then components — each with its audit entry. One refusal refuses it whole; an unchanged
 * catalog is not written at all (no version bump). Ours that the export does not hold are left
 * alone and listed as absent.
 *
 * The trial at save runs when the caller has the admin sandbox (HTTP: ctx.ruleTrial), for the
 * enabled rules that are new or whose logic changes, as a save would: an import must not put a
 * rule live that an admin could not save. In a real run it runs inside the change, as on save, so
 * that it tries what the check saw (the catalog lock is held meanwhile: some 30 ms a rule tried).
 * The CLI has no sandbox and runs the static check only (the report says so); a rule that throws
 * is then still false for everyone it throws for, and one that overruns is quarantined, when served.
 */
import { readCatalogVersion } from "../../catalog/index.ts";
import { type Db, schema, type Tx } from "../../db/index.ts";
import { AppError } from "../../errors.ts";
import { bannerKind } from "../components/banners.ts";
import { cardGroupKind } from "../components/card-groups.ts";
import { sectionKind } from "../components/sections.ts";
import { writeComponentRow } from "../components/service.ts";
import { sidebarGroupKind } from "../components/sidebar-groups.ts";
import { findRuleRow } from "../rules/queries.ts";
import { writeRuleRow } from "../rules/service.ts";
import { catalogChangeIfAny } from "../transaction.ts";
import type { RuleTrial } from "../trial/runner.ts";
import {
  type CatalogDiff,
  type CatalogEntries,
  type CurrentCatalog,
  diffCatalog,
  type KindDiff,
  toCatalogExport,
} from "./catalog-diff.ts";
import type { CatalogComponentKind, CatalogExport } from "./catalog-document.ts";
import { parseCatalogExport } from "./catalog-document.ts";
import {
  buildCatalogReport,
  type CatalogImportReport,
  type CatalogRefusal,
  type CatalogTrialSummary,
} from "./catalog-report.ts";
import { checkImportedRules, type RuleVerdicts } from "./catalog-rules.ts";
import { COMPONENT_KINDS, type ComponentViewOf } from "./lk2-state.ts";

export const CATALOG_IMPORT_ACTOR = "catalog-import";

export interface CatalogImportOptions {
  /** Default true: plan, check and report; write nothing. */
  dryRun?: boolean;
  /** Who the audit names: the admin over HTTP, `catalog-import` for the CLI. */
  actor?: string;
  /** The trial at save; without it only the static check runs. */
  trial?: RuleTrial;
}

/** Everything, as the admin API shows it (the component kinds' own views). */
async function readCatalog(db: Db | Tx): Promise<CurrentCatalog> {
  const [rules, sidebarGroups, cardGroups, sections, banners] = await Promise.all([
    db.select().from(schema.rules),
    sidebarGroupKind.list(db),
    cardGroupKind.list(db),
    sectionKind.list(db),
    bannerKind.list(db),
  ]);
  return { rules, sidebarGroups, cardGroups, sections, banners };
}

/** The catalog and its version read in one snapshot, so that rows and links agree. */
function readSnapshot(db: Db): Promise<{ current: CurrentCatalog; catalogVersion: number }> {
  return db.transaction(
    async (tx) => ({ current: await readCatalog(tx), catalogVersion: await readCatalogVersion(tx) }),
    {
      isolationLevel: "repeatable read",
      accessMode: "read only",
    },
  );
}

/** The whole catalog as one document. */
export async function exportCatalog(db: Db, now: Date): Promise<CatalogExport> {
  const { current, catalogVersion } = await readSnapshot(db);
  return toCatalogExport(current, { exportedAt: now, catalogVersion });
}

interface Plan {
  diff: CatalogDiff;
  rules: RuleVerdicts;
  refused: CatalogRefusal[];
  trial: CatalogTrialSummary;
}

export async function importCatalog(
  db: Db,
  input: unknown,
  options: CatalogImportOptions = {},
): Promise<CatalogImportReport> {
  const document = parseCatalogExport(input);
  const dryRun = options.dryRun ?? true;
  const actor = options.actor ?? CATALOG_IMPORT_ACTOR;
  const report = (plan: Plan, catalogVersion: number | null) =>
    buildCatalogReport({
      dryRun,
      document,
      outcomes: plan.diff,
      refused: plan.refused,
      trial: plan.trial,
      catalogVersion,
    });
  if (dryRun) {
    const { current } = await readSnapshot(db);
    return report(await makePlan(document, current, options.trial, true), null);
  }
  // Run again on an unchanged document, nothing is written and the version is not bumped.
  const committed = await catalogChangeIfAny(db, async (tx) => {
    const current = await readCatalog(tx);
    const plan = await makePlan(document, current, options.trial, false);
    refuseUnlessClean(plan.refused);
    const { diff } = plan;
    const writes = (Object.keys(diff) as Array<keyof CatalogDiff>).reduce(
      (sum, kind) => sum + diff[kind].created.length + diff[kind].updated.length,
      0,
    );
    if (writes > 0) await writePlan(tx, plan, current, actor);
    return { result: plan, wrote: writes > 0 };
  });
  return report(committed.result, committed.catalogVersion);
}

/**
 * The diff, the static check and the trial. A real run stops at the first refusal (it is refused
 * whole anyway); a dry run goes on, so that the admin sees every refusal at once.
 */
async function makePlan(
  document: CatalogExport,
  current: CurrentCatalog,
  trial: RuleTrial | undefined,
  dryRun: boolean,
): Promise<Plan> {
  const diff = diffCatalog(document, current);
  const rules = checkImportedRules(diff.rule, current.rules);
  const refused = [...rules.refused];
  const summary: CatalogTrialSummary = { ran: trial !== undefined, rules: [], warnings: [] };
  if (!trial || (!dryRun && refused.length > 0)) return { diff, rules, refused, trial: summary };
  for (const { rule, candidate } of rules.trials) {
    const verdict = await trial.run(candidate);
    summary.rules.push(rule);
    summary.warnings.push(...verdict.warnings.map((warning) => ({ rule, ...warning })));
    const first = verdict.problems[0];
    if (!verdict.passed) {
      refused.push({
        rule,
        code: "rule_trial_failed",
        message: `tried on ${verdict.sample.size} sample employees, it cannot go live: ${first?.message ?? "it failed"}`,
        ...(first ? { personnel_number: first.personnel_number } : {}),
      });
      if (!dryRun) break;
    }
  }
  return { diff, rules, refused, trial: summary };
}

/** 422 for a rule that fails the check or the trial, 409 for one of ours the import would break. */
function refuseUnlessClean(refused: readonly CatalogRefusal[]): void {
  const first = refused[0];
  if (!first) return;
  throw new AppError(
    first.code,
    `the import is refused, nothing was written: ${first.rule}: ${first.message}`,
    refused.map((refusal) => ({ ...refusal })),
  );
}

async function writePlan(tx: Tx, plan: Plan, current: CurrentCatalog, actor: string): Promise<void> {
  const { diff } = plan;
  const ruleIds = new Map(current.rules.map((rule) => [rule.name, rule.id]));
  for (const change of changesOf(diff.rule)) {
    const { entry } = change;
    const before = change.id === undefined ? null : await findRuleRow(tx, change.id);
    const row = await writeRuleRow(tx, actor, before ? "update" : "create", before, {
      name: entry.name,
      title: entry.title,
      kind: entry.kind,
      expression: entry.expression,
      appCodes: entry.app_codes,
      enabled: entry.enabled,
      dependsOn: plan.rules.checks.get(entry.name)?.rules ?? [],
    });
    ruleIds.set(row.name, row.id);
  }

  // Links become our ids: rules by name, groups by key (written before the sections naming them).
  const ruleId = (name: string | null) => (name === null ? null : (ruleIds.get(name) ?? 0));
  const write = componentWriter(tx, current, actor);
  const groupIds = await write("sidebar_group", diff.sidebar_group, ({ rule, ...fields }) => ({
    ...fields,
    rule_id: ruleId(rule),
  }));
  const cardIds = await write("card_group", diff.card_group, ({ rule, ...fields }) => ({
    ...fields,
    rule_id: ruleId(rule),
  }));
  await write("section", diff.section, ({ rule, sidebar_group, card_group, ...fields }) => ({
    ...fields,
    rule_id: ruleId(rule),
    sidebar_group_id: groupIds.get(sidebar_group) ?? 0,
    card_group_id: card_group === null ? null : (cardIds.get(card_group) ?? 0),
  }));
  await write("banner", diff.banner, ({ rule, ...fields }) => ({ ...fields, rule_id: ruleId(rule) }));
}

/**
 * Writes one kind's created and updated components through the admin API's own table code, each
 * with its audit entry; answers key → id for every component of the document of that kind.
 */
function componentWriter(tx: Tx, current: CurrentCatalog, actor: string) {
  const views = new Map<string, ComponentViewOf>();
  const all: Array<[CatalogComponentKind, ReadonlyArray<{ id: number }>]> = [
    ["sidebar_group", current.sidebarGroups],
    ["card_group", current.cardGroups],
    ["section", current.sections],
    ["banner", current.banners],
  ];
  for (const [kind, rows] of all)
    for (const row of rows) views.set(`${kind}:${row.id}`, row as ComponentViewOf);

  return async <K extends CatalogComponentKind>(
    kind: K,
    diff: KindDiff<CatalogEntries[K]>,
    toInput: (entry: CatalogEntries[K]) => Record<string, unknown>,
  ): Promise<Map<string, number>> => {
    const admin = COMPONENT_KINDS[kind];
    const ids = new Map([...diff.updated, ...diff.unchanged].map((row) => [row.key, row.id]));
    for (const change of changesOf(diff)) {
      const before = change.id === undefined ? undefined : views.get(`${kind}:${change.id}`);
      const after = await writeComponentRow(admin, tx, actor, before ?? null, toInput(change.entry));
      ids.set(change.key, after.id);
    }
    return ids;
  };
}

/** What a kind's diff writes: the created (no id yet), then the updated. */
function changesOf<E>(diff: KindDiff<E>): Array<{ key: string; entry: E; id?: number }> {
  return [...diff.created, ...diff.updated];
}
