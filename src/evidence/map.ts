import type { z } from "zod";
import { parseSapDate, SapDateError } from "./sap-date.ts";
import { SapEmployeeSchema } from "./sap-entity.ts";
import { SapError } from "./sap-error.ts";
import { type EmployeeEvidence, EmployeeEvidenceSchema } from "./schema.ts";

/**
 * SAP employee entity → evidence, per the contract's field table (docs/integrations.md).
 * Pure. Throws SapError("shape") when the entity is not what the contract says; the message
 * names fields, never values (logs must not carry employee data).
 *
 * `Roles` as `__deferred` maps to no roles: the mapping cannot fetch. SapClient resolves a
 * deferred `Roles` before mapping, so this only happens for callers that skip it.
 */
export function mapSapEmployee(entity: unknown): EmployeeEvidence {
  const parsed = SapEmployeeSchema.safeParse(entity);
  if (!parsed.success)
    throw new SapError("shape", `SAP employee has a wrong shape: ${describe(parsed.error)}`);
  const e = parsed.data;
  const roles = "results" in e.Roles ? e.Roles.results : [];
  const evidence = {
    personnel_number: e.Pernr.trim(),
    full_name: e.Ename.trim(),
    gender: genderOf(e.Gesch),
    birthday: dateField(e.Gbdat, "Gbdat"),
    hire_date: dateField(e.HireDate, "HireDate"),
    position_id: e.Plans.trim(),
    position: e.PlansText.trim(),
    orgunit_id: e.Orgeh.trim(),
    orgunit_path: splitList(e.OrgPath, "/"),
    region: e.Werks.trim(),
    region_name: e.WerksText.trim(),
    store_id: e.StoreId.trim() === "" ? null : e.StoreId.trim(),
    employee_group: e.Persg.trim(),
    employment_type: employmentType(e.Persk),
    is_manager: e.IsManager,
    roles: unique(roles.map((r) => r.RoleId.trim()).filter((r) => r !== "")),
    apps: unique(roles.flatMap((r) => splitList(r.Apps, ";"))),
  };
  const checked = EmployeeEvidenceSchema.safeParse(evidence);
  if (!checked.success)
    throw new SapError("shape", `SAP employee maps to invalid evidence: ${describe(checked.error)}`);
  return checked.data;
}

function genderOf(gesch: string): EmployeeEvidence["gender"] {
  const key = gesch.trim();
  if (key === "1") return "male";
  if (key === "2") return "female";
  if (key === "") return null;
  throw new SapError("shape", "SAP employee has a wrong shape: Gesch: not 1, 2 or empty");
}

function employmentType(persk: string): EmployeeEvidence["employment_type"] {
  const key = persk.trim();
  if (key === "FT") return "full_time";
  if (key === "PT") return "part_time";
  // Unknown subgroups are refused rather than guessed: a guess would silently change rule results.
  throw new SapError("shape", "SAP employee has a wrong shape: Persk: not FT or PT");
}

function dateField(literal: string | null, field: string): string | null {
  try {
    return parseSapDate(literal);
  } catch (e) {
    if (e instanceof SapDateError)
      throw new SapError("shape", `SAP employee has a wrong shape: ${field}: ${e.message}`);
    throw e;
  }
}

/** "a; b;;a " → ["a", "b"]: trimmed, empties dropped, first occurrence kept. */
function splitList(value: string, separator: string): string[] {
  return unique(
    value
      .split(separator)
      .map((part) => part.trim())
      .filter((part) => part !== ""),
  );
}

const unique = (values: string[]): string[] => [...new Set(values)];

/** Issue paths and messages only; zod's messages do not echo the input value. */
function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
}
