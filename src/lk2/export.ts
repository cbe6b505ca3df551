import { z } from "zod";
import { invalidInput, issueDetails } from "../errors.ts";

/**
 * An LK2 export (docs/integrations.md): the rows of its five catalog tables, one object per
 * row with the column names. Extra columns (Django adds its own) are ignored; the ones we read
 * are typed. This one schema validates the JSON file, the HTTP body and the rows read from an
 * LK2 database, and documents the body in OpenAPI.
 */

const Id = z.number().int().positive().max(2_147_483_647);
const Text = z.string().max(100_000);
// No transforms here: the OpenAPI document is generated from these schemas (z.toJSONSchema).
const OptionalText = Text.nullish();
const RuleRef = Id.nullish().describe("null: visible to everyone");
const Order = z.number().int().describe("ascending, ties by id");
const Platforms = z.array(z.string().max(100)).max(20).nullish().describe("null: every platform");

export const Lk2RuleSchema = z.object({
  id: Id,
  title: Text,
  value: Text.describe("A Python expression, or LK1 application codes when lk1"),
  executable: z.boolean(),
  lk1: z.boolean(),
  name: OptionalText.describe("In newer installs; else the rule is rule_<id> to other rules"),
});

/** What LK2's four component tables have in common. */
const Lk2ComponentRow = z.object({
  id: Id,
  name: OptionalText,
  title: Text,
  order: Order,
  rule_id: RuleRef,
});

export const Lk2TabThemeSchema = Lk2ComponentRow.extend({ icon: OptionalText });

export const Lk2GroupThemeSchema = Lk2ComponentRow;

export const Lk2TabSchema = Lk2ComponentRow.extend({
  url: Text,
  icon: OptionalText,
  tab_theme_id: Id,
  group_theme_id: Id.nullish(),
  platforms: Platforms,
});

export const Lk2BannerSchema = Lk2ComponentRow.extend({
  image_url: Text,
  link: OptionalText,
  platforms: Platforms,
});

const uniqueIds = <T extends { id: number }>(rows: T[]) =>
  new Set(rows.map((row) => row.id)).size === rows.length;
const table = <S extends z.ZodType<{ id: number }>>(row: S, name: string) =>
  z
    .array(row)
    .max(20_000)
    .default([])
    .refine(uniqueIds, { message: `${name}: ids must be unique` });

export const Lk2ExportSchema = z
  .object({
    rule: table(Lk2RuleSchema, "rule"),
    tab_theme: table(Lk2TabThemeSchema, "tab_theme"),
    group_theme: table(Lk2GroupThemeSchema, "group_theme"),
    tab: table(Lk2TabSchema, "tab"),
    banner: table(Lk2BannerSchema, "banner"),
  })
  .describe(
    "An LK2 export: `{ rule, tab_theme, group_theme, tab, banner }`, each the rows of that table " +
      "(docs/integrations.md). Unknown columns are ignored.",
  );

export type Lk2Export = z.output<typeof Lk2ExportSchema>;
export type Lk2Rule = z.output<typeof Lk2RuleSchema>;
export type Lk2TabTheme = z.output<typeof Lk2TabThemeSchema>;
export type Lk2GroupTheme = z.output<typeof Lk2GroupThemeSchema>;
export type Lk2Tab = z.output<typeof Lk2TabSchema>;
export type Lk2Banner = z.output<typeof Lk2BannerSchema>;

/** The export validated, or 422 `validation_failed` naming each bad field (path and message). */
export function parseLk2Export(input: unknown): Lk2Export {
  const parsed = Lk2ExportSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw invalidInput("body", issueDetails(parsed.error.issues), "not an LK2 export");
}
