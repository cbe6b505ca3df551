/**
 * Our own catalog as one JSON document: what `GET /admin/export` answers and what
 * `POST /admin/import` and `bun run catalog:import` take. One schema for the answer, the body,
 * the CLI's file and the types, and the OpenAPI document is generated from it (so: no transforms).
 * Every field takes what the admin API takes (the same field schemas), so an import cannot store
 * what an admin could not type. Nothing refers to a database id: rules are named by name,
 * components by their key (catalog-keys.ts), and the document must hold whatever it refers to.
 */
import { z } from "zod";
import { invalidInput, issueDetails } from "../../errors.ts";
import {
  BannerInputSchema,
  CardGroupInputSchema,
  SectionInputSchema,
  SidebarGroupInputSchema,
} from "../components/schemas.ts";
import { LinkSchema, TitleSchema } from "../fields.ts";
import { AppCodesSchema, ExpressionSchema, RuleInputSchema, RuleNameSchema } from "../rules/schemas.ts";
import { componentKeys } from "./catalog-keys.ts";

export const CATALOG_FORMAT = "lk-catalog";
export const CATALOG_FORMAT_VERSION = 1;

export const CatalogKindSchema = z.enum(["rule", "sidebar_group", "card_group", "section", "banner"]);
export type CatalogKind = z.infer<typeof CatalogKindSchema>;
export type CatalogComponentKind = Exclude<CatalogKind, "rule">;

const RuleLinkSchema = z
  .string()
  .max(256)
  .nullable()
  .describe("The name of the rule that gates it, a rule of this document (null: always visible)");
const KeyLinkSchema = (what: string) =>
  z
    .string()
    .max(2100)
    .describe(`${what}, by its key in this document: its title (\`<title> #2\` for the second of a title)`);

/**
 * Each entry is the admin API's own input schema with every field required (the document says
 * what it means, nothing is left to a default) and links by name or key instead of by id.
 */
const KEYED_BY_TITLE = "Keyed by title (`<title> #2` for the second of a title, in this list's order)";

export const CatalogRuleSchema = RuleInputSchema.required().extend({
  name: RuleNameSchema.describe("The rule's identity: the import matches rules by name"),
  expression: ExpressionSchema.describe('For kind `expression`; "" for `lk1`'),
  app_codes: AppCodesSchema.describe("For kind `lk1`; [] for `expression`"),
  enabled: z.boolean().describe("A disabled rule is false for everyone"),
});

export const CatalogSidebarGroupSchema = SidebarGroupInputSchema.omit({ rule_id: true })
  .required()
  .extend({
    title: TitleSchema.describe("Its key: sections name their sidebar group by it"),
    rule: RuleLinkSchema,
  })
  .describe(KEYED_BY_TITLE);

export const CatalogCardGroupSchema = CardGroupInputSchema.omit({ rule_id: true })
  .required()
  .extend({
    title: TitleSchema.describe("Its key: sections name their card group by it"),
    rule: RuleLinkSchema,
  })
  .describe(KEYED_BY_TITLE);

export const CatalogSectionSchema = SectionInputSchema.omit({
  rule_id: true,
  sidebar_group_id: true,
  card_group_id: true,
})
  .required()
  .extend({
    url: LinkSchema.describe("Its key: the import matches sections by url"),
    sidebar_group: KeyLinkSchema("The sidebar group it belongs to"),
    card_group: KeyLinkSchema("The card group it also shows in, if any").nullable(),
    rule: RuleLinkSchema,
  })
  .describe("Keyed by url (`<url> #2` for the second of a url, in this list's order)");

export const CatalogBannerSchema = BannerInputSchema.omit({ rule_id: true })
  .required()
  .extend({
    title: TitleSchema.describe("Its key: the import matches banners by title"),
    rule: RuleLinkSchema,
  })
  .describe(KEYED_BY_TITLE);

