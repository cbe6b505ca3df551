import { z } from "zod";
import { PlatformSchema } from "../../evidence/index.ts";

export const ImpactRequestSchema = z.strictObject({
  expression: z
    .string()
    .min(1)
    .max(20_000)
    .describe("an unsaved rule expression; it may read saved rules by name"),
  platform: PlatformSchema.optional().describe("the `platform` the rule sees (default web)"),
});
export type ImpactRequest = z.infer<typeof ImpactRequestSchema>;

export const ImpactQuerySchema = z.strictObject({ platform: PlatformSchema.optional() });

const SampleEmployeeSchema = z.object({
  personnel_number: z.string(),
  full_name: z.string(),
  position: z.string(),
  region_name: z.string(),
});

export const ImpactResultSchema = z.object({
  matches: z.number().int().describe("employees of the copy the rule is true for"),
  total: z.number().int().describe("employees in the copy"),
  errors: z.number().int().describe("employees the rule failed for (it is false for them)"),
  sample_matching: z.array(SampleEmployeeSchema).describe("a few it is true for (by personnel number)"),
  sample_not: z.array(SampleEmployeeSchema).describe("a few it is false for"),
  first_errors: z
    .array(z.object({ personnel_number: z.string(), kind: z.string(), message: z.string() }))
    .describe("the first few failures, with the employee"),
  evaluated: z
    .number()
    .int()
    .describe("employees evaluated: less than total when the estimate was cut short"),
  cut_short: z.string().nullable().describe("why not every employee was evaluated (a rule over its limits)"),
  directory_synced_at: z.string().nullable().describe("when the copy was synced from SAP"),
  ms: z.number().int().describe("time of the estimate"),
});
export type ImpactResult = z.infer<typeof ImpactResultSchema>;
