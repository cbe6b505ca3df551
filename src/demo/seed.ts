import { sql } from "drizzle-orm";
import { writeRuleRow } from "../admin/index.ts";
import { bumpCatalogVersion } from "../catalog/index.ts";
import { type Db, schema } from "../db/index.ts";
import { checkRule } from "../rules/index.ts";
import { DEMO_RULES } from "./catalog.ts";
import { DEMO_BANNERS, DEMO_CARD_GROUPS, DEMO_SIDEBAR } from "./layout.ts";

const AUTHOR = "demo-seed";

/**
 * Fills an empty catalog with the demo (catalog.ts, layout.ts) in one transaction, with a
 * revision and an audit entry per rule like any admin change. Does nothing when rules exist.
 * Returns whether it seeded.
 */
export async function seedDemoCatalog(db: Db, now: Date = new Date()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [{ count } = { count: 0 }] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(schema.rules);
    if (count > 0) return false;

    const ruleIds = new Map<string, number>();
    const dependencies = new Map<string, string[]>();
    const allNames = new Set(DEMO_RULES.map((r) => r.name));
    for (const rule of DEMO_RULES) {
      const kind = rule.appCodes ? ("lk1" as const) : ("expression" as const);
      const input = { kind, expression: rule.expression ?? "", appCodes: rule.appCodes ?? [] };
      const others = new Set([...allNames].filter((n) => n !== rule.name));
      const check = checkRule(input, { ruleNames: others, dependencies, selfName: rule.name });
      if (!check.valid) {
        throw new Error(
          `demo rule ${rule.name} is invalid: ${check.errors.map((e) => e.message).join("; ")}`,
        );
      }
      dependencies.set(rule.name, check.rules);
      // Written as an admin's create writes it: with its revision and audit entry.
      const row = await writeRuleRow(tx, AUTHOR, "create", null, {
        name: rule.name,
        title: rule.title,
        ...input,
        enabled: true,
        dependsOn: check.rules,
      });
      ruleIds.set(rule.name, row.id);
    }
    const ruleId = (name: string | undefined) => {
      if (name === undefined) return null;
      const id = ruleIds.get(name);
      if (id === undefined) throw new Error(`demo component names unknown rule ${name}`);
      return id;
    };

    const cardIds = new Map<string, number>();
    for (const [order, card] of DEMO_CARD_GROUPS.entries()) {
      const [row] = await tx
        .insert(schema.cardGroups)
        .values({ title: card.title, order: order * 10, ruleId: ruleId(card.rule) })
        .returning({ id: schema.cardGroups.id });
      if (row) cardIds.set(card.key, row.id);
    }
    for (const [groupOrder, group] of DEMO_SIDEBAR.entries()) {
      const [row] = await tx
        .insert(schema.sidebarGroups)
        .values({ title: group.title, icon: group.icon, order: groupOrder * 10, ruleId: ruleId(group.rule) })
        .returning({ id: schema.sidebarGroups.id });
      if (!row) throw new Error("insert returned nothing");
      await tx.insert(schema.sections).values(
        group.sections.map((s, order) => ({
          title: s.title,
          url: s.url,
          icon: s.icon ?? null,
          order: order * 10,
          sidebarGroupId: row.id,
          cardGroupId: s.card ? (cardIds.get(s.card) ?? null) : null,
          platforms: s.platforms ?? null,
          ruleId: ruleId(s.rule),
        })),
      );
    }
    const day = 86_400_000;
    await tx.insert(schema.banners).values(
      DEMO_BANNERS.map((b, order) => ({
        title: b.title,
        imageUrl: b.imageUrl,
        link: b.link ?? null,
        order: order * 10,
        platforms: b.platforms ?? null,
        startsAt: b.fromDays === undefined ? null : new Date(now.getTime() + b.fromDays * day),
        endsAt: b.toDays === undefined ? null : new Date(now.getTime() + b.toDays * day),
        ruleId: ruleId(b.rule),
      })),
    );
    await bumpCatalogVersion(tx);
    return true;
  });
}
