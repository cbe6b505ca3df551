import { asc, eq } from "drizzle-orm";
import type { Db } from "../db/index.ts";
import { schema } from "../db/index.ts";
import { type CompiledRuleset, compileRuleset, type RuleDefinition } from "../rules/index.ts";
import type { Banner, CardGroup, Section, SidebarGroup } from "./model.ts";

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
  readonly version: number;
  readonly builtAt: Date;
  readonly ruleset: CompiledRuleset;
  /** Enabled rules only; a component whose rule is absent here is hidden. */
  readonly rulesById: ReadonlyMap<number, SnapshotRule>;
  readonly sidebarGroups: readonly SidebarGroup[];
  readonly cardGroups: readonly CardGroup[];
  readonly sections: readonly Section[];
  readonly banners: readonly Banner[];
}

export interface CatalogData {
  version: number;
  rules: Array<RuleDefinition & { title: string }>;
  sidebarGroups: SidebarGroup[];
  cardGroups: CardGroup[];
  sections: Section[];
  banners: Banner[];
}

/** Reads the whole catalog in one repeatable-read transaction, so it is one consistent version. */
export async function loadCatalogData(db: Db): Promise<CatalogData> {
  return db.transaction(
    async (tx) => {
      const [state] = await tx.select().from(schema.catalogState).where(eq(schema.catalogState.id, 1));
      const rules = await tx.select().from(schema.rules).where(eq(schema.rules.enabled, true));
      return {
        version: state?.version ?? 0,
        rules: rules.map((r) => ({
          id: r.id,
          name: r.name,
          title: r.title,
          kind: r.kind,
          expression: r.expression,
          appCodes: r.appCodes,
          version: r.version,
        })),
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

/** Pure: catalog data → snapshot with the rules compiled (bad rules are marked, not fatal). */
export function buildSnapshot(data: CatalogData, builtAt: Date): CatalogSnapshot {
  const freeze = <T>(items: T[]): readonly T[] => Object.freeze(items.map((i) => Object.freeze(i)));
  return Object.freeze({
    version: data.version,
    builtAt,
    ruleset: compileRuleset(data.rules),
    rulesById: new Map(data.rules.map((r) => [r.id, { id: r.id, name: r.name, title: r.title }])),
    sidebarGroups: freeze(data.sidebarGroups),
    cardGroups: freeze(data.cardGroups),
    sections: freeze(data.sections),
    banners: freeze(data.banners),
  });
}
