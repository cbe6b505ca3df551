import { eq } from "drizzle-orm";
import { schema } from "../../db/index.ts";
import { CardGroupInputSchema, CardGroupSchema } from "./schemas.ts";
import { defineComponentKind } from "./table.ts";

const { sections } = schema;

export const cardGroupKind = defineComponentKind({
  entity: "card_group",
  noun: "card group",
  path: "/card-groups",
  table: schema.cardGroups,
  inputSchema: CardGroupInputSchema,
  viewSchema: CardGroupSchema,
  // Its sections hold on to it.
  dependents: async (tx, id) =>
    (
      await tx
        .select({ id: sections.id, title: sections.title })
        .from(sections)
        .where(eq(sections.cardGroupId, id))
    ).map((s) => ({ kind: "section" as const, id: s.id, label: s.title })),
});
