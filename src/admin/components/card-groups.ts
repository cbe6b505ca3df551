import { eq } from "drizzle-orm";
import { schema } from "../../db/index.ts";
import type { ComponentKind } from "./kind.ts";
import { type CardGroupInput, CardGroupInputSchema, CardGroupSchema, type CardGroupView } from "./schemas.ts";
import { nextVersion, onlyRow, tableOps } from "./table.ts";

const { cardGroups, sections } = schema;
const rows = tableOps(cardGroups);

function toView(row: typeof cardGroups.$inferSelect): CardGroupView {
  return {
    id: row.id,
    title: row.title,
    order: row.order,
    rule_id: row.ruleId,
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

const values = (input: CardGroupInput) => ({
  title: input.title,
  order: input.order,
  ruleId: input.rule_id ?? null,
});

export const cardGroupKind: ComponentKind<CardGroupInput, CardGroupView> = {
  entity: "card_group",
  noun: "card group",
  path: "/card-groups",
  inputSchema: CardGroupInputSchema,
  viewSchema: CardGroupSchema,
  list: async (db) => (await rows.list(db)).map(toView),
  find: async (db, id) => {
    const row = await rows.find(db, id);
    return row && toView(row);
  },
  insert: async (tx, input) => toView(onlyRow(await tx.insert(cardGroups).values(values(input)).returning())),
  update: async (tx, current, input) =>
    toView(
      onlyRow(
        await tx
          .update(cardGroups)
          .set({ ...values(input), ...nextVersion(current) })
          .where(eq(cardGroups.id, current.id))
          .returning(),
      ),
    ),
  remove: (tx, id) => rows.remove(tx, id),
  dependents: async (tx, id) =>
    (
      await tx
        .select({ id: sections.id, title: sections.title })
        .from(sections)
        .where(eq(sections.cardGroupId, id))
    ).map((s) => ({ kind: "section" as const, id: s.id, label: s.title })),
};
