import { and, arrayContains, eq, ne } from "drizzle-orm";
import { schema, type Tx } from "../../db/index.ts";
import type { ErrorDetail } from "../../errors.ts";

export interface RuleUser {
  kind: "rule" | "sidebar_group" | "card_group" | "section" | "banner";
  id: number;
  /** The rule's name, or the component's title. */
  label: string;
}

/**
 * What would break if this rule went away or were disabled: the components it gates, and the
 * enabled rules whose expressions refer to it by name (disabled ones are checked when enabled).
 */
export async function usersOfRule(tx: Tx, rule: { id: number; name: string }): Promise<RuleUser[]> {
  const gated = (kind: RuleUser["kind"]) => (rows: Array<{ id: number; title: string }>) =>
    rows.map((row) => ({ kind, id: row.id, label: row.title }));
  const { sidebarGroups, cardGroups, sections, banners, rules } = schema;
  // One after another: a transaction is one connection, and these are tiny indexed lookups.
  const found: RuleUser[][] = [];
  for (const query of [
    () =>
      tx
        .select({ id: rules.id, title: rules.name })
        .from(rules)
        .where(
          and(ne(rules.id, rule.id), eq(rules.enabled, true), arrayContains(rules.dependsOn, [rule.name])),
        )
        .then(gated("rule")),
    () =>
      tx
        .select({ id: sidebarGroups.id, title: sidebarGroups.title })
        .from(sidebarGroups)
        .where(eq(sidebarGroups.ruleId, rule.id))
        .then(gated("sidebar_group")),
    () =>
      tx
        .select({ id: cardGroups.id, title: cardGroups.title })
        .from(cardGroups)
        .where(eq(cardGroups.ruleId, rule.id))
        .then(gated("card_group")),
    () =>
      tx
        .select({ id: sections.id, title: sections.title })
        .from(sections)
        .where(eq(sections.ruleId, rule.id))
        .then(gated("section")),
    () =>
      tx
        .select({ id: banners.id, title: banners.title })
        .from(banners)
        .where(eq(banners.ruleId, rule.id))
        .then(gated("banner")),
  ]) {
    found.push(await query());
  }
  return found.flat();
}

export function describeUser(user: RuleUser): string {
  return user.kind === "rule"
    ? `rule ${user.label} (#${user.id})`
    : `${user.kind.replace("_", " ")} #${user.id} “${user.label}”`;
}

export const userDetails = (users: readonly RuleUser[]): ErrorDetail[] =>
  users.map((user) => ({
    message: `used by ${describeUser(user)}`,
    kind: user.kind,
    id: user.id,
    label: user.label,
  }));

/** "a, b, c and 4 more" — the message names the first few; details list them all. */
export function listSome(users: readonly RuleUser[], shown = 5): string {
  const names = users.slice(0, shown).map(describeUser);
  return users.length > shown ? `${names.join(", ")} and ${users.length - shown} more` : names.join(", ");
}
