import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db, Tx } from "../db/index.ts";
import { schema } from "../db/index.ts";
import {
  type CompiledRuleset,
  compileRuleset,
  type RuleCompileCache,
  type RuleDefinition,
} from "../rules/index.ts";
import { buildLayout, type TabsLayout } from "./layout.ts";
import type { Banner, CardGroup, Section, SidebarGroup } from "./model.ts";
import { readCatalogVersion } from "./version.ts";

export interface SnapshotRule {
  id: number;
  name: string;
  title: string;
}

/**
 * Everything a request needs, in memory and never mutated: a request reads rules and
 * components only from here, never from the database. Replaced whole on every catalog change.
 */
export interface CatalogSnapshot {
  /** catalog_state.version this snapshot was read at. */
  readonly catalogVersion: number;
  readonly builtAt: Date;
  readonly ruleset: CompiledRuleset;
  /** Enabled rules only; a component whose rule is absent here is hidden. */
  readonly rulesById: ReadonlyMap<number, SnapshotRule>;
  readonly sidebarGroups: readonly SidebarGroup[];
  readonly cardGroups: readonly CardGroup[];
  readonly sections: readonly Section[];
  readonly banners: readonly Banner[];
  /** The components indexed for requests (sections by group, answer objects, rule and window keys). */
  readonly layout: TabsLayout;
}

/** A rule as the catalog holds it; `updatedAt` tells a re-read whether the row changed. */
export type CatalogRule = RuleDefinition & { title: string; updatedAt?: Date };

export interface CatalogData {
  catalogVersion: number;
  rules: CatalogRule[];
  sidebarGroups: SidebarGroup[];
  cardGroups: CardGroup[];
  sections: Section[];
  banners: Banner[];
}

/**
 * Reads the whole catalog in one repeatable-read transaction, so it is one consistent version.
 * Given the data read before, a rule row whose ruleVersion and update time are unchanged is taken
 * from it instead of read again: the rules' text is most of a large catalog (200 rules of
 * ~19 KB: ~15 ms of a rebuild to read again, after every edit).
 */
export async function loadCatalogData(db: Db, previous?: CatalogData): Promise<CatalogData> {
  return db.transaction(
    async (tx) => {
      const catalogVersion = await readCatalogVersion(tx);
      return {
        catalogVersion,
        rules: await readRules(tx, previous?.rules ?? []),
        sidebarGroups: await tx
          .select({
            id: schema.sidebarGroups.id,
            title: schema.sidebarGroups.title,
            icon: schema.sidebarGroups.icon,
            order: schema.sidebarGroups.order,
            ruleId: schema.sidebarGroups.ruleId,
          })
          .from(schema.sidebarGroups)
          .orderBy(asc(schema.sidebarGroups.order), asc(schema.sidebarGroups.id)),
        cardGroups: await tx
          .select({
            id: schema.cardGroups.id,
            title: schema.cardGroups.title,
            order: schema.cardGroups.order,
            ruleId: schema.cardGroups.ruleId,
          })
          .from(schema.cardGroups)
          .orderBy(asc(schema.cardGroups.order), asc(schema.cardGroups.id)),
        sections: await tx
          .select({
            id: schema.sections.id,
            title: schema.sections.title,
            url: schema.sections.url,
            icon: schema.sections.icon,
            order: schema.sections.order,
            sidebarGroupId: schema.sections.sidebarGroupId,
            cardGroupId: schema.sections.cardGroupId,
            platforms: schema.sections.platforms,
            ruleId: schema.sections.ruleId,
          })
          .from(schema.sections)
          .orderBy(asc(schema.sections.order), asc(schema.sections.id)),
        banners: await tx
          .select({
            id: schema.banners.id,
            title: schema.banners.title,
            imageUrl: schema.banners.imageUrl,
            link: schema.banners.link,
            order: schema.banners.order,
            platforms: schema.banners.platforms,
            startsAt: schema.banners.startsAt,
            endsAt: schema.banners.endsAt,
            ruleId: schema.banners.ruleId,
          })
          .from(schema.banners)
          .orderBy(asc(schema.banners.order), asc(schema.banners.id)),
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

const RULE_COLUMNS = {
  id: schema.rules.id,
  name: schema.rules.name,
  title: schema.rules.title,
  kind: schema.rules.kind,
  expression: schema.rules.expression,
  appCodes: schema.rules.appCodes,
  version: schema.rules.version,
  updatedAt: schema.rules.updatedAt,
};

/** The enabled rules, rows unchanged since `known` taken from it (every admin edit bumps version). */
async function readRules(tx: Tx, known: readonly CatalogRule[]): Promise<CatalogRule[]> {
  const enabled = eq(schema.rules.enabled, true);
  if (known.length === 0) return tx.select(RULE_COLUMNS).from(schema.rules).where(enabled);
  const byId = new Map(known.map((rule) => [rule.id, rule]));
  const heads = await tx
    .select({ id: schema.rules.id, version: schema.rules.version, updatedAt: schema.rules.updatedAt })
    .from(schema.rules)
    .where(enabled);
  const same = (head: (typeof heads)[number]) => {
    const rule = byId.get(head.id);
    return rule?.version === head.version && rule.updatedAt?.getTime() === head.updatedAt.getTime();
  };
  const changed = heads.filter((head) => !same(head)).map((head) => head.id);
  const fresh =
    changed.length === 0
      ? []
      : await tx
          .select(RULE_COLUMNS)
          .from(schema.rules)
          .where(and(enabled, inArray(schema.rules.id, changed)));
  const freshById = new Map(fresh.map((rule) => [rule.id, rule]));
  return heads.flatMap((head) => {
    const rule = freshById.get(head.id) ?? (same(head) ? byId.get(head.id) : undefined);
    return rule ? [rule] : [];
  });
}

/**
 * Catalog data → snapshot with the rules compiled (bad rules are marked, not fatal). Pure but
 * for the compile cache, which only saves work: given one, rules unchanged since the last build
 * with it are not checked and compiled again.
 */
export function buildSnapshot(data: CatalogData, builtAt: Date, cache?: RuleCompileCache): CatalogSnapshot {
  const freeze = <T>(items: T[]): readonly T[] => Object.freeze(items.map((i) => Object.freeze(i)));
  const parts = {
    rulesById: new Map(data.rules.map((r) => [r.id, { id: r.id, name: r.name, title: r.title }])),
    sidebarGroups: freeze(data.sidebarGroups),
    cardGroups: freeze(data.cardGroups),
    sections: freeze(data.sections),
    banners: freeze(data.banners),
  };
  return Object.freeze({
    catalogVersion: data.catalogVersion,
    builtAt,
    ruleset: compileRuleset(data.rules, { cache }),
    ...parts,
    layout: buildLayout(parts),
  });
}
