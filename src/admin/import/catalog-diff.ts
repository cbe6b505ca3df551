/**
 * The pure core of the catalog's export and import: our catalog (plain rows, as read from the
 * database) as an export document, and the difference between a document and our catalog, kind
 * by kind. Both sides are compared as documents — links by rule name and component key — so an
 * export imported into the catalog it came from differs in nothing.
 */
import type { z } from "zod";
import type { schema } from "../../db/index.ts";
import type { BannerView, CardGroupView, SectionView, SidebarGroupView } from "../components/schemas.ts";
import {
  CATALOG_FORMAT,
  CATALOG_FORMAT_VERSION,
  type CatalogBanner,
  CatalogBannerSchema,
  type CatalogCardGroup,
  CatalogCardGroupSchema,
  type CatalogComponentKind,
  type CatalogExport,
  type CatalogKind,
  type CatalogRule,
  type CatalogSection,
  CatalogSectionSchema,
  type CatalogSidebarGroup,
  CatalogSidebarGroupSchema,
} from "./catalog-document.ts";
import { componentKeys } from "./catalog-keys.ts";

/** A rule of ours as stored: the fields a change writes, its id and its ruleVersion. */
export type CurrentRule = schema.RuleFields & Pick<schema.RuleRow, "id" | "version">;

/** Our catalog: the rules as stored, the components as the admin API shows them. */
export interface CurrentCatalog {
  rules: CurrentRule[];
  sidebarGroups: SidebarGroupView[];
  cardGroups: CardGroupView[];
  sections: SectionView[];
  banners: BannerView[];
}

export interface CatalogEntries {
  rule: CatalogRule;
  sidebar_group: CatalogSidebarGroup;
  card_group: CatalogCardGroup;
  section: CatalogSection;
  banner: CatalogBanner;
}

/** One entry of a document with its key (a rule's name; a component's key). */
export interface Keyed<E> {
  key: string;
  entry: E;
}

/** One of ours, as an entry, with its id. */
export interface Existing<E> extends Keyed<E> {
  id: number;
}

export type KeyedCatalog = { [K in CatalogKind]: Array<Keyed<CatalogEntries[K]>> };
export type ExistingCatalog = { [K in CatalogKind]: Array<Existing<CatalogEntries[K]>> };

const byOrderThenId = (a: { order: number; id: number }, b: { order: number; id: number }) =>
  a.order - b.order || a.id - b.id;
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Our catalog as document entries with their ids, in the export's order: rules by name, the
 * components as the portal orders them (sections group by group).
 */
export function describeCatalog(current: CurrentCatalog): ExistingCatalog {
  const ruleName = new Map(current.rules.map((rule) => [rule.id, rule.name]));
  const rule = (id: number | null) => (id === null ? null : (ruleName.get(id) ?? null));
  const rules = [...current.rules].sort((a, b) => byCodeUnits(a.name, b.name));
  const groups = [...current.sidebarGroups].sort(byOrderThenId);
  const cards = [...current.cardGroups].sort(byOrderThenId);
  const groupRank = new Map(groups.map((group, i) => [group.id, i]));
  const sections = [...current.sections].sort(
    (a, b) =>
      (groupRank.get(a.sidebar_group_id) ?? 0) - (groupRank.get(b.sidebar_group_id) ?? 0) ||
      byOrderThenId(a, b),
  );
  const banners = [...current.banners].sort(byOrderThenId);

  const groupEntries = groups.map((g) =>
    entryOf<CatalogSidebarGroup>(CatalogSidebarGroupSchema, g, { rule: rule(g.rule_id) }),
  );
  const cardEntries = cards.map((c) =>
    entryOf<CatalogCardGroup>(CatalogCardGroupSchema, c, { rule: rule(c.rule_id) }),
  );
  const groupKey = new Map(keyed("sidebar_group", groupEntries).map((g, i) => [groups[i]?.id, g.key]));
  const cardKey = new Map(keyed("card_group", cardEntries).map((c, i) => [cards[i]?.id, c.key]));
  const sectionEntries = sections.map((s) =>
    entryOf<CatalogSection>(CatalogSectionSchema, s, {
      sidebar_group: groupKey.get(s.sidebar_group_id) ?? "",
      card_group: s.card_group_id === null ? null : (cardKey.get(s.card_group_id) ?? null),
      rule: rule(s.rule_id),
    }),
  );
  const bannerEntries = banners.map((b) =>
    entryOf<CatalogBanner>(CatalogBannerSchema, b, { rule: rule(b.rule_id) }),
  );
  const withIds = <E>(entries: Array<Keyed<E>>, rows: ReadonlyArray<{ id: number }>): Array<Existing<E>> =>
    entries.map((entry, i) => ({ ...entry, id: rows[i]?.id ?? 0 }));
  return {
    rule: withIds(
      rules.map((r) => ({ key: r.name, entry: normalizeRule(ruleEntry(r)) })),
      rules,
    ),
    sidebar_group: withIds(keyed("sidebar_group", groupEntries), groups),
    card_group: withIds(keyed("card_group", cardEntries), cards),
    section: withIds(keyed("section", sectionEntries), sections),
    banner: withIds(keyed("banner", bannerEntries.map(normalizeBanner)), banners),
  };
}