const list = <S extends z.ZodType>(row: S) => z.array(row).max(20_000);

export const CatalogExportSchema = z
  .strictObject({
    format: z.literal(CATALOG_FORMAT),
    format_version: z
      .literal(CATALOG_FORMAT_VERSION)
      .describe("Bumped when the shape changes; an importer refuses a version it does not know"),
    exported_at: z.iso.datetime({ offset: true }).optional().describe("When it was exported (not imported)"),
    catalog_version: z
      .number()
      .int()
      .optional()
      .describe("The catalog version it was exported at, on the instance it came from (not imported)"),
    rules: list(CatalogRuleSchema),
    sidebar_groups: list(CatalogSidebarGroupSchema),
    card_groups: list(CatalogCardGroupSchema),
    sections: list(CatalogSectionSchema),
    banners: list(CatalogBannerSchema),
  })
  .superRefine((document, ctx) => {
    for (const problem of documentProblems(document)) {
      ctx.addIssue({ code: "custom", message: problem.message, path: problem.path });
    }
  })
  .describe(
    "The whole catalog: rules (by name) and components, which name their rule by its name and " +
      "(sections) their sidebar group and card group by key. Whatever it refers to must be in it.",
  );

export type CatalogExport = z.output<typeof CatalogExportSchema>;
export type CatalogRule = CatalogExport["rules"][number];
export type CatalogSidebarGroup = CatalogExport["sidebar_groups"][number];
export type CatalogCardGroup = CatalogExport["card_groups"][number];
export type CatalogSection = CatalogExport["sections"][number];
export type CatalogBanner = CatalogExport["banners"][number];

type Shape = Omit<CatalogExport, "format" | "format_version" | "exported_at" | "catalog_version">;

/** What the document must hold together: unique rule names, links that resolve, banner windows. */
function documentProblems(document: Shape): Array<{ path: Array<string | number>; message: string }> {
  const problems: Array<{ path: Array<string | number>; message: string }> = [];
  const names = new Set<string>();
  document.rules.forEach((rule, i) => {
    if (names.has(rule.name))
      problems.push({ path: ["rules", i, "name"], message: `rule ${rule.name} repeats` });
    names.add(rule.name);
  });
  const ruleLinks = (kind: keyof Shape, rows: ReadonlyArray<{ rule: string | null }>) =>
    rows.forEach((row, i) => {
      if (row.rule !== null && !names.has(row.rule)) {
        problems.push({ path: [kind, i, "rule"], message: `no rule named ${row.rule} in this document` });
      }
    });
  ruleLinks("sidebar_groups", document.sidebar_groups);
  ruleLinks("card_groups", document.card_groups);
  ruleLinks("sections", document.sections);
  ruleLinks("banners", document.banners);
  const groups = new Set(componentKeys("sidebar_group", document.sidebar_groups));
  const cards = new Set(componentKeys("card_group", document.card_groups));
  document.sections.forEach((section, i) => {
    if (!groups.has(section.sidebar_group)) {
      problems.push({
        path: ["sections", i, "sidebar_group"],
        message: `no sidebar group “${section.sidebar_group}” in this document`,
      });
    }
    if (section.card_group !== null && !cards.has(section.card_group)) {
      problems.push({
        path: ["sections", i, "card_group"],
        message: `no card group “${section.card_group}” in this document`,
      });
    }
  });
  document.banners.forEach((banner, i) => {
    if (banner.starts_at && banner.ends_at && Date.parse(banner.ends_at) <= Date.parse(banner.starts_at)) {
      problems.push({ path: ["banners", i, "ends_at"], message: "ends_at must be after starts_at" });
    }
  });
  return problems;
}

/** The document validated, or 422 `validation_failed` naming each bad field (path and message). */
export function parseCatalogExport(input: unknown): CatalogExport {
  const parsed = CatalogExportSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw invalidInput("body", issueDetails(parsed.error.issues), "not a catalog export");
}
