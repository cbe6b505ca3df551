import type { z } from "zod";
import type { Db, Tx } from "../../db/index.ts";
import type { ErrorDetail } from "../../errors.ts";
import type { AuditEntity } from "../audit/schemas.ts";

export type ComponentEntity = Exclude<AuditEntity, "rule">;

export interface ComponentView {
  id: number;
  version: number;
}

/** Something that holds on to a component and so blocks deleting it. */
export interface Dependent {
  kind: ComponentEntity;
  id: number;
  label: string;
}

/**
 * One kind of home-page component, as the generic admin service and routes need it: its schemas,
 * its table's typed reads and writes, and what refers to it.
 */
export interface ComponentKind<Input extends Record<string, unknown>, View extends ComponentView> {
  entity: ComponentEntity;
  /** For messages: "sidebar group". */
  noun: string;
  /** Under /admin: "/sidebar-groups". */
  path: string;
  inputSchema: z.ZodObject & z.ZodType<Input>;
  viewSchema: z.ZodType<View>;
  list(db: Db): Promise<View[]>;
  find(db: Db | Tx, id: number): Promise<View | undefined>;
  insert(tx: Tx, input: Input): Promise<View>;
  update(tx: Tx, current: View, input: Input): Promise<View>;
  remove(tx: Tx, id: number): Promise<void>;
  dependents(tx: Tx, id: number): Promise<Dependent[]>;
  /** Checks across fields of the complete object, e.g. a banner's window. */
  problems?(input: Input): ErrorDetail[];
}
