import type { z } from "zod";
import { parseSapDate, SapDateError } from "./sap-date.ts";
import { SapEmployeeSchema } from "./sap-entity.ts";
import { SapError } from "./sap-error.ts";
import { type EmployeeEvidence, EmployeeEvidenceSchema } from "./schema.ts";

/**
 * SAP employee entity → evidence, per the contract's field table (docs/integrations.md).
 * The result is compact and immutable (see `compactEvidence`). Throws SapError("shape") when
 * the entity is not what the contract says; the message names fields, never values (logs must
 * not carry employee data).
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
  return compactEvidence(checked.data);
}

/**
 * Up to EVIDENCE_CACHE_SIZE employees' evidence stays in memory, and most of its values repeat:
 * the 300,000 demo employees share ~6,000 org paths, 25 regions, 24 positions, ~20,000 dates.
 * Decoded strings are new copies each time, so this keeps one copy of each repeated value and
 * one frozen array per distinct list (a frozen array is stored sparse by JSC, ~4× its size: one
 * per distinct list, not three per employee). A cached employee: ~1.9 → ~0.6 KB of heap, and
 * 21 → 4 strings (bench/RESULTS.md, "Memory"). The lists are shared by employees, so they must
 * be frozen; the object is frozen too (shared by every request for that employee). One object
 * literal, so that JSC gives it inline storage for every field.
 */
export function compactEvidence(e: EmployeeEvidence): EmployeeEvidence {
  // Typed, so that a field added to the schema and not here fails to compile (not dropped).
  const compact: EmployeeEvidence = {
    personnel_number: e.personnel_number,
    full_name: e.full_name,
    gender: e.gender,
    birthday: internNullable(e.birthday),
    hire_date: internNullable(e.hire_date),
    position_id: e.position_id,
    position: intern(e.position),
    orgunit_id: intern(e.orgunit_id),
    orgunit_path: internList(e.orgunit_path),
    region: intern(e.region),
    region_name: intern(e.region_name),
    store_id: internNullable(e.store_id),
    employee_group: intern(e.employee_group),
    employment_type: e.employment_type,
    is_manager: e.is_manager,
    roles: internList(e.roles),
    apps: internList(e.apps),
  };
  return Object.freeze(compact);
}

/**
 * Bounded: a directory with more distinct values than this (or a value per employee by mistake)
 * starts a new table; values already shared stay shared, only new ones are copies again.
 */
const INTERN_LIMIT = 100_000;
let strings = new Map<string, string>();
let lists = new Map<string, readonly string[]>();

function intern(value: string): string {
  const known = strings.get(value);
  if (known !== undefined) return known;
  if (strings.size >= INTERN_LIMIT) strings = new Map();
  strings.set(value, value);
  return value;
}

const internNullable = (value: string | null): string | null => (value === null ? null : intern(value));

function internList(values: readonly string[]): string[] {
  const key = values.join("\u0000");
  const known = lists.get(key);
  // The key is ambiguous only if a value holds a NUL: then compare before sharing.
  if (known !== undefined && sameList(known, values)) return known as string[];
  if (lists.size >= INTERN_LIMIT) lists = new Map();
  const list = Object.freeze(values.map(intern));
  lists.set(key, list);
  return list as string[];
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
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
