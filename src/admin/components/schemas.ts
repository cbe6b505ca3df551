import { z } from "zod";
import {
  IconSchema,
  IdSchema,
  InstantSchema,
  LinkSchema,
  MetaShape,
  PlatformsSchema,
  RuleRefSchema,
  SortOrderSchema,
  TitleSchema,
} from "../fields.ts";

/**
 * The four component kinds of the home page, in the admin API's shape (snake_case, as in
 * docs/api.md). One input schema per kind serves POST and PUT: a PUT must name the required
 * fields again, and an optional field it leaves out keeps its value (send null to clear it).
 */

const PUT_NOTE = "Optional fields a PUT leaves out keep their current values; null clears them.";

export const SidebarGroupInputSchema = z
  .strictObject({
    title: TitleSchema,
    icon: IconSchema.nullable().optional(),
    order: SortOrderSchema,
    rule_id: RuleRefSchema.optional(),
  })
  .describe(`A sidebar group: a heading with sections under it. ${PUT_NOTE}`);

export const SidebarGroupSchema = z.object({
  ...MetaShape,
  title: z.string(),
  icon: z.string().nullable(),
  order: z.number().int(),
  rule_id: z.number().int().nullable(),
});

export const CardGroupInputSchema = z
  .strictObject({
    title: TitleSchema,
    order: SortOrderSchema,
    rule_id: RuleRefSchema.optional(),
  })
  .describe(`A card group on the main page; sections are placed in it by their card_group_id. ${PUT_NOTE}`);

export const CardGroupSchema = z.object({
  ...MetaShape,
  title: z.string(),
  order: z.number().int(),
  rule_id: z.number().int().nullable(),
});

export const SectionInputSchema = z
  .strictObject({
    title: TitleSchema,
    url: LinkSchema,
    icon: IconSchema.nullable().optional(),
    order: SortOrderSchema,
    sidebar_group_id: IdSchema.describe("The sidebar group it belongs to (must exist)"),
    card_group_id: IdSchema.nullable()
      .optional()
      .describe("The card group it also shows in, if any (must exist)"),
    platforms: PlatformsSchema.optional(),
    rule_id: RuleRefSchema.optional(),
  })
  .describe(`A link to one service of the portal. ${PUT_NOTE}`);

export const SectionSchema = z.object({
  ...MetaShape,
  title: z.string(),
  url: z.string(),
  icon: z.string().nullable(),
  order: z.number().int(),
  sidebar_group_id: z.number().int(),
  card_group_id: z.number().int().nullable(),
  platforms: z.array(z.string()).nullable(),
  rule_id: z.number().int().nullable(),
});

export const BannerInputSchema = z
  .strictObject({
    title: TitleSchema,
    image_url: LinkSchema,
    link: LinkSchema.nullable().optional(),
    order: SortOrderSchema,
    platforms: PlatformsSchema.optional(),
    starts_at: InstantSchema.nullable().optional().describe("Shown from this instant (null: always)"),
    ends_at: InstantSchema.nullable()
      .optional()
      .describe("Shown until this instant, exclusive; after starts_at"),
    rule_id: RuleRefSchema.optional(),
  })
  .describe(`A banner on the main page, optionally within a time window. ${PUT_NOTE}`);

export const BannerSchema = z.object({
  ...MetaShape,
  title: z.string(),
  image_url: z.string(),
  link: z.string().nullable(),
  order: z.number().int(),
  platforms: z.array(z.string()).nullable(),
  starts_at: z.string().nullable(),
  ends_at: z.string().nullable(),
  rule_id: z.number().int().nullable(),
});

export type SidebarGroupInput = z.infer<typeof SidebarGroupInputSchema>;
export type SidebarGroupView = z.infer<typeof SidebarGroupSchema>;
export type CardGroupInput = z.infer<typeof CardGroupInputSchema>;
export type CardGroupView = z.infer<typeof CardGroupSchema>;
export type SectionInput = z.infer<typeof SectionInputSchema>;
export type SectionView = z.infer<typeof SectionSchema>;
export type BannerInput = z.infer<typeof BannerInputSchema>;
export type BannerView = z.infer<typeof BannerSchema>;
