/**
 * The LK2 import at the database edge. A dry run reads and plans; a real run does the same inside
 * one admin change (catalogChange: the catalog lock, one version bump, all or nothing), writes
 * what differs — rules with their revisions, components — each with its audit entry by
 * `lk2-import`, then checks the whole catalog still holds together before it commits. Rows are
 * matched by their LK2 id, so a second run updates instead of duplicating, and an unchanged
 * catalog is not written at all.
 */
import { eq, inArray, sql } from "drizzle-orm";
import { type Db, schema, type Tx } from "../../db/index.ts";
import { AppError } from "../../errors.ts";
import {
  type AbsentRow,
  buildReport,
  type ChangeCounts,
  type ComponentKind,
  type ComponentPlan,
  type Lk2Export,
  type Lk2ImportReport,
  type PlannedRule,
  parseLk2Export,
  planComponents,
  planRules,
} from "../../lk2/index.ts";
import { writeComponentRow } from "../components/service.ts";
import { ruleNameProblem } from "../rules/names.ts";
import { ruleFieldsOf, writeRuleRow } from "../rules/service.ts";
import { catalogChangeIfAny } from "../transaction.ts";
import {
  type CatalogState,
  COMPONENT_KINDS,
  COMPONENT_SCHEMAS,
  COMPONENT_TABLES,
  type ComponentViewOf,
  catalogProblems,
  type ProjectedRule,
  readState,
  sameFields,
} from "./lk2-state.ts";

export const LK2_ACTOR = "lk2-import";

export interface Lk2ImportOptions {
  /** Default true: plan and report, write nothing. */
  dryRun?: boolean;
  actor?: string;
}

interface Plan {
  rules: PlannedRule[];
  components: ComponentPlan;
  absent: AbsentRow[];
}

export async function importLk2(
  db: Db,
  input: unknown,
  options: Lk2ImportOptions = {},
): Promise<Lk2ImportReport> {
  const source = parseLk2Export(input);
  const dryRun = options.dryRun ?? true;
  const actor = options.actor ?? LK2_ACTOR;
  if (dryRun) {
    const state = await readState(db);
    const plan = makePlan(source, state);
    assertCatalogHolds(projectedRules(state, plan.rules));
    const changes = await applyPlan(null, state, plan, actor);
    return buildReport({ dryRun, source, ...plan, changes, catalogVersion: null });
  }
  // Run again on an unchanged LK2, nothing is written and the version is not bumped.
  const committed = await catalogChangeIfAny(db, async (tx) => {
    const state = await readState(tx);
    const plan = makePlan(source, state);
    const changes = await applyPlan(tx, state, plan, actor);
    const wrote =
      changes.rules.created +
        changes.rules.updated +
        changes.components.created +
        changes.components.updated >
      0;
    if (wrote) assertCatalogHolds(await tx.select().from(schema.rules));
    return { result: { plan, changes }, wrote };
  });
  return buildReport({
    dryRun,
    source,
    ...committed.result.plan,
    changes: committed.result.changes,
    catalogVersion: committed.catalogVersion,
  });
}

function makePlan(source: Lk2Export, state: CatalogState): Plan {
  const inExport = new Set(source.rule.map((rule) => rule.id));
  // Names our other rules hold; rules imported before and still in LK2 get their names anew.
  const taken = new Set(
    state.rules.filter((rule) => rule.lk2Id === null || !inExport.has(rule.lk2Id)).map((r) => r.name),
  );
  const rules = planRules(source.rule, { taken, nameProblem: ruleNameProblem });
  const components = planComponents(source, inExport, COMPONENT_SCHEMAS);
  const absent: AbsentRow[] = state.rules
    .filter((rule) => rule.lk2Id !== null && !inExport.has(rule.lk2Id))
    .map((rule) => ({ kind: "rule" as const, id: rule.id, lk2_id: rule.lk2Id as number }));
  const ids: Record<ComponentKind, Set<number>> = {
    sidebar_group: new Set(source.tab_theme.map((row) => row.id)),
    card_group: new Set(source.group_theme.map((row) => row.id)),
    section: new Set(source.tab.map((row) => row.id)),
    banner: new Set(source.banner.map((row) => row.id)),
  };
  for (const kind of Object.keys(ids) as ComponentKind[]) {
    for (const [lk2Id, view] of state.components[kind]) {
      if (!ids[kind].has(lk2Id)) absent.push({ kind, id: view.id, lk2_id: lk2Id });
    }
  }
  return { rules, components, absent };
}

/** The rules as a real run would leave them (for the dry run's check). */
function projectedRules(state: CatalogState, planned: readonly PlannedRule[]): ProjectedRule[] {
  const byLk2 = new Map(planned.map((rule) => [rule.lk2Id, rule]));
  const kept: ProjectedRule[] = state.rules.map((row) => {
    const plan = row.lk2Id === null ? undefined : byLk2.get(row.lk2Id);
    return plan ? { ...plan, id: row.id } : row;
  });
  const existing = new Set(state.rules.map((row) => row.lk2Id));
  const added = planned
    .filter((rule) => !existing.has(rule.lk2Id))
    .map((rule, i) => ({ ...rule, id: -1 - i }));
  return [...kept, ...added];
}

