import type { Platform } from "../evidence/index.ts";
import { type RuleResults, textMatches } from "../rules/index.ts";
import type { Banner, ComponentKind, HiddenComponent, Section, UserTabs } from "./model.ts";
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
 * The home page for one employee: a pure function of the snapshot, that employee's rule
 * results and the request. Components arrive sorted by (order, id) in the snapshot.
 */
export function buildTabs(snapshot: CatalogSnapshot, results: RuleResults, request: TabsRequest): TabsTree {
  const hidden: HiddenComponent[] = [];
  const hide = (kind: ComponentKind, id: number, reason: string) => {
    hidden.push({ kind, id, reason });
    return false;
  };
  const ruleVerdict = (ruleId: number | null): string | null => {
    if (ruleId === null) return null;
    const rule = snapshot.rulesById.get(ruleId);
    if (!rule) return `rule #${ruleId} disabled`;
    const outcome = results.get(rule.name);
    if (!outcome) return `rule ${rule.name} not evaluated`;
    if (!outcome.ok) return `rule ${rule.name} error`;
    return outcome.value ? null : `rule ${rule.name} false`;
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
  const sectionVisible = (section: Section): boolean => {
    const why = ruleVerdict(section.ruleId);
    if (why) return hide("section", section.id, why);
    if (!onPlatform(section.platforms)) return hide("section", section.id, "platform");
    const placed =
      visibleSidebar.has(section.sidebarGroupId) ||
      (section.cardGroupId !== null && visibleCards.has(section.cardGroupId));
    if (!placed) return hide("section", section.id, "group hidden");
    if (query && !textMatches(section.title, query)) return hide("section", section.id, "query");
    return true;
  };
  const sections = snapshot.sections.filter(sectionVisible);

  const toTab = (s: Section) => ({ id: s.id, title: s.title, url: s.url, icon: s.icon });
  const sidebar = snapshot.sidebarGroups
    .filter((g) => visibleSidebar.has(g.id))
    .map((g) => ({
      id: g.id,
      title: g.title,
      icon: g.icon,
      sections: sections.filter((s) => s.sidebarGroupId === g.id).map(toTab),
    }))
    .filter((g) => g.sections.length > 0 || hide("sidebar_group", g.id, "no visible sections"));
  const cards = snapshot.cardGroups
    .filter((g) => visibleCards.has(g.id))
    .map((g) => ({
      id: g.id,
      title: g.title,
      sections: sections.filter((s) => s.cardGroupId === g.id).map(toTab),
    }))
    .filter((g) => g.sections.length > 0 || hide("card_group", g.id, "no visible sections"));

  const bannerVisible = (banner: Banner): boolean => {
    const why = ruleVerdict(banner.ruleId);
    if (why) return hide("banner", banner.id, why);
    if (!onPlatform(banner.platforms)) return hide("banner", banner.id, "platform");
    const t = request.now.getTime();
    if (
      (banner.startsAt && t < banner.startsAt.getTime()) ||
      (banner.endsAt && t >= banner.endsAt.getTime())
    ) {
      return hide("banner", banner.id, "outside window");
    }
    return true;
  };
  const banners = snapshot.banners
    .filter(bannerVisible)
    .map((b) => ({ id: b.id, title: b.title, image_url: b.imageUrl, link: b.link }));

  return { tabs: { banners, cards, sidebar }, hidden };
}
