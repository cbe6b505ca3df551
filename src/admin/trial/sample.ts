/**
 * The employees a rule is tried on before it goes live: pure functions over plain data.
 *
 * A sample is the awkward synthetic employees first (SAP's real gaps: no birthday, no hire date,
 * no roles, no store, …), then real employees from the best source there is, then demo-directory
 * employees until it holds TRIAL_SAMPLE_SIZE. Everything is deterministic: the same inputs give
 * the same sample in the same order, so a trial's verdict is reproducible.
 */
import {
  DEMO_EMPLOYEES,
  EMPLOYEE_COUNT,
  type EmployeeEvidence,
  type Evidence,
  generateEmployee,
  mapSapEmployee,
  PLATFORMS,
  requestExtras,
} from "../../evidence/index.ts";

/** Employees in every trial (the contract asks for at least 100). */
export const TRIAL_SAMPLE_SIZE = 128;

/** One employee of the sample; `synthetic` says what is odd about a made-up one. */
export interface SampleEmployee {
  evidence: EmployeeEvidence;
  synthetic?: string;
}

/** A plausible store employee the synthetic ones vary (values from the demo vocabulary). */
const BASE: EmployeeEvidence = {
  personnel_number: "99999900",
  full_name: "Синтетический Сотрудник Пробный",
  gender: "female",
  birthday: "1990-06-15",
  hire_date: "2018-03-01",
  position_id: "60000001",
  position: "Кассир",
  orgunit_id: "51893158",
  orgunit_path: ["50000000", "50000100", "50623875", "51893158"],
  region: "R077",
  region_name: "Москва",
  store_id: "S07701",
  employee_group: "1",
  employment_type: "full_time",
  is_manager: false,
  roles: ["employee", "cashier"],
  apps: ["payslip", "vacation"],
};

/**
 * The employees real data has that rule authors forget: each differs from a plausible one in
 * one way, and one has every gap at once. Personnel numbers 999999xx mark them as synthetic.
 * `today` (YYYY-MM-DD) gives one a birthday and a hire date of today.
 */
export function awkwardEmployees(today: string): SampleEmployee[] {
  const odd = (n: number, synthetic: string, fields: Partial<EmployeeEvidence>): SampleEmployee => ({
    evidence: { ...BASE, personnel_number: `999999${String(n).padStart(2, "0")}`, ...fields },
    synthetic,
  });
  return [
    odd(1, "birthday null", { birthday: null }),
    odd(2, "hire_date null", { hire_date: null }),
    odd(3, "roles empty", { roles: [] }),
    odd(4, "apps empty", { apps: [] }),
    odd(5, "store_id null (office)", {
      store_id: null,
      position: "Специалист",
      roles: ["employee", "office"],
    }),
    odd(6, "orgunit_path empty", { orgunit_path: [] }),
    odd(7, "gender null", { gender: null }),
    odd(8, "blank texts", {
      full_name: "",
      position: "",
      position_id: "",
      orgunit_id: "",
      region: "",
      region_name: "",
      employee_group: "",
    }),
    odd(9, "every field empty or null", {
      full_name: "",
      gender: null,
      birthday: null,
      hire_date: null,
      position_id: "",
      position: "",
      orgunit_id: "",
      orgunit_path: [],
      region: "",
      region_name: "",
      store_id: null,
      employee_group: "",
      employment_type: "part_time",
      roles: [],
      apps: [],
    }),
    odd(10, "born 29 February, part time", { birthday: "2000-02-29", employment_type: "part_time" }),
    odd(11, "birthday and hire date today", { birthday: `1985-${today.slice(5)}`, hire_date: today }),
    odd(12, "hire date in the future", { hire_date: "2099-01-01", birthday: "1940-01-01" }),
    odd(13, "manager with many roles, deep org unit", {
      is_manager: true,
      roles: ["employee", "store_director", "deputy_director", "supervisor", "hr_admin", "it"],
      apps: ["payslip", "vacation", "vacation_approval", "store_reports", "hr_admin_console"],
      orgunit_path: ["50000000", "50000100", "50623875", "51893158", "51893159", "51893160"],
      orgunit_id: "51893160",
    }),
    odd(14, "external worker", { employee_group: "3", roles: ["external"], apps: [] }),
  ];
}

const DEMO_STRIDE = 293_003;

/** `count` personnel numbers spread evenly over the demo directory, the demo personas first. */
export function demoPersonnelNumbers(count: number): string[] {
  const numbers = new Set<string>(DEMO_EMPLOYEES.map((persona) => persona.pernr));
  // The stride is co-prime to the directory size, so no number repeats and the picks land all
  // over the layout (stores, supervisors, office) rather than in one store.
  for (let i = 0; numbers.size < count && i < EMPLOYEE_COUNT; i += 1) {
    const n = 1 + ((i * DEMO_STRIDE) % EMPLOYEE_COUNT);
    numbers.add(String(n).padStart(8, "0"));
  }
  return [...numbers].slice(0, count);
}

/** Demo-directory employees (generated, no SAP call): the top-up of every sample. */
export function demoEmployees(count: number): EmployeeEvidence[] {
  const employees: EmployeeEvidence[] = [];
  for (const pernr of demoPersonnelNumbers(count)) {
    const entity = generateEmployee(pernr);
    if (entity) employees.push(mapSapEmployee(entity));
  }
  return employees;
}

/**
 * At most `count` of `employees`, spread evenly over them in personnel-number order, so that a
 * source's answer in any order gives the same picks.
 */
export function spreadPick(employees: readonly EmployeeEvidence[], count: number): EmployeeEvidence[] {
  const sorted = [...employees].sort((a, b) => a.personnel_number.localeCompare(b.personnel_number));
  if (sorted.length <= count) return sorted;
  const step = sorted.length / count;
  return Array.from({ length: count }, (_, i) => sorted[Math.floor(i * step)]).filter(
    (e): e is EmployeeEvidence => e !== undefined,
  );
}

export interface SampleParts {
  awkward: readonly SampleEmployee[];
  /** Real employees from the sample source (any order, any number). */
  sourced: readonly EmployeeEvidence[];
  /** Employees to top up with when there are not enough of the others. */
  topUp: readonly EmployeeEvidence[];
  size?: number;
}

/** Awkward ones, then sourced ones, then top-up, without repeating a personnel number. */
export function buildTrialSample(parts: SampleParts): SampleEmployee[] {
  const size = parts.size ?? TRIAL_SAMPLE_SIZE;
  const sample: SampleEmployee[] = [];
  const seen = new Set<string>();
  const add = (employee: SampleEmployee) => {
    if (sample.length >= size || seen.has(employee.evidence.personnel_number)) return;
    seen.add(employee.evidence.personnel_number);
    sample.push(employee);
  };
  for (const employee of parts.awkward) add(employee);
  for (const evidence of spreadPick(parts.sourced, size - sample.length)) add({ evidence });
  for (const evidence of parts.topUp) add({ evidence });
  return sample;
}

/**
 * The evidence a rule sees for each sample employee: the request extras of one moment, the
 * platform taking turns so that platform-dependent rules meet every value.
 */
export function withRequestExtras(
  sample: readonly SampleEmployee[],
  now: Date,
  timeZone: string,
): Evidence[] {
  return sample.map((employee, i) => ({
    ...employee.evidence,
    ...requestExtras(now, timeZone, PLATFORMS[i % PLATFORMS.length] ?? "web"),
  }));
}
