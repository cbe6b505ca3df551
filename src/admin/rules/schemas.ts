import { z } from "zod";
import { LIMITS, LK1_APP_CODE } from "../../rules/index.ts";
import { MetaShape, TimestampSchema, TitleSchema } from "../fields.ts";
import { TrialSchema, TrialWarningSchema } from "../trial/schemas.ts";
import { MAX_RULE_NAME_LENGTH, ruleNameProblem } from "./names.ts";

/** The rule engine's one expression length limit (the database checks the same number). */
export const MAX_EXPRESSION_LENGTH = LIMITS.maxExpressionLength;

export const RuleKindSchema = z
  .enum(["expression", "lk1"])
  .describe(
    "`expression` (default): one JavaScript expression over the employee variables. " +
      "`lk1`: the legacy LK1 kind, true when the employee's `apps` holds any of `app_codes` (expression ignored).",
  );

export const RuleNameSchema = z
  .string()
  .trim()
  .max(MAX_RULE_NAME_LENGTH * 4) // long garbage fails here cheaply; the precise message comes below
  .superRefine((name, ctx) => {
    const problem = ruleNameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .describe(
    "How other rules refer to this one: an ASCII JavaScript identifier, unique, not a reserved word, " +
      "an employee variable or a helper name.",
  );

export const ExpressionSchema = z
  .string()
  .max(MAX_EXPRESSION_LENGTH, `at most ${MAX_EXPRESSION_LENGTH} characters`)
  .describe(
    'One JavaScript expression, e.g. `is_manager && region === "R077"`. Not trimmed, so that error ' +
      "lines and columns match what was typed.",
  );

/** The engine's definition of an LK1 code (src/rules: checkLk1), as a schema for the API. */
export const AppCodeSchema = z
  .string()
  .trim()
  .min(1, "an app code may not be empty")
  .max(LIMITS.maxAppCodeLength, `an app code is at most ${LIMITS.maxAppCodeLength} characters`)
  .regex(LK1_APP_CODE, "an app code is ASCII letters, digits or _");

export const AppCodesSchema = z
  .array(AppCodeSchema)
  .max(LIMITS.maxAppCodes, `at most ${LIMITS.maxAppCodes} app codes`)
  .refine((codes) => new Set(codes).size === codes.length, { message: "app codes must not repeat" });

export const RuleInputSchema = z
  .strictObject({
    name: RuleNameSchema,
    title: TitleSchema,
    kind: RuleKindSchema.optional(),
    expression: ExpressionSchema.optional().describe("Required for kind `expression`"),
    app_codes: AppCodesSchema.optional().describe(
      "For kind `lk1` (required there, non-empty): the LK1 application codes",
    ),
    enabled: z.boolean().optional().describe("Default true. A disabled rule is false for everyone."),
  })
  .describe(
    "POST creates; PUT replaces name and title and any other field it names; fields a PUT leaves out " +
      "keep their current values. The field the kind does not use (`app_codes` for `expression`, " +
      "`expression` for `lk1`) is stored empty.",
  );
export type RuleInput = z.infer<typeof RuleInputSchema>;

export const RuleSchema = z.object({
  ...MetaShape,
  name: z.string(),
  title: z.string(),
  kind: RuleKindSchema,
  expression: z.string(),
  app_codes: z.array(z.string()),
  enabled: z.boolean(),
  depends_on: z
    .array(z.string())
    .describe("The other rules this expression refers to (from the static check)"),
  warnings: z
    .array(TrialWarningSchema)
    .optional()
    .describe(
      "Only on the answer to a change, when the trial at save had something to say: the rule fails " +
        "for some sample employees, or is true (false) for all of them. The change was made.",
    ),
});
export type RuleView = z.infer<typeof RuleSchema>;

export const RuleProblemSchema = z.object({
  message: z.string(),
  line: z.number().int().describe("1-based"),
  column: z.number().int().describe("1-based"),
});

export const RuleSlipSchema = z.object({
  kind: z.enum(["word_operator", "single_equals", "python_in", "include"]),
  found: z.string().describe("What was written"),
  write: z.string().describe("What to write instead"),
  line: z.number().int().describe("1-based, where `found` starts"),
  column: z.number().int().describe("1-based"),
  advice: z.string(),
});

export const ValidateRequestSchema = z.strictObject({
  expression: ExpressionSchema,
  name: z
    .string()
    .trim()
    .max(256)
    .optional()
    .describe("The rule being edited, if any (for cycles through it)"),
  kind: RuleKindSchema.optional(),
  app_codes: AppCodesSchema.optional(),
  enabled: z
    .boolean()
    .optional()
    .describe("Default true: an enabled rule may refer only to enabled rules; a disabled one to any rule"),
});

export const ValidateResultSchema = z.object({
  valid: z.boolean().describe("Whether it passes the static check (a save also needs `trial.passed`)"),
  errors: z.array(RuleProblemSchema),
  warnings: z.array(TrialWarningSchema).describe("The trial's warnings (empty when it did not run)"),
  trial: TrialSchema.nullable().describe("The trial at save, run as on save; null when the check failed"),
  variables: z.array(z.string()).describe("Employee variables it reads"),
  rules: z.array(z.string()).describe("Other rules it refers to"),
  helpers: z.array(z.string()).describe("Helpers it calls"),
  slips: z
    .array(RuleSlipSchema)
    .describe(
      "Usual slips: when the check failed, the one that caused it (`и` for `&&`, `=` for `===`); when it " +
        'passed, valid JavaScript that likely means something else (`"cashier" in roles`, `.include`)',
    ),
});
export type ValidateResult = z.infer<typeof ValidateResultSchema>;

/** One stored ruleVersion of a rule: its fields as they were, who made it, when. */
export const RuleRevisionSchema = RuleSchema.pick({
  name: true,
  title: true,
  kind: true,
  expression: true,
  app_codes: true,
  enabled: true,
}).extend({
  version: z.number().int().describe("The ruleVersion it was"),
  author: z.string(),
  created_at: TimestampSchema,
});
export type RuleRevisionView = z.infer<typeof RuleRevisionSchema>;

export const RollbackRequestSchema = z.strictObject({
  version: z.number().int().positive().describe("The revision to make current again (as a new version)"),
});
