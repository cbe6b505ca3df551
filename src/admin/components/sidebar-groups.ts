import { schema } from "../../db/index.ts";
import { sectionsNaming } from "./references.ts";
import { SidebarGroupInputSchema, SidebarGroupSchema } from "./schemas.ts";
import { defineComponentKind } from "./table.ts";

export const sidebarGroupKind = defineComponentKind({
  entity: "sidebar_group",
  noun: "sidebar group",
  path: "/sidebar-groups",
  table: schema.sidebarGroups,
  inputSchema: SidebarGroupInputSchema,
  viewSchema: SidebarGroupSchema,
  // Its sections hold on to it.
  dependents: sectionsNaming(schema.sections.sidebarGroupId),
});
