import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/**
 * The catalog: rules and the components they gate. Integrity lives in the database itself
 * (foreign keys, unique names, checks) so that no code path can store a broken catalog.
 */

const PLATFORMS_CHECK = sql`ARRAY['web','ios','android']::text[]`;

/**
 * The id of the LK2 row this one was imported from (src/lk2), so that importing again updates it
 * instead of adding a copy. Null for everything made here.
 */
const fromLk2 = {
  lk2Id: integer("lk2_id"),
};

const audited = {
  version: integer("version").notNull().default(1),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
};

export const rules = pgTable(
  "rules",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    title: text("title").notNull(),
    kind: text("kind", { enum: ["expression", "lk1"] })
      .notNull()
      .default("expression"),
    expression: text("expression").notNull().default(""),
    appCodes: text("app_codes").array().notNull().default(sql`'{}'::text[]`),
    enabled: boolean("enabled").notNull().default(true),
    /** Names of the rules this expression refers to (from the static check), for safe deletes. */
    dependsOn: text("depends_on").array().notNull().default(sql`'{}'::text[]`),
    ...fromLk2,
    ...audited,
  },
  (t) => [
    uniqueIndex("rules_name_unique").on(t.name),
    uniqueIndex("rules_lk2_id_unique").on(t.lk2Id),
    check("rules_name_identifier", sql`${t.name} ~ '^[A-Za-z_$][A-Za-z0-9_$]*$'`),
    check("rules_kind_valid", sql`${t.kind} IN ('expression', 'lk1')`),
    check("rules_expression_length", sql`length(${t.expression}) <= 20000`),
    check("rules_version_positive", sql`${t.version} > 0`),
  ],
);

export const ruleRevisions = pgTable(
  "rule_revisions",
  {
    id: serial("id").primaryKey(),
    ruleId: integer("rule_id")
      .notNull()
      .references(() => rules.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    name: text("name").notNull(),
    title: text("title").notNull(),
    kind: text("kind", { enum: ["expression", "lk1"] }).notNull(),
    expression: text("expression").notNull(),
    appCodes: text("app_codes").array().notNull(),
    enabled: boolean("enabled").notNull(),
    author: text("author").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("rule_revisions_rule_version").on(t.ruleId, t.version)],
);

const ruleRef = () =>
  integer("rule_id").references(() => rules.id, { onDelete: "restrict", onUpdate: "cascade" });

export const sidebarGroups = pgTable(
  "sidebar_groups",
  {
    id: serial("id").primaryKey(),
    title: text("title").notNull(),
    icon: text("icon"),
    order: integer("order").notNull().default(0),
    ruleId: ruleRef(),
    ...fromLk2,
    ...audited,
  },
  (t) => [
    check("sidebar_groups_order", sql`${t.order} >= 0`),
    uniqueIndex("sidebar_groups_lk2_id_unique").on(t.lk2Id),
  ],
);

export const cardGroups = pgTable(
  "card_groups",
  {
    id: serial("id").primaryKey(),
    title: text("title").notNull(),
    order: integer("order").notNull().default(0),
    ruleId: ruleRef(),
    ...fromLk2,
    ...audited,
  },
  (t) => [
    check("card_groups_order", sql`${t.order} >= 0`),
    uniqueIndex("card_groups_lk2_id_unique").on(t.lk2Id),
  ],
);

export const sections = pgTable(
  "sections",
  {
    id: serial("id").primaryKey(),
    title: text("title").notNull(),
    url: text("url").notNull(),
    icon: text("icon"),
    order: integer("order").notNull().default(0),
    sidebarGroupId: integer("sidebar_group_id")
      .notNull()
      .references(() => sidebarGroups.id, { onDelete: "restrict" }),
    cardGroupId: integer("card_group_id").references(() => cardGroups.id, { onDelete: "restrict" }),
    platforms: text("platforms").array(),
    ruleId: ruleRef(),
    ...fromLk2,
    ...audited,
  },
  (t) => [
    check("sections_order", sql`${t.order} >= 0`),
    uniqueIndex("sections_lk2_id_unique").on(t.lk2Id),
    check("sections_platforms", sql`${t.platforms} IS NULL OR ${t.platforms} <@ ${PLATFORMS_CHECK}`),
    index("sections_sidebar_group").on(t.sidebarGroupId),
    index("sections_card_group").on(t.cardGroupId),
  ],
);

export const banners = pgTable(
  "banners",
  {
    id: serial("id").primaryKey(),
    title: text("title").notNull(),
    imageUrl: text("image_url").notNull(),
    link: text("link"),
    order: integer("order").notNull().default(0),
    platforms: text("platforms").array(),
    startsAt: timestamp("starts_at", { withTimezone: true }),
    endsAt: timestamp("ends_at", { withTimezone: true }),
    ruleId: ruleRef(),
    ...fromLk2,
    ...audited,
  },
  (t) => [
    check("banners_order", sql`${t.order} >= 0`),
    uniqueIndex("banners_lk2_id_unique").on(t.lk2Id),
    check("banners_platforms", sql`${t.platforms} IS NULL OR ${t.platforms} <@ ${PLATFORMS_CHECK}`),
    check("banners_window", sql`${t.startsAt} IS NULL OR ${t.endsAt} IS NULL OR ${t.endsAt} > ${t.startsAt}`),
  ],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actor: text("actor").notNull(),
    action: text("action").notNull(), // create | update | delete | rollback
    entity: text("entity").notNull(), // rule | sidebar_group | card_group | section | banner
    entityId: integer("entity_id").notNull(),
    before: jsonb("before"),
    after: jsonb("after"),
  },
  (t) => [index("audit_log_entity").on(t.entity, t.entityId), index("audit_log_at").on(t.at)],
);

/**
 * One row: the catalog version, bumped in the same transaction as every admin change. Instances
 * compare it with their snapshot's version (LISTEN/NOTIFY plus a periodic check).
 */
export const catalogState = pgTable(
  "catalog_state",
  {
    id: integer("id").primaryKey().default(1),
    version: bigint("version", { mode: "number" }).notNull().default(1),
    changedAt: timestamp("changed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("catalog_state_single_row", sql`${t.id} = 1`)],
);