/**
 * A component as a document entry: every field of the entry's schema, from the view where the
 * names agree, and the links (by id in the view) given as names and keys. A field added to a
 * kind's input and view schemas is exported and compared with nothing added here.
 */
function entryOf<E>(
  entrySchema: z.ZodObject,
  view: Readonly<Record<string, unknown>>,
  links: Readonly<Record<string, unknown>>,
): E {
  const entry: Record<string, unknown> = {};
  for (const field of Object.keys(entrySchema.shape))
    entry[field] = field in links ? links[field] : view[field];
  // The view holds what its input schema stored, so each field is what the entry's schema takes.
  return entry as E;
}

function ruleEntry(rule: CurrentRule): CatalogRule {
  return {
    name: rule.name,
    title: rule.title,
    kind: rule.kind,
    expression: rule.expression,
    app_codes: rule.appCodes,
    enabled: rule.enabled,
  };
}

/** Our catalog as the export document. */
export function toCatalogExport(
  current: CurrentCatalog,
  meta: { exportedAt: Date; catalogVersion: number },
): CatalogExport {
  const described = describeCatalog(current);
  const entries = <K extends CatalogKind>(kind: K) => described[kind].map((row) => row.entry);
  return {
    format: CATALOG_FORMAT,
    format_version: CATALOG_FORMAT_VERSION,
    exported_at: meta.exportedAt.toISOString(),
    catalog_version: meta.catalogVersion,
    rules: entries("rule"),
    sidebar_groups: entries("sidebar_group"),
    card_groups: entries("card_group"),
    sections: entries("section"),
    banners: entries("banner"),
  };
}

/** A document's entries with their keys, written as they would be stored. */
export function keyDocument(document: CatalogExport): KeyedCatalog {
  return {
    rule: document.rules.map((rule) => ({ key: rule.name, entry: normalizeRule(rule) })),
    sidebar_group: keyed("sidebar_group", document.sidebar_groups),
    card_group: keyed("card_group", document.card_groups),
    section: keyed("section", document.sections),
    banner: keyed("banner", document.banners.map(normalizeBanner)),
  };
}

function keyed<K extends CatalogComponentKind>(
  kind: K,
  entries: ReadonlyArray<CatalogEntries[K]>,
): Array<Keyed<CatalogEntries[K]>> {
  const keys = componentKeys(kind, entries);
  return entries.map((entry, i) => ({ key: keys[i] ?? "", entry }));
}

/** The field a rule's kind does not use is stored empty (as the admin API stores it). */
function normalizeRule(rule: CatalogRule): CatalogRule {
  return rule.kind === "expression" ? { ...rule, app_codes: [] } : { ...rule, expression: "" };
}

/** Instants as the database gives them back (UTC, milliseconds), whatever offset the file used. */
function normalizeBanner(banner: CatalogBanner): CatalogBanner {
  const instant = (value: string | null) => (value === null ? null : new Date(value).toISOString());
  return { ...banner, starts_at: instant(banner.starts_at), ends_at: instant(banner.ends_at) };
}

export interface KindDiff<E> {
  created: Array<Keyed<E>>;
  updated: Array<Existing<E> & { before: E; fields: string[] }>;
  unchanged: Array<Existing<E>>;
  /** Ours, not in the document: left alone. */
  absent: Array<Existing<E>>;
}

export type CatalogDiff = { [K in CatalogKind]: KindDiff<CatalogEntries[K]> };

/** Entries matched by key: the same key is the same object, on both sides. */
export function diffKind<E extends object>(
  incoming: ReadonlyArray<Keyed<E>>,
  existing: ReadonlyArray<Existing<E>>,
): KindDiff<E> {
  const ours = new Map(existing.map((row) => [row.key, row]));
  const diff: KindDiff<E> = { created: [], updated: [], unchanged: [], absent: [] };
  const seen = new Set<string>();
  for (const row of incoming) {
    seen.add(row.key);
    const current = ours.get(row.key);
    if (!current) {
      diff.created.push(row);
      continue;
    }
    const fields = changedFields(current.entry, row.entry);
    if (fields.length === 0) diff.unchanged.push({ ...row, id: current.id });
    else diff.updated.push({ ...row, id: current.id, before: current.entry, fields });
  }
  diff.absent = existing.filter((row) => !seen.has(row.key));
  return diff;
}

function changedFields<E extends object>(before: E, after: E): string[] {
  const b = before as Record<string, unknown>;
  return Object.entries(after as Record<string, unknown>)
    .filter(([field, value]) => JSON.stringify(value ?? null) !== JSON.stringify(b[field] ?? null))
    .map(([field]) => field);
}

export function diffCatalog(document: CatalogExport, current: CurrentCatalog): CatalogDiff {
  const incoming = keyDocument(document);
  const ours = describeCatalog(current);
  return {
    rule: diffKind(incoming.rule, ours.rule),
    sidebar_group: diffKind(incoming.sidebar_group, ours.sidebar_group),
    card_group: diffKind(incoming.card_group, ours.card_group),
    section: diffKind(incoming.section, ours.section),
    banner: diffKind(incoming.banner, ours.banner),
  };
}
