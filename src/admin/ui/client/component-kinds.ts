/** The four kinds of home-page component: their API path, Russian names and the fields each has. */
import type { BannerView, CardGroupView, SectionView, SidebarGroupView } from "./api.ts";

export type ComponentView = SidebarGroupView | CardGroupView | SectionView | BannerView;
export type Field =
  | "icon"
  | "url"
  | "sidebar_group_id"
  | "card_group_id"
  | "platforms"
  | "image_url"
  | "link"
  | "starts_at"
  | "ends_at";

export interface ComponentKind {
  path: "sidebar-groups" | "card-groups" | "sections" | "banners";
  /** The noun in the nominative and the accusative («Создать раздел»). */
  noun: string;
  accusative: string;
  /** Grammatical gender of `noun`, for «сохранён / сохранена». */
  feminine: boolean;
  fields: readonly Field[];
}

export const KINDS: Readonly<Record<ComponentKind["path"], ComponentKind>> = {
  "sidebar-groups": {
    path: "sidebar-groups",
    noun: "Группа меню",
    accusative: "группу меню",
    feminine: true,
    fields: ["icon"],
  },
  "card-groups": {
    path: "card-groups",
    noun: "Группа карточек",
    accusative: "группу карточек",
    feminine: true,
    fields: [],
  },
  sections: {
    path: "sections",
    noun: "Раздел",
    accusative: "раздел",
    feminine: false,
    fields: ["icon", "url", "sidebar_group_id", "card_group_id", "platforms"],
  },
  banners: {
    path: "banners",
    noun: "Баннер",
    accusative: "баннер",
    feminine: false,
    fields: ["image_url", "link", "starts_at", "ends_at", "platforms"],
  },
};

export const PLATFORMS = ["web", "ios", "android"] as const;

/** The body a PUT needs to keep everything but `changes` as it is. */
export function inputOf(kind: ComponentKind, view: ComponentView, changes: Record<string, unknown> = {}) {
  const all = view as unknown as Record<string, unknown>;
  const keys = ["title", "order", "rule_id", ...kind.fields];
  return { ...Object.fromEntries(keys.map((key) => [key, all[key] ?? null])), ...changes };
}
