export { type Answer, AnswerCache, answerKey, etagOf, type RuleFacts, ruleFacts } from "./answer.ts";
export { buildLayout, type LayoutParts, type TabsLayout, windowState } from "./layout.ts";
export type {
  Banner,
  CardGroup,
  ComponentKind,
  HiddenComponent,
  Section,
  SidebarGroup,
  UserTabs,
} from "./model.ts";
export { ComponentKindSchema, HiddenComponentSchema, TabsRequestSchema, UserTabsSchema } from "./model.ts";
export {
  type AwaitMarks,
  type PersonaliseDeps,
  type Personalised,
  type PersonaliseRequest,
  personalise,
  type Resolved,
  resolveEmployee,
} from "./personalise.ts";
export { buildSnapshot, type CatalogData, type CatalogSnapshot, loadCatalogData } from "./snapshot.ts";
export { CATALOG_CHANNEL, CatalogStore, type CatalogStoreDeps } from "./store.ts";
export { buildTabs, type TabsRequest, type TabsTree, visibleTabs } from "./tree.ts";
export { bumpCatalogVersion, readCatalogVersion } from "./version.ts";
