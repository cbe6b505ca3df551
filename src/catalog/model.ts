import { z } from "zod";
import { PlatformSchema } from "../evidence/index.ts";

/**
 * The components of the home page as the snapshot holds them (plain data, camelCase inside)
 * and the shape /user.tabs answers with (snake_case, as in docs/api.md).
 */
export interface SidebarGroup {
  id: number;
  title: string;
  icon: string | null;
  order: number;
  ruleId: number | null;
}

export interface CardGroup {
  id: number;
  title: string;
  order: number;
  ruleId: number | null;
}

export interface Section {
  id: number;
  title: string;
  url: string;
  icon: string | null;
  order: number;
  sidebarGroupId: number;
  cardGroupId: number | null;
  platforms: string[] | null;
  ruleId: number | null;
}

export interface Banner {
  id: number;
  title: string;
  imageUrl: string;
  link: string | null;
  order: number;
  platforms: string[] | null;
  startsAt: Date | null;
  endsAt: Date | null;
  ruleId: number | null;
}

export const TabSectionSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  url: z.string(),
  icon: z.string().nullable(),
});

export const UserTabsSchema = z.object({
  banners: z.array(
    z.object({
      id: z.number().int(),
      title: z.string(),
      image_url: z.string(),
      link: z.string().nullable(),
    }),
  ),
  cards: z.array(z.object({ id: z.number().int(), title: z.string(), sections: z.array(TabSectionSchema) })),
  sidebar: z.array(
    z.object({
      id: z.number().int(),
      title: z.string(),
      icon: z.string().nullable(),
      sections: z.array(TabSectionSchema),
    }),
  ),
});
export type UserTabs = z.infer<typeof UserTabsSchema>;

export const ComponentKindSchema = z.enum(["sidebar_group", "card_group", "section", "banner"]);
export type ComponentKind = z.infer<typeof ComponentKindSchema>;

export const HiddenComponentSchema = z.object({
  kind: ComponentKindSchema,
  id: z.number().int(),
  reason: z.string().describe("e.g. `rule is_x false`, `platform`, `outside window`, `group hidden`"),
});
export type HiddenComponent = z.infer<typeof HiddenComponentSchema>;

export const TabsRequestSchema = z.object({
  platform: PlatformSchema,
  query: z.string().max(200).optional(),
});
