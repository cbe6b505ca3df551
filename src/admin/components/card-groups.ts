import { schema } from "../../db/index.ts";
import { sectionsNaming } from "./references.ts";
import { CardGroupInputSchema, CardGroupSchema } from "./schemas.ts";
import { defineComponentKind } from "./table.ts";

export const cardGroupKind = defineComponentKind({
  entity: "card_group",
  noun: "card group",
  path: "/card-groups",
  table: schema.cardGroups,
  inputSchema: CardGroupInputSchema,
  viewSchema: CardGroupSchema,
  // Its sections hold on to it.
  dependents: sectionsNaming(schema.sections.cardGroupId),
});
