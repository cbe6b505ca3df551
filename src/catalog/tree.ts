import type { Platform } from "../evidence/index.ts";
import { type RuleResults, textMatches } from "../rules/index.ts";
import type { ComponentKind, HiddenComponent, Section, UserTabs } from "./model.ts";
import type { CatalogSnapshot } from "./snapshot.ts";

export interface TabsRequest {
  platform: Platform;
  query?: string;
  now: Date;
}

export interface TabsTree {
  tabs: UserTabs;
  /** Why each component that is not in `tabs` was left out (for the admin preview). */
  hidden: HiddenComponent[];
}

/**
 * The home page for one employee with the reason each left-out component is left out (the admin
 * preview): a pure function of the snapshot, that employee's rule results and the request.
 */
export function buildTabs(snapshot: CatalogSnapshot, results: RuleResults, request: TabsRequest): TabsTree {
  const hidden: HiddenComponent[] = [];
  return { tabs: tree(snapshot, results, request, hidden), hidden };
}

/** The same tree without the reasons: what /user.tabs serves (no reason string is built). */
export function visibleTabs(snapshot: CatalogSnapshot, results: RuleResults, request: TabsRequest): UserTabs {
  return tree(snapshot, results, request, null);
}

/** Stands for "hidden" when nobody asked why. */
const HIDDEN = "hidden";

/**
 * One implementation for both: `hidden` null means no reasons are wanted, and then none is
 * built. Components arrive sorted by (order, id) in the snapshot; sections come from the
 * snapshot's layout, grouped once per snapshot.
 */
function tree(
  snapshot: CatalogSnapshot,
  results: RuleResults,
  request: TabsRequest,
  hidden: HiddenComponent[] | null,
): UserTabs {
  const { layout } = snapshot;
  const hide = (kind: ComponentKind, id: number, reason: string) => {
    hidden?.push({ kind, id, reason });
    return false;
  };
  /** Why the component's rule hides it, or null when it lets it show. */
  const ruleVerdict = (ruleId: number | null): string | null => {
    if (ruleId === null) return null;
    const rule = snapshot.rulesById.get(ruleId);
    if (!rule) return hidden ? `rule #${ruleId} disabled` : HIDDEN;
    const outcome = results.get(rule.name);
    if (outcome?.ok && outcome.value) return null;
    if (!hidden) return HIDDEN;
    if (!outcome) return `rule ${rule.name} not evaluated`;
    return outcome.ok ? `rule ${rule.name} false` : `rule ${rule.name} error`;
  };
  const onPlatform = (platforms: string[] | null) =>
    platforms === null || platforms.includes(request.platform);

  const visibleSidebar = new Set<number>();
  for (const group of snapshot.sidebarGroups) {
    const why = ruleVerdict(group.ruleId);
    if (why) hide("sidebar_group", group.id, why);
    else visibleSidebar.add(group.id);
  }
  const visibleCards = new Set<number>();
  for (const group of snapshot.cardGroups) {
    const why = ruleVerdict(group.ruleId);
    if (why) hide("card_group", group.id, why);
    else visibleCards.add(group.id);
  }

  const query = request.query ?? "";
  // A visible section is listed under its sidebar group when that group is visible, and in its
  // card group when that one is, each on its own (as LK2 does); it is hidden only when it has
  // nowhere to show.
  const visible = new Set<number>();
  for (const section of snapshot.sections) {
    if (sectionShows(section)) visible.add(section.id);
  }
  function sectionShows(section: Section): boolean {
    const why = ruleVerdict(section.ruleId);
    if (why) return hide("section", section.id, why);
    if (!onPlatform(section.platforms)) return hide("section", section.id, "platform");
    const placed =
      visibleSidebar.has(section.sidebarGroupId) ||
      (section.cardGroupId !== null && visibleCards.has(section.cardGroupId));
    if (!placed) return hide("section", section.id, "group hidden");
    if (query && !textMatches(section.title, query)) return hide("section", section.id, "query");
    return true;
  }
  const tabsOf = (sections: readonly Section[] | undefined) => {
    const tabs = [];
    for (const s of sections ?? []) if (visible.has(s.id)) tabs.push(layout.sectionTabs.get(s.id) as Tab);
    return tabs;
  };

  const sidebar: UserTabs["sidebar"] = [];
  for (const g of snapshot.sidebarGroups) {
    if (!visibleSidebar.has(g.id)) continue;
    const sections = tabsOf(layout.sectionsBySidebar.get(g.id));
    if (sections.length > 0) sidebar.push({ id: g.id, title: g.title, icon: g.icon, sections });
    else hide("sidebar_group", g.id, "no visible sections");
  }
  const cards: UserTabs["cards"] = [];
  for (const g of snapshot.cardGroups) {
    if (!visibleCards.has(g.id)) continue;
    const sections = tabsOf(layout.sectionsByCard.get(g.id));
    if (sections.length > 0) cards.push({ id: g.id, title: g.title, sections });
    else hide("card_group", g.id, "no visible sections");
  }

  const t = request.now.getTime();
  const banners: UserTabs["banners"] = [];
  for (const banner of snapshot.banners) {
    const why = ruleVerdict(banner.ruleId);
    if (why) hide("banner", banner.id, why);
    else if (!onPlatform(banner.platforms)) hide("banner", banner.id, "platform");
    else if (
      (banner.startsAt && t < banner.startsAt.getTime()) ||
      (banner.endsAt && t >= banner.endsAt.getTime())
    )
      hide("banner", banner.id, "outside window");
    else banners.push(layout.bannerTabs.get(banner.id) as UserTabs["banners"][number]);
  }

  return { banners, cards, sidebar };
}

type Tab = UserTabs["sidebar"][number]["sections"][number];
