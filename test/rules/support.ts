/** Shared fixtures for the rule-engine tests. */
import type { Evidence } from "../../src/evidence/schema.ts";
import type { RuleDefinition } from "../../src/rules/index.ts";

let nextId = 1000;

export function rule(name: string, expression: string, version = 1): RuleDefinition {
  nextId += 1;
  return { id: nextId, name, kind: "expression", expression, appCodes: [], version };
}

export function lk1(name: string, appCodes: string[], version = 1): RuleDefinition {
  nextId += 1;
  return { id: nextId, name, kind: "lk1", expression: "", appCodes, version };
}

export function employee(overrides: Partial<Evidence> = {}): Evidence {
  return {
    personnel_number: "01240519",
    full_name: "Иванова Мария Петровна",
    gender: "female",
    birthday: "1990-05-17",
    hire_date: "2019-03-01",
    position_id: "50001234",
    position: "Директор магазина",
    orgunit_id: "51893158",
    orgunit_path: ["50000001", "50623875", "51893158"],
    region: "R077",
    region_name: "Москва",
    store_id: "S1001",
    employee_group: "1",
    employment_type: "full_time",
    is_manager: true,
    roles: ["store_director"],
    apps: ["mail", "hr"],
    today: "2025-05-17",
    now: "2025-05-17T09:30:00.000Z",
    platform: "web",
    ...overrides,
  };
}

/** `{ name: value | "error" }` of a result map, for compact assertions. */
export function summary(
  results: ReadonlyMap<string, { ok: boolean; value?: boolean }>,
): Record<string, boolean | "error"> {
  const out: Record<string, boolean | "error"> = {};
  for (const [name, outcome] of results) out[name] = outcome.ok ? (outcome.value as boolean) : "error";
  return out;
}

/** The error text of one rule's outcome ("" when it did not fail). */
export function errorOf(results: ReadonlyMap<string, { ok: boolean; error?: string }>, name: string): string {
  const outcome = results.get(name);
  return outcome && !outcome.ok ? (outcome.error ?? "") : "";
}
