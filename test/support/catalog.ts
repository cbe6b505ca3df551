import { eq } from "drizzle-orm";
import { bumpCatalogVersion } from "../../src/catalog/index.ts";
import { type Db, schema } from "../../src/db/index.ts";

type NewRule = typeof schema.rules.$inferInsert;
type NewSidebarGroup = typeof schema.sidebarGroups.$inferInsert;
type NewCardGroup = typeof schema.cardGroups.$inferInsert;
type NewSection = typeof schema.sections.$inferInsert;
type NewBanner = typeof schema.banners.$inferInsert;

/**
 * Writes catalog rows straight into the database (bypassing the admin API) and bumps the
 * catalog version, as an admin transaction would. For tests of the serving side.
 */
type CatalogTable =
  | typeof schema.rules
  | typeof schema.sidebarGroups
  | typeof schema.cardGroups
  | typeof schema.sections
  | typeof schema.banners;

export function catalogWriter(db: Db) {
  const insert =
    <T extends Record<string, unknown>>(table: CatalogTable) =>
    async (values: T): Promise<number> =>
      db.transaction(async (tx) => {
        const [row] = (await tx
          .insert(table)
          .values(values as never)
          .returning({ id: table.id })) as Array<{ id: number }>;
        await bumpCatalogVersion(tx);
        if (!row) throw new Error("insert returned nothing");
        return row.id;
      });
  return {
    rule: (name: string, expression: string, extra: Partial<NewRule> = {}) =>
      insert<NewRule>(schema.rules)({ name, title: name, expression, ...extra }),
    sidebarGroup: insert<NewSidebarGroup>(schema.sidebarGroups),
    cardGroup: insert<NewCardGroup>(schema.cardGroups),
    section: insert<NewSection>(schema.sections),
    banner: insert<NewBanner>(schema.banners),
    /** Changes row `id` of `table` (an admin's edit) and bumps the version, in one transaction. */
    update: <Table extends CatalogTable>(table: Table, id: number, values: Partial<Table["$inferInsert"]>) =>
      db.transaction(async (tx) => {
        await tx
          .update(table as CatalogTable)
          .set(values as never)
          .where(eq(table.id, id));
        await bumpCatalogVersion(tx);
      }),
  };
}
