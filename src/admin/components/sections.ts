import { eq } from "drizzle-orm";
import { schema } from "../../db/index.ts";
import type { ComponentKind } from "./kind.ts";
import { type SectionInput, SectionInputSchema, SectionSchema, type SectionView } from "./schemas.ts";
import { nextVersion, onlyRow, tableOps } from "./table.ts";

const { sections } = schema;
const rows = tableOps(sections);

function toView(row: typeof sections.$inferSelect): SectionView {
  return {
    id: row.id,
    title: row.title,
    url: row.url,
    icon: row.icon,
    order: row.order,
    sidebar_group_id: row.sidebarGroupId,
    card_group_id: row.cardGroupId,
    platforms: row.platforms,
    rule_id: row.ruleId,
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

const values = (input: SectionInput) => ({
  title: input.title,
  url: input.url,
  icon: input.icon ?? null,
  order: input.order,
  sidebarGroupId: input.sidebar_group_id,
  cardGroupId: input.card_group_id ?? null,
  platforms: input.platforms ?? null,
  ruleId: input.rule_id ?? null,
});

export const sectionKind: ComponentKind<SectionInput, SectionView> = {
  entity: "section",
  noun: "section",
  path: "/sections",
  inputSchema: SectionInputSchema,
  viewSchema: SectionSchema,
  list: async (db) => (await rows.list(db)).map(toView),
  find: async (db, id) => {
    const row = await rows.find(db, id);
    return row && toView(row);
  },
  insert: async (tx, input) => toView(onlyRow(await tx.insert(sections).values(values(input)).returning())),
  update: async (tx, current, input) =>
    toView(
      onlyRow(
        await tx
          .update(sections)
          .set({ ...values(input), ...nextVersion(current) })
          .where(eq(sections.id, current.id))
          .returning(),
      ),
    ),
  remove: (tx, id) => rows.remove(tx, id),
  // Nothing refers to a section.
  dependents: async () => [],
};
