import { eq } from "drizzle-orm";
import { schema } from "../../db/index.ts";
import { SidebarGroupInputSchema, SidebarGroupSchema } from "./schemas.ts";
import { defineComponentKind } from "./table.ts";

const { sections } = schema;

export const sidebarGroupKind = defineComponentKind({
  entity: "sidebar_group",
  noun: "sidebar group",
  path: "/sidebar-groups",
  table: schema.sidebarGroups,
  inputSchema: SidebarGroupInputSchema,
  viewSchema: SidebarGroupSchema,
  // Its sections hold on to it.
  dependents: async (tx, id) =>
    (
      await tx
        .select({ id: sections.id, title: sections.title })
        .from(sections)
        .where(eq(sections.sidebarGroupId, id))
    ).map((s) => ({ kind: "section" as const, id: s.id, label: s.title })),
});
