import { eq } from "drizzle-orm";
import { schema } from "../../db/index.ts";
import type { ComponentKind } from "./kind.ts";
import { type BannerInput, BannerInputSchema, BannerSchema, type BannerView } from "./schemas.ts";
import { nextVersion, onlyRow, tableOps } from "./table.ts";

const { banners } = schema;
const rows = tableOps(banners);

function toView(row: typeof banners.$inferSelect): BannerView {
  return {
    id: row.id,
    title: row.title,
    image_url: row.imageUrl,
    link: row.link,
    order: row.order,
    platforms: row.platforms,
    starts_at: row.startsAt?.toISOString() ?? null,
    ends_at: row.endsAt?.toISOString() ?? null,
    rule_id: row.ruleId,
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

const instant = (iso: string | null | undefined) => (iso ? new Date(iso) : null);

const values = (input: BannerInput) => ({
  title: input.title,
  imageUrl: input.image_url,
  link: input.link ?? null,
  order: input.order,
  platforms: input.platforms ?? null,
  startsAt: instant(input.starts_at),
  endsAt: instant(input.ends_at),
  ruleId: input.rule_id ?? null,
});

export const bannerKind: ComponentKind<BannerInput, BannerView> = {
  entity: "banner",
  noun: "banner",
  path: "/banners",
  inputSchema: BannerInputSchema,
  viewSchema: BannerSchema,
  list: async (db) => (await rows.list(db)).map(toView),
  find: async (db, id) => {
    const row = await rows.find(db, id);
    return row && toView(row);
  },
  insert: async (tx, input) => toView(onlyRow(await tx.insert(banners).values(values(input)).returning())),
  update: async (tx, current, input) =>
    toView(
      onlyRow(
        await tx
          .update(banners)
          .set({ ...values(input), ...nextVersion(current) })
          .where(eq(banners.id, current.id))
          .returning(),
      ),
    ),
  remove: (tx, id) => rows.remove(tx, id),
  // Nothing refers to a banner.
  dependents: async () => [],
  problems: (input) => {
    const { starts_at: startsAt, ends_at: endsAt } = input;
    if (startsAt && endsAt && Date.parse(endsAt) <= Date.parse(startsAt)) {
      return [{ path: "ends_at", message: "ends_at must be after starts_at" }];
    }
    return [];
  },
};
