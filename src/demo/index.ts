/** The demo catalog (Russian titles over the demo SAP directory) and how to seed it. */
export type { DemoBanner, DemoRule, DemoSection, DemoSidebarGroup } from "./catalog.ts";
export { DEMO_BANNERS, DEMO_CARD_GROUPS, DEMO_RULES, DEMO_SIDEBAR } from "./catalog.ts";
export { seedDemoCatalog } from "./seed.ts";
