import { eq } from "drizzle-orm";
import { schema, type Tx } from "../../db/index.ts";
import { AppError, type ErrorDetail } from "../../errors.ts";
import type { Dependent } from "./kind.ts";

const TARGETS = [
  { field: "rule_id", table: schema.rules, noun: "rule" },
  { field: "sidebar_group_id", table: schema.sidebarGroups, noun: "sidebar group" },
  { field: "card_group_id", table: schema.cardGroups, noun: "card group" },
] as const;

/**
 * A component may only point at objects that exist: said here with the field's name, instead of
 * a foreign-key error from the database. Runs inside the change's transaction, after its lock,
 * so the answer cannot go stale before the commit.
 */
export async function assertReferencesExist(tx: Tx, input: Readonly<Record<string, unknown>>): Promise<void> {
  const problems: ErrorDetail[] = [];
  for (const { field, table, noun } of TARGETS) {
    const id = input[field];
    if (typeof id !== "number") continue;
    const [found] = await tx.select({ id: table.id }).from(table).where(eq(table.id, id));
    if (!found) problems.push({ path: field, message: `${noun} #${id} does not exist` });
  }
  const first = problems[0];
  if (first) throw new AppError("validation_failed", `${first.path}: ${first.message}`, problems);
}

/** A group's dependents: the sections that name it in `column` (its sidebar or card group). */
export function sectionsNaming(
  column: typeof schema.sections.sidebarGroupId | typeof schema.sections.cardGroupId,
) {
  const { sections } = schema;
  return async (tx: Tx, id: number): Promise<Dependent[]> =>
    (await tx.select({ id: sections.id, title: sections.title }).from(sections).where(eq(column, id))).map(
      (s) => ({ kind: "section" as const, id: s.id, label: s.title }),
    );
}
