import { asc, eq, getTableColumns, sql } from "drizzle-orm";
import type { z } from "zod";
import type { schema, Tx } from "../../db/index.ts";
import type { ComponentEntity, ComponentKind, ComponentView, Dependent } from "./kind.ts";

export type ComponentTable =
  | typeof schema.sidebarGroups
  | typeof schema.cardGroups
  | typeof schema.sections
  | typeof schema.banners;

/** What one kind says about itself; the reads and writes come from defineComponentKind. */
export interface ComponentKindSpec<T extends ComponentTable, Input extends Record<string, unknown>, View> {
  entity: ComponentEntity;
  noun: string;
  path: string;
  table: T;
  inputSchema: z.ZodObject & z.ZodType<Input>;
  viewSchema: z.ZodObject & z.ZodType<View>;
  dependents?: (tx: Tx, id: number) => Promise<Dependent[]>;
  problems?: (input: Input) => Array<{ path: string; message: string }>;
}

/**
 * One kind of component, its CRUD derived from its table and its schemas: a view is the fields
 * of the view schema read from the row's camelCase columns, instants as ISO strings; what is written is every field of the input
 * schema, in camelCase, with a field left out written as null (the service has already merged
 * a PUT with the current object) and instants as Dates. A new field is a column and a line in
 * each schema, nothing here.
 */
export function defineComponentKind<
  T extends ComponentTable,
  Input extends Record<string, unknown>,
  View extends ComponentView,
>(spec: ComponentKindSpec<T, Input, View>): ComponentKind<Input, View> {
  // Drizzle cannot type a query over a union of tables, hence one cast, kept here.
  const table = spec.table as ComponentTable;
  const columns = getTableColumns(table) as Record<string, { dataType: string }>;
  const fields = Object.keys(spec.inputSchema.shape);
  const viewFields = Object.keys(spec.viewSchema.shape);
  const toView = (row: Record<string, unknown>): View => {
    const view: Record<string, unknown> = {};
    for (const field of viewFields) {
      const value = row[camelCase(field)];
      view[field] = value instanceof Date ? value.toISOString() : value;
    }
    return view as View;
  };
  const values = (input: Input) =>
    Object.fromEntries(
      fields.map((field) => {
        const column = camelCase(field);
        const value = input[field] ?? null;
        const isInstant = columns[column]?.dataType === "date" && typeof value === "string";
        return [column, isInstant ? new Date(value) : value];
      }),
    );
  return {
    entity: spec.entity,
    noun: spec.noun,
    path: spec.path,
    inputSchema: spec.inputSchema,
    viewSchema: spec.viewSchema,
    async list(db) {
      return (await db.select().from(table).orderBy(asc(table.order), asc(table.id))).map(toView);
    },
    async find(db, id) {
      const [row] = await db.select().from(table).where(eq(table.id, id));
      return row && toView(row);
    },
    async insert(tx, input) {
      return toView(
        onlyRow(
          await tx
            .insert(table)
            .values(values(input) as never)
            .returning(),
        ),
      );
    },
    async update(tx, current, input) {
      const set = { ...values(input), version: current.version + 1, updatedAt: sql`now()` };
      return toView(onlyRow(await tx.update(table).set(set).where(eq(table.id, current.id)).returning()));
    },
    async remove(tx, id) {
      await tx.delete(table).where(eq(table.id, id));
    },
    dependents: spec.dependents ?? (async () => []),
    problems: spec.problems,
  };
}

const camelCase = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The one row an insert or an update of one id gives back. */
function onlyRow<R>(rows: R[]): R {
  const [row] = rows;
  if (!row) throw new Error("the row vanished inside its own transaction");
  return row;
}
