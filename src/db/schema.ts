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
  /** The row's ruleVersion or componentVersion: +1 on every change, the API's `version` (If-Match). */
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

/** A rule as stored. */
export type RuleRow = typeof rules.$inferSelect;
/**
 * What a change of a rule writes, whoever makes it (the admin API, the catalog import, the LK2
 * import); the database keeps the rest (id, version, timestamps, LK2 id).
 */
export type RuleFields = Pick<
  RuleRow,
  "name" | "title" | "kind" | "expression" | "appCodes" | "enabled" | "dependsOn"
>;

export const ruleRevisions = pgTable(
  "rule_revisions",
  {
    id: serial("id").primaryKey(),
    ruleId: integer("rule_id")
      .notNull()
      .references(() => rules.id, { onDelete: "cascade" }),
    /** The ruleVersion this revision was. */
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
    /** The catalogVersion. */
    version: bigint("version", { mode: "number" }).notNull().default(1),
    changedAt: timestamp("changed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("catalog_state_single_row", sql`${t.id} = 1`)],
);

/**
 * The employee directory copy (src/directory): one row per employee SAP listed, with the
 * evidence mapped as /user.tabs maps it. A row SAP stops listing is marked `gone_at` at the end
 * of the first successful sync that misses it, never deleted then (purged later).
 */
export const directoryEmployees = pgTable(
  "directory_employees",
  {
    personnelNumber: text("personnel_number").primaryKey(),
    evidence: jsonb("evidence").notNull(),
    /** Hash of the evidence, to tell a changed employee from a re-listed one. */
    contentHash: text("content_hash").notNull(),
    seenAt: timestamp("seen_at", { withTimezone: true }).notNull(),
    /** The sync run that last listed the employee. */
    seenRun: integer("seen_run").notNull(),
    changedAt: timestamp("changed_at", { withTimezone: true }).notNull(),
    goneAt: timestamp("gone_at", { withTimezone: true }),
  },
  (t) => [
    index("directory_employees_gone").on(t.goneAt),
    index("directory_employees_seen_run").on(t.seenRun),
  ],
);

/**
 * One directory sync: its progress is written with every page (in the page's transaction), so
 * an interrupted run resumes at `next_skip`.
 */
export const directorySyncRuns = pgTable(
  "directory_sync_runs",
  {
    id: serial("id").primaryKey(),
    status: text("status", { enum: ["running", "succeeded", "failed"] }).notNull(),
    trigger: text("trigger").notNull(),
    pageSize: integer("page_size").notNull(),
    nextSkip: integer("next_skip").notNull().default(0),
    pages: integer("pages").notNull().default(0),
    employees: integer("employees").notNull().default(0),
    rejected: integer("rejected").notNull().default(0),
    total: integer("total"),
    gone: integer("gone"),
    resumes: integer("resumes").notNull().default(0),
    error: text("error"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    check("directory_sync_runs_status", sql`${t.status} IN ('running', 'succeeded', 'failed')`),
    index("directory_sync_runs_status_idx").on(t.status, t.id),
  ],
);
