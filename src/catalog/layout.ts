import type { Banner, CardGroup, Section, SidebarGroup, UserTabs } from "./model.ts";

type TabSection = UserTabs["sidebar"][number]["sections"][number];
type TabBanner = UserTabs["banners"][number];

/** The components a layout is built from, sorted by (order, id) as the snapshot holds them. */
export interface LayoutParts {
  readonly rulesById: ReadonlyMap<number, { readonly name: string }>;
  readonly sidebarGroups: readonly SidebarGroup[];
  readonly cardGroups: readonly CardGroup[];
  readonly sections: readonly Section[];
  readonly banners: readonly Banner[];
}

/**
 * What every request would otherwise work out again from the components: built once per
 * snapshot and never mutated. The answer objects of sections and banners are built here too, so
 * a tree shares them instead of copying them.
 */
export interface TabsLayout {
  /** A sidebar group's sections, in order (every section has one). */
  readonly sectionsBySidebar: ReadonlyMap<number, readonly Section[]>;
  /** A card group's sections, in order. */
  readonly sectionsByCard: ReadonlyMap<number, readonly Section[]>;
  readonly sectionTabs: ReadonlyMap<number, TabSection>;
  readonly bannerTabs: ReadonlyMap<number, TabBanner>;
  /**
   * The enabled rules some component uses, each once: the only rule outcomes a tree depends on
   * (a component whose rule is disabled is hidden whatever the employee).
   */
  readonly componentRules: readonly string[];
  /**
   * Every banner window's start and end (ms), sorted, each once. How many of them are ≤ now
   * tells which windows are open: between two edges no banner opens or closes.
   */
  readonly windowEdges: readonly number[];
}

export function buildLayout(parts: LayoutParts): TabsLayout {
  const sectionsBySidebar = new Map<number, Section[]>();
  const sectionsByCard = new Map<number, Section[]>();
  const sectionTabs = new Map<number, TabSection>();
  for (const section of parts.sections) {
    push(sectionsBySidebar, section.sidebarGroupId, section);
    if (section.cardGroupId !== null) push(sectionsByCard, section.cardGroupId, section);
    const { id, title, url, icon } = section;
    sectionTabs.set(id, Object.freeze({ id, title, url, icon }));
  }
  const bannerTabs = new Map<number, TabBanner>();
  const edges = new Set<number>();
  for (const banner of parts.banners) {
    const { id, title, imageUrl, link } = banner;
    bannerTabs.set(id, Object.freeze({ id, title, image_url: imageUrl, link }));
    if (banner.startsAt) edges.add(banner.startsAt.getTime());
    if (banner.endsAt) edges.add(banner.endsAt.getTime());
  }
  const componentRules = new Set<string>();
  for (const component of [
    ...parts.sidebarGroups,
    ...parts.cardGroups,
    ...parts.sections,
    ...parts.banners,
  ]) {
    const rule = component.ruleId === null ? undefined : parts.rulesById.get(component.ruleId);
    if (rule) componentRules.add(rule.name);
  }
  return Object.freeze({
    sectionsBySidebar,
    sectionsByCard,
    sectionTabs,
    bannerTabs,
    componentRules: Object.freeze([...componentRules].sort()),
    windowEdges: Object.freeze([...edges].sort((a, b) => a - b)),
  });
}

/** Which banner windows are open at `ms`, as one number: the count of window edges at or before it. */
export function windowState(layout: TabsLayout, ms: number): number {
  const edges = layout.windowEdges;
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((edges[mid] as number) <= ms) low = mid + 1;
    else high = mid;
  }
  return low;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
