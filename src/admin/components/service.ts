import type { Db, Tx } from "../../db/index.ts";
import { AppError } from "../../errors.ts";
import { recordAudit } from "../audit/record.ts";
import { assertNotStale } from "../concurrency.ts";
import { parseInput } from "../parse.ts";
import { type Committed, catalogChange } from "../transaction.ts";
import type { ComponentKind, ComponentView, Dependent } from "./kind.ts";
import { assertReferencesExist } from "./references.ts";

/**
 * Create, change and delete any component kind. Each change is one transaction that checks
 * references, writes the row and its audit entry, and bumps the catalog version.
 */

type Fields = Record<string, unknown>;

export async function listComponents<I extends Fields, V extends ComponentView>(
  kind: ComponentKind<I, V>,
  db: Db,
): Promise<V[]> {
  return kind.list(db);
}

export async function getComponent<I extends Fields, V extends ComponentView>(
  kind: ComponentKind<I, V>,
  db: Db,
  id: number,
): Promise<V> {
  const found = await kind.find(db, id);
  if (!found) throw new AppError("not_found", `${kind.noun} #${id} does not exist`);
  return found;
}

export async function createComponent<I extends Fields, V extends ComponentView>(
  kind: ComponentKind<I, V>,
  db: Db,
  actor: string,
  body: unknown,
): Promise<Committed<V>> {
  const input = parseInput(kind.inputSchema, body);
  assertConsistent(kind, input);
  return catalogChange(db, async (tx) => {
    await assertReferencesExist(tx, input);
    return writeComponentRow(kind, tx, actor, null, input);
  });
}

export interface ComponentUpdate {
  id: number;
  expectedComponentVersion: number;
  body: unknown;
}

export async function updateComponent<I extends Fields, V extends ComponentView>(
  kind: ComponentKind<I, V>,
  db: Db,
  actor: string,
  update: ComponentUpdate,
): Promise<Committed<V>> {
  const changes: Fields = parseInput(kind.inputSchema, update.body);
  return catalogChange(db, async (tx) => {
    const before = await kind.find(tx, update.id);
    if (!before) throw new AppError("not_found", `${kind.noun} #${update.id} does not exist`);
    assertNotStale(kind.noun, before.id, before.version, update.expectedComponentVersion);
    const input = mergeOver(kind, before, changes);
    assertConsistent(kind, input);
    await assertReferencesExist(tx, input);
    return writeComponentRow(kind, tx, actor, before, input);
  });
}

/**
 * Writes a checked component: inserted (no `before`) or updated over `before` as its next
 * componentVersion, with its audit entry. The one write of a component, for the admin API and
 * both imports; what decides whether it may be written is the caller's.
 */
export async function writeComponentRow<I extends Fields, V extends ComponentView>(
  kind: ComponentKind<I, V>,
  tx: Tx,
  actor: string,
  before: V | null,
  input: I,
): Promise<V> {
  const after = before ? await kind.update(tx, before, input) : await kind.insert(tx, input);
  await recordAudit(tx, {
    actor,
    action: before ? "update" : "create",
    entity: kind.entity,
    entityId: after.id,
    before,
    after,
  });
  return after;
}

export interface ComponentDeletion {
  id: number;
  expectedComponentVersion?: number;
}

export async function deleteComponent<I extends Fields, V extends ComponentView>(
  kind: ComponentKind<I, V>,
  db: Db,
  actor: string,
  deletion: ComponentDeletion,
): Promise<Committed<V>> {
  return catalogChange(db, async (tx) => {
    const before = await kind.find(tx, deletion.id);
    if (!before) throw new AppError("not_found", `${kind.noun} #${deletion.id} does not exist`);
    assertNotStale(kind.noun, before.id, before.version, deletion.expectedComponentVersion);
    const dependents = await kind.dependents(tx, before.id);
    if (dependents.length > 0) {
      throw new AppError(
        "conflict",
        `${kind.noun} #${before.id} still holds ${describe(dependents)}; move or delete them first`,
        dependents.map((d) => ({
          message: `${d.kind} #${d.id} refers to it`,
          kind: d.kind,
          id: d.id,
          label: d.label,
        })),
      );
    }
    await kind.remove(tx, before.id);
    await recordAudit(tx, {
      actor,
      action: "delete",
      entity: kind.entity,
      entityId: before.id,
      before,
      after: null,
    });
    return before;
  });
}

/** A PUT's fields over the current object: what the PUT leaves out keeps its value. */
function mergeOver<I extends Fields, V extends ComponentView>(
  kind: ComponentKind<I, V>,
  current: V,
  changes: Fields,
): I {
  const currentFields: Fields = Object.fromEntries(Object.entries(current));
  const merged: Fields = {};
  for (const field of Object.keys(kind.inputSchema.shape)) {
    merged[field] = field in changes ? changes[field] : currentFields[field];
  }
  // The fields of a valid object with the fields of a valid PUT: valid field by field.
  return merged as I;
}

function assertConsistent<I extends Fields, V extends ComponentView>(
  kind: ComponentKind<I, V>,
  input: I,
): void {
  const problems = kind.problems?.(input) ?? [];
  const first = problems[0];
  if (first) throw new AppError("validation_failed", first.message, problems);
}

function describe(dependents: readonly Dependent[]): string {
  const shown = dependents.slice(0, 5).map((d) => `${d.kind} #${d.id} “${d.label}”`);
  const more = dependents.length > shown.length ? ` and ${dependents.length - shown.length} more` : "";
  return `${shown.join(", ")}${more}`;
}
