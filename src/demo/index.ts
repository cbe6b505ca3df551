/** The demo catalog (Russian titles over the demo SAP directory) and how to seed it. */
export type { DemoRule } from "./catalog.ts";
export { DEMO_RULES } from "./catalog.ts";
export type { DemoBanner, DemoSection, DemoSidebarGroup } from "./layout.ts";
export { DEMO_BANNERS, DEMO_CARD_GROUPS, DEMO_SIDEBAR } from "./layout.ts";
export { seedDemoCatalog } from "./seed.ts";
