import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import postgres from "postgres";
import { type Database, openDatabase, schema } from "../../src/db/index.ts";
import { freshDatabase } from "../support/database.ts";

// The catalog's integrity lives in the database itself: these inserts bypass every check in
// the code, and the database still refuses them.
let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.close());

async function refused(write: () => Promise<unknown>): Promise<string> {
  try {
    await write();
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause;
    return `${(error as Error).message} ${cause?.message ?? ""}`;
  }
  throw new Error("the database accepted it");
}

describe("database integrity", () => {
  test("rule names are unique identifiers; kinds are known", async () => {
    const { db } = database;
    await db.insert(schema.rules).values({ name: "is_director", title: "x", expression: "true" });
    expect(
      await refused(() =>
        db.insert(schema.rules).values({ name: "is_director", title: "y", expression: "true" }),
      ),
    ).toContain("rules_name_unique");
    expect(
      await refused(() => db.insert(schema.rules).values({ name: "1abc", title: "y", expression: "true" })),
    ).toContain("rules_name_identifier");
    expect(
      await refused(() =>
        db.insert(schema.rules).values({ name: "x", title: "y", kind: "python" as "lk1", expression: "" }),
      ),
    ).toContain("rules_kind_valid");
  });

  test("components: order not negative, platforms known, banner window ends after it starts", async () => {
    const { db } = database;
    const [group] = await db.insert(schema.sidebarGroups).values({ title: "g", order: 0 }).returning();
    const sidebarGroupId = group?.id ?? 0;
    expect(await refused(() => db.insert(schema.sidebarGroups).values({ title: "g", order: -1 }))).toContain(
      "sidebar_groups_order",
    );
    expect(
      await refused(() =>
        db
          .insert(schema.sections)
          .values({ title: "s", url: "/s", sidebarGroupId, platforms: ["web", "desktop"] }),
      ),
    ).toContain("sections_platforms");
    const at = new Date("2026-12-01T00:00:00Z");
    expect(
      await refused(() =>
        db.insert(schema.banners).values({ title: "b", imageUrl: "/b.png", startsAt: at, endsAt: at }),
      ),
    ).toContain("banners_window");
    expect(
      await refused(() =>
        db.insert(schema.banners).values({ title: "b", imageUrl: "/b.png", platforms: ["tv"] }),
      ),
    ).toContain("banners_platforms");
  });

  test("foreign keys: no section without its group, no component with a missing rule, no deleting a used rule", async () => {
    const { db } = database;
    expect(
      await refused(() =>
        db.insert(schema.sections).values({ title: "s", url: "/s", sidebarGroupId: 999_999 }),
      ),
    ).toContain("foreign key");
    expect(
      await refused(() => db.insert(schema.cardGroups).values({ title: "c", ruleId: 999_999 })),
    ).toContain("foreign key");
    const [rule] = await db
      .insert(schema.rules)
      .values({ name: "used", title: "u", expression: "true" })
      .returning();
    await db.insert(schema.cardGroups).values({ title: "c", ruleId: rule?.id });
    const { eq } = await import("drizzle-orm");
    expect(await refused(() => db.delete(schema.rules).where(eq(schema.rules.id, rule?.id ?? 0)))).toContain(
      "foreign key",
    );
  });
});

describe.if(Boolean(process.env.DATABASE_URL))("migrations on PostgreSQL", () => {
  test("three instances starting at once on a new database all come up (one migrates, the others wait)", async () => {
    const base = process.env.DATABASE_URL ?? "";
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    const name = `lk_race_${Date.now().toString(36)}`;
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    try {
      const instances = await Promise.all(
        [1, 2, 3].map(() => openDatabase({ kind: "postgres", url: url.toString() })),
      );
      const [state] = await (instances[0] as Database).db.select().from(schema.catalogState);
      expect(state?.version).toBe(1);
      for (const instance of instances) await instance.close();
    } finally {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
