import { z } from "zod";
import { TRIAL_SAMPLE_SIZE } from "./sample.ts";

export const TrialWarningSchema = z
  .object({
    message: z.string(),
    personnel_number: z.string().optional().describe("A sample employee it is about (999999xx: synthetic)"),
  })
  .describe("Something worth a second look; the rule was accepted");
export type TrialWarningView = z.infer<typeof TrialWarningSchema>;

export const TrialProblemSchema = z
  .object({
    message: z.string(),
    personnel_number: z.string().describe("The sample employee it happened for (999999xx: synthetic)"),
    kind: z
      .enum(["throw", "oom", "stack", "budget", "hang", "crash", "load", "compile", "skipped"])
      .describe("How the rule failed"),
  })
  .describe("Why the trial refuses the rule (the `details` of the 422 on save)");

export const TrialSchema = z
  .object({
    passed: z.boolean().describe("Whether a save would get past the trial"),
    problems: z.array(TrialProblemSchema).describe("Empty when it passed"),
    warnings: z.array(TrialWarningSchema),
    results: z
      .object({ true: z.number().int(), false: z.number().int(), failed: z.number().int() })
      .describe("Outcomes over the employees it was run for"),
    sample: z.object({
      size: z.number().int().describe(`Employees in the sample (${TRIAL_SAMPLE_SIZE})`),
      origin: z
        .enum(["directory", "demo", "recent", "synthetic"])
        .describe(
          "Where its real employees come from: the synced employee directory, the demo directory, " +
            "recently seen evidence, or none (synthetic and demo-directory employees only)",
        ),
      synthetic: z.number().int().describe("Of them, synthetic awkward ones (null birthday, no roles, …)"),
    }),
    evaluated: z.number().int().describe("Employees it was run for: it stops at the first refusing failure"),
    cut_short: z.boolean().describe("It ran out of time before the end of the sample"),
    ms: z.number().describe("How long the trial took"),
  })
  .describe(
    "The trial at save: the rule, with the rules it reads, run over a fixed sample of employees in a " +
      "sandbox that serves no one. Refused: over the CPU budget, out of memory, hanging or crashing " +
      "the sandbox for any one employee, or failing for every one. Warnings: failing for some, true " +
      "(or false) for all.",
  );
