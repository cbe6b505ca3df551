import { eq } from "drizzle-orm";
import { schema } from "../../db/index.ts";
import type { ComponentKind } from "./kind.ts";
import {
  type SidebarGroupInput,
  SidebarGroupInputSchema,
  SidebarGroupSchema,
  type SidebarGroupView,
} from "./schemas.ts";
import { nextVersion, onlyRow, tableOps } from "./table.ts";

const { sidebarGroups, sections } = schema;
const rows = tableOps(sidebarGroups);

function toView(row: typeof sidebarGroups.$inferSelect): SidebarGroupView {
  return {
    id: row.id,
    title: row.title,
    icon: row.icon,
    order: row.order,
    rule_id: row.ruleId,
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

const values = (input: SidebarGroupInput) => ({
  title: input.title,
  icon: input.icon ?? null,
  order: input.order,
  ruleId: input.rule_id ?? null,
});

export const sidebarGroupKind: ComponentKind<SidebarGroupInput, SidebarGroupView> = {
  entity: "sidebar_group",
  noun: "sidebar group",
  path: "/sidebar-groups",
  inputSchema: SidebarGroupInputSchema,
  viewSchema: SidebarGroupSchema,
  list: async (db) => (await rows.list(db)).map(toView),
  find: async (db, id) => {
    const row = await rows.find(db, id);
    return row && toView(row);
  },
  insert: async (tx, input) =>
    toView(onlyRow(await tx.insert(sidebarGroups).values(values(input)).returning())),
  update: async (tx, current, input) =>
    toView(
      onlyRow(
        await tx
          .update(sidebarGroups)
          .set({ ...values(input), ...nextVersion(current) })
          .where(eq(sidebarGroups.id, current.id))
          .returning(),
      ),
    ),
  remove: (tx, id) => rows.remove(tx, id),
  dependents: async (tx, id) =>
    (
      await tx
        .select({ id: sections.id, title: sections.title })
        .from(sections)
        .where(eq(sections.sidebarGroupId, id))
    ).map((s) => ({ kind: "section" as const, id: s.id, label: s.title })),
};
