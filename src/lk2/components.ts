/**
 * LK2's tab themes, group themes, tabs and banners → our sidebar groups, card groups, sections
 * and banners (pure). Each is checked against our admin API's own input schema; one that does
 * not fit (a `javascript:` link, an empty title, no platform we serve, a missing theme) is
 * skipped and named in the report, with what hangs on it.
 */
import type { z } from "zod";
import { PLATFORMS, type Platform } from "../evidence/index.ts";
import type { Lk2Export } from "./export.ts";

export type ComponentKind = "sidebar_group" | "card_group" | "section" | "banner";

/** A component's fields in the admin API's input shape (snake_case), as its schema gave them back. */
export type ComponentFields = Record<string, unknown> & { title: string };

interface Planned {
  kind: ComponentKind;
  lk2Id: number;
  /** The LK2 rule gating it (null: everyone). */
  ruleLk2Id: number | null;
  /** Without rule_id and group ids: those are our ids, known once rules and groups are written. */
  fields: ComponentFields;
}

export type PlannedSidebarGroup = Planned;
export type PlannedCardGroup = Planned;
export type PlannedSection = Planned & { themeLk2Id: number; groupLk2Id: number | null };
export type PlannedBanner = Planned;

/** The admin API's input schema of each kind: a component is imported only if it passes its own. */
export type ComponentSchemas = Record<ComponentKind, z.ZodType>;

export interface SkippedComponent {
  kind: ComponentKind;
  lk2Id: number;
  title: string;
  reason: string;
}

export interface ComponentPlan {
  sidebarGroups: PlannedSidebarGroup[];
  cardGroups: PlannedCardGroup[];
  sections: PlannedSection[];
  banners: PlannedBanner[];
  skipped: SkippedComponent[];
}

/** LK2's order is (order, id); ours is (order, id) with our ids: ranks keep LK2's order exactly. */
function ranks<T extends { id: number; order: number }>(rows: readonly T[]): Map<number, number> {
  const sorted = [...rows].sort((a, b) => a.order - b.order || a.id - b.id);
  return new Map(sorted.map((row, i) => [row.id, i * 10]));
}

/** Our platforms out of LK2's list: unknown ones dropped; an empty result means never shown. */
function platformsOf(
  platforms: readonly string[] | null | undefined,
): { platforms: Platform[] | null } | { none: true } {
  if (platforms === null || platforms === undefined) return { platforms: null };
  const known = PLATFORMS.filter((platform) => platforms.includes(platform));
  return known.length === 0 ? { none: true } : { platforms: known };
}

export function planComponents(
  source: Lk2Export,
  ruleIds: ReadonlySet<number>,
  schemas: ComponentSchemas,
): ComponentPlan {
  const skipped: SkippedComponent[] = [];
  const skip = (kind: ComponentKind, row: { id: number; title: string }, reason: string) => {
    skipped.push({ kind, lk2Id: row.id, title: row.title, reason });
    return null;
  };
  const ruleOf = (kind: ComponentKind, row: { id: number; title: string; rule_id?: number | null }) => {
    const ruleId = row.rule_id ?? null;
    if (ruleId !== null && !ruleIds.has(ruleId))
      return skip(kind, row, `its rule #${ruleId} is not in the export`);
    return { ruleLk2Id: ruleId };
  };
  const checked = (
    kind: ComponentKind,
    row: { id: number; title: string },
    input: Record<string, unknown>,
  ) => {
    const parsed = schemas[kind].safeParse(input);
    if (parsed.success) {
      const {
        rule_id: _rule,
        sidebar_group_id: _group,
        card_group_id: _card,
        ...fields
      } = parsed.data as ComponentFields;
      return fields as ComponentFields;
    }
    const issue = parsed.error.issues[0];
    return skip(kind, row, `${issue?.path.join(".") || "it"}: ${issue?.message ?? "invalid"}`);
  };

  const themeOrder = ranks(source.tab_theme);
  const sidebarGroups: PlannedSidebarGroup[] = [];
  for (const row of source.tab_theme) {
    const rule = ruleOf("sidebar_group", row);
    const fields =
      rule &&
      checked("sidebar_group", row, {
        title: row.title,
        icon: row.icon ?? null,
        order: themeOrder.get(row.id),
      });
    if (rule && fields) sidebarGroups.push({ kind: "sidebar_group", lk2Id: row.id, ...rule, fields });
  }

  const groupOrder = ranks(source.group_theme);
  const cardGroups: PlannedCardGroup[] = [];
  for (const row of source.group_theme) {
    const rule = ruleOf("card_group", row);
    const fields = rule && checked("card_group", row, { title: row.title, order: groupOrder.get(row.id) });
    if (rule && fields) cardGroups.push({ kind: "card_group", lk2Id: row.id, ...rule, fields });
  }

  const themes = new Set(sidebarGroups.map((group) => group.lk2Id));
  const groups = new Set(cardGroups.map((group) => group.lk2Id));
  const tabOrder = ranks(source.tab);
  const sections: PlannedSection[] = [];
  for (const row of source.tab) {
    const groupLk2Id = row.group_theme_id ?? null;
    if (!themes.has(row.tab_theme_id)) {
      skip("section", row, `its tab theme #${row.tab_theme_id} was not imported`);
      continue;
    }
    if (groupLk2Id !== null && !groups.has(groupLk2Id)) {
      skip("section", row, `its group theme #${groupLk2Id} was not imported`);
      continue;
    }
    const platforms = platformsOf(row.platforms);
    if ("none" in platforms) {
      skip("section", row, "it is shown on no platform we serve (web, ios, android)");
      continue;
    }
    const rule = ruleOf("section", row);
    const fields =
      rule &&
      checked("section", row, {
        title: row.title,
        url: row.url,
        icon: row.icon ?? null,
        order: tabOrder.get(row.id),
        sidebar_group_id: 1, // placeholders: the real ids are known once the groups are written
        card_group_id: groupLk2Id === null ? null : 1,
        platforms: platforms.platforms,
      });
    if (rule && fields)
      sections.push({
        kind: "section",
        lk2Id: row.id,
        ...rule,
        fields,
        themeLk2Id: row.tab_theme_id,
        groupLk2Id,
      });
  }

  const bannerOrder = ranks(source.banner);
  const banners: PlannedBanner[] = [];
  for (const row of source.banner) {
    const platforms = platformsOf(row.platforms);
    if ("none" in platforms) {
      skip("banner", row, "it is shown on no platform we serve (web, ios, android)");
      continue;
    }
    const rule = ruleOf("banner", row);
    const fields =
      rule &&
      checked("banner", row, {
        title: row.title,
        image_url: row.image_url,
        link: row.link ?? null,
        order: bannerOrder.get(row.id),
        platforms: platforms.platforms,
      });
    if (rule && fields) banners.push({ kind: "banner", lk2Id: row.id, ...rule, fields });
  }
  return { sidebarGroups, cardGroups, sections, banners, skipped };
}
