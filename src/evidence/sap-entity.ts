import { z } from "zod";

/**
 * The SAP HR OData v2 wire shapes (docs/integrations.md). Parsing is deliberately loose where
 * SAP is loose (null dates, deferred navigation, blanks) and strict where a wrong value would
 * silently change what rules see (types of the fields we map).
 */

/** `/Date(ms)/` or `/Date(ms+0180)/`; `null` when SAP has no date. */
const sapDate = z.string().nullable();

export const SapRoleSchema = z.object({
  RoleId: z.string(),
  Apps: z.string(),
});
export type SapRole = z.infer<typeof SapRoleSchema>;

/** `Roles` is either expanded (`results`) or a deferred link when `$expand=Roles` was not asked. */
export const SapRolesSchema = z.union([
  z.object({ results: z.array(SapRoleSchema) }),
  z.object({ __deferred: z.object({ uri: z.string() }) }),
]);

export const SapEmployeeSchema = z.object({
  Pernr: z.string(),
  Ename: z.string(),
  Gesch: z.string(),
  Gbdat: sapDate,
  HireDate: sapDate,
  Plans: z.string(),
  PlansText: z.string(),
  Orgeh: z.string(),
  OrgPath: z.string(),
  Werks: z.string(),
  WerksText: z.string(),
  StoreId: z.string(),
  Persg: z.string(),
  Persk: z.string(),
  IsManager: z.boolean(),
  Roles: SapRolesSchema,
});

/** What SAP sends for one employee (plus `__metadata`, which we ignore). */
export interface SapEmployee {
  __metadata?: { id?: string; uri?: string; type: string };
  Pernr: string;
  Ename: string;
  Gesch: string;
  Gbdat: string | null;
  HireDate: string | null;
  Plans: string;
  PlansText: string;
  Orgeh: string;
  OrgPath: string;
  Werks: string;
  WerksText: string;
  StoreId: string;
  Persg: string;
  Persk: string;
  IsManager: boolean;
  Roles:
    | { results: Array<{ __metadata?: { type: string }; RoleId: string; Apps: string }> }
    | { __deferred: { uri: string } };
}

export const SAP_SERVICE = "ZHR_LK_EMPLOYEE_SRV";