/** The whole catalog after the import must pass the check every admin change keeps. */
function assertCatalogHolds(rules: readonly ProjectedRule[]): void {
  const problems = catalogProblems(rules);
  const first = problems[0];
  if (first) throw new AppError("conflict", `the import would break the catalog: ${first.message}`, problems);
}

/**
 * Writes the plan (tx) or only counts what it would write (null): one walk for both, so the dry
 * run's counts are what the real run does.
 */
async function applyPlan(
  tx: Tx | null,
  state: CatalogState,
  plan: Plan,
  actor: string,
): Promise<ChangeCounts> {
  const rules = { created: 0, updated: 0, unchanged: 0 };
  const components = { created: 0, updated: 0, unchanged: 0 };
  const ruleIds = new Map<number, number>();
  const byLk2 = new Map(
    state.rules.flatMap((row) => (row.lk2Id === null ? [] : [[row.lk2Id, row] as const])),
  );

  // Renames first, out of each other's way (unique names): a passing name of the rule's own.
  const renamed = plan.rules.filter((rule) => {
    const current = byLk2.get(rule.lk2Id);
    return current && current.name !== rule.name;
  });
  if (tx && renamed.length > 0) {
    const ids = renamed.flatMap((rule) => byLk2.get(rule.lk2Id)?.id ?? []);
    await tx
      .update(schema.rules)
      .set({ name: sql`'__lk2_' || ${schema.rules.id}` })
      .where(inArray(schema.rules.id, ids));
  }
  for (const rule of plan.rules) {
    const current = byLk2.get(rule.lk2Id);
    const outcome = await writeRule(tx, current, rule, actor);
    rules[outcome.change] += 1;
    ruleIds.set(rule.lk2Id, outcome.id);
  }

  const written: Record<ComponentKind, Map<number, number>> = {
    sidebar_group: new Map(),
    card_group: new Map(),
    section: new Map(),
    banner: new Map(),
  };
  const ruleId = (lk2Id: number | null) => (lk2Id === null ? null : (ruleIds.get(lk2Id) ?? 0));
  const { sidebarGroups, cardGroups, sections, banners } = plan.components;
  const work: Array<{ kind: ComponentKind; lk2Id: number; input: () => Record<string, unknown> }> = [
    ...sidebarGroups.map((c) => ({
      kind: c.kind,
      lk2Id: c.lk2Id,
      input: () => ({ ...c.fields, rule_id: ruleId(c.ruleLk2Id) }),
    })),
    ...cardGroups.map((c) => ({
      kind: c.kind,
      lk2Id: c.lk2Id,
      input: () => ({ ...c.fields, rule_id: ruleId(c.ruleLk2Id) }),
    })),
    ...sections.map((c) => ({
      kind: c.kind,
      lk2Id: c.lk2Id,
      input: () => ({
        ...c.fields,
        rule_id: ruleId(c.ruleLk2Id),
        sidebar_group_id: written.sidebar_group.get(c.themeLk2Id) ?? 0,
        card_group_id: c.groupLk2Id === null ? null : (written.card_group.get(c.groupLk2Id) ?? 0),
      }),
    })),
    ...banners.map((c) => ({
      kind: c.kind,
      lk2Id: c.lk2Id,
      input: () => ({ ...c.fields, starts_at: null, ends_at: null, rule_id: ruleId(c.ruleLk2Id) }),
    })),
  ];
  for (const item of work) {
    const current = state.components[item.kind].get(item.lk2Id);
    const outcome = await writeComponent(tx, item.kind, item.lk2Id, current, item.input(), actor);
    components[outcome.change] += 1;
    written[item.kind].set(item.lk2Id, outcome.id);
  }
  return { rules, components };
}

type Change = "created" | "updated" | "unchanged";

async function writeRule(
  tx: Tx | null,
  current: schema.RuleRow | undefined,
  rule: PlannedRule,
  actor: string,
): Promise<{ change: Change; id: number }> {
  if (current && sameFields(ruleFieldsOf(rule), current)) return { change: "unchanged", id: current.id };
  if (!tx) return { change: current ? "updated" : "created", id: current?.id ?? 0 };
  const row = await writeRuleRow(tx, actor, current ? "update" : "create", current ?? null, rule);
  if (!current) await tx.update(schema.rules).set({ lk2Id: rule.lk2Id }).where(eq(schema.rules.id, row.id));
  return { change: current ? "updated" : "created", id: row.id };
}

async function writeComponent(
  tx: Tx | null,
  kind: ComponentKind,
  lk2Id: number,
  current: ComponentViewOf | undefined,
  input: Record<string, unknown>,
  actor: string,
): Promise<{ change: Change; id: number }> {
  if (current && sameFields(input, current)) return { change: "unchanged", id: current.id };
  if (!tx) return { change: current ? "updated" : "created", id: current?.id ?? 0 };
  const after = await writeComponentRow(COMPONENT_KINDS[kind], tx, actor, current ?? null, input);
  if (!current) {
    const table = COMPONENT_TABLES[kind];
    await tx.update(table).set({ lk2Id }).where(eq(table.id, after.id));
  }
  return { change: current ? "updated" : "created", id: after.id };
}
