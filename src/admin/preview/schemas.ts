import { z } from "zod";
import { HiddenComponentSchema, UserTabsSchema } from "../../catalog/index.ts";
import { PernrInputSchema, PlatformSchema } from "../../evidence/index.ts";

export const PreviewQuerySchema = z.strictObject({
  personnel_number: PernrInputSchema,
  platform: PlatformSchema,
  evidence: z
    .enum(["read", "all"])
    .optional()
    .describe(
      "`read` (default): the variables the rules read; `all`: every variable (the rule editor's panel)",
    ),
});

export const RuleResultSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  result: z.union([z.boolean(), z.literal("error")]),
  error: z
    .string()
    .optional()
    .describe('Why the rule failed, when result is "error" (it then counts as false)'),
});
export type RuleResult = z.infer<typeof RuleResultSchema>;

export const PreviewSchema = UserTabsSchema.extend({
  rules: z.array(RuleResultSchema).describe("Every enabled rule, by name"),
  hidden: z.array(HiddenComponentSchema).describe("Every component left out, with why"),
  catalog_version: z.number().int().describe("The catalog version this answer was computed on"),
  evidence_stale: z.boolean().describe("True when SAP was unreachable and cached employee data was used"),
  evidence: z
    .record(z.string(), z.unknown())
    .describe("The employee variables the rules read (only those), to see why a rule is true or false"),
});
export type Preview = z.infer<typeof PreviewSchema>;
