/**
 * What our catalog holds that an LK2 import touches: every rule (names are shared with ours), and
 * the components that came from LK2 (by their LK2 id). Read inside the import's transaction for a
 * real run, so it cannot go stale before the commit.
 */
import { isNotNull } from "drizzle-orm";
import { type Db, schema, type Tx } from "../../db/index.ts";
import type { ErrorDetail } from "../../errors.ts";
import type { ComponentKind, ComponentSchemas } from "../../lk2/index.ts";
import { checkRule } from "../../rules/index.ts";
import { bannerKind } from "../components/banners.ts";
import { cardGroupKind } from "../components/card-groups.ts";
import type { ComponentKind as AdminComponentKind, ComponentView } from "../components/kind.ts";
import { sectionKind } from "../components/sections.ts";
import { sidebarGroupKind } from "../components/sidebar-groups.ts";

export type ComponentViewOf = ComponentView & Record<string, unknown>;

/** The admin API's component kinds: their inserts, updates and views are what the import uses. */
export const COMPONENT_KINDS = {
  sidebar_group: sidebarGroupKind,
  card_group: cardGroupKind,
  section: sectionKind,
  banner: bannerKind,
} as unknown as Record<ComponentKind, AdminComponentKind<Record<string, unknown>, ComponentViewOf>>;

/** What LK2's components must pass to be imported: the admin API's own input schemas. */
export const COMPONENT_SCHEMAS: ComponentSchemas = {
  sidebar_group: sidebarGroupKind.inputSchema,
  card_group: cardGroupKind.inputSchema,
  section: sectionKind.inputSchema,
  banner: bannerKind.inputSchema,
};

export const COMPONENT_TABLES = {
  sidebar_group: schema.sidebarGroups,
  card_group: schema.cardGroups,
  section: schema.sections,
  banner: schema.banners,
} as const;

export interface CatalogState {
  rules: schema.RuleRow[];
  /** Per kind: LK2 id → our component (as the admin API shows it). */
  components: Record<ComponentKind, Map<number, ComponentViewOf>>;
}

export async function readState(db: Db | Tx): Promise<CatalogState> {
  const rules = await db.select().from(schema.rules);
  const components = {} as CatalogState["components"];
  for (const kind of Object.keys(COMPONENT_TABLES) as ComponentKind[]) {
    const table = COMPONENT_TABLES[kind];
    const rows = await db
      .select({ id: table.id, lk2Id: table.lk2Id })
      .from(table)
      .where(isNotNull(table.lk2Id));
    const byLk2 = new Map<number, ComponentViewOf>();
    for (const row of rows) {
      const view = await COMPONENT_KINDS[kind].find(db, row.id);
      if (view && row.lk2Id !== null) byLk2.set(row.lk2Id, view);
    }
    components[kind] = byLk2;
  }
  return { rules, components };
}

/** Whether writing `input` over `view` would change nothing. */
export function sameFields(input: Record<string, unknown>, view: Record<string, unknown>): boolean {
  return Object.entries(input).every(
    ([field, value]) => JSON.stringify(value ?? null) === JSON.stringify(view[field] ?? null),
  );
}

/** A rule as the import would leave it (a new one with an id of its own below 0). */
export type ProjectedRule = Pick<
  schema.RuleRow,
  "id" | "name" | "kind" | "expression" | "appCodes" | "enabled" | "dependsOn" | "lk2Id"
>;

/**
 * The invariant every admin change keeps, checked over the whole catalog after the import: every
 * enabled rule passes the static check against the enabled rules (names resolve, no cycle). An
 * import that would break one of our own rules (say, by disabling an imported rule it uses) is
 * refused whole.
 */
export function catalogProblems(rules: readonly ProjectedRule[]): ErrorDetail[] {
  const enabled = rules.filter((rule) => rule.enabled);
  const problems: ErrorDetail[] = [];
  for (const rule of enabled) {
    const others = enabled.filter((other) => other.id !== rule.id);
    const check = checkRule(
      { kind: rule.kind, expression: rule.expression, appCodes: rule.appCodes },
      {
        ruleNames: new Set(others.map((other) => other.name)),
        dependencies: new Map(others.map((other) => [other.name, other.dependsOn])),
        selfName: rule.name,
      },
    );
    const first = check.errors[0];
    if (!check.valid && first) {
      problems.push({
        message: `rule ${rule.name} (#${rule.id}) would no longer be valid: ${first.message}`,
        rule_id: rule.id,
        lk2_id: rule.lk2Id,
      });
    }
  }
  return problems;
}
