import { schema } from "../../db/index.ts";
import { SectionInputSchema, SectionSchema } from "./schemas.ts";
import { defineComponentKind } from "./table.ts";

/** Nothing refers to a section. */
export const sectionKind = defineComponentKind({
  entity: "section",
  noun: "section",
  path: "/sections",
  table: schema.sections,
  inputSchema: SectionInputSchema,
  viewSchema: SectionSchema,
});
