import { schema } from "../../db/index.ts";
import { BannerInputSchema, BannerSchema } from "./schemas.ts";
import { defineComponentKind } from "./table.ts";

/** Nothing refers to a banner; its window must be the right way round. */
export const bannerKind = defineComponentKind({
  entity: "banner",
  noun: "banner",
  path: "/banners",
  table: schema.banners,
  inputSchema: BannerInputSchema,
  viewSchema: BannerSchema,
  problems: (input) => {
    const { starts_at: startsAt, ends_at: endsAt } = input;
    if (startsAt && endsAt && Date.parse(endsAt) <= Date.parse(startsAt)) {
      return [{ path: "ends_at", message: "ends_at must be after starts_at" }];
    }
    return [];
  },
});
