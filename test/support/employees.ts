import type { EmployeeEvidence } from "../../src/evidence/schema.ts";

/** A plausible employee; tests override what they care about. */
export function makeEmployee(overrides: Partial<EmployeeEvidence> = {}): EmployeeEvidence {
  return {
    personnel_number: "00123456",
    full_name: "Иванова Мария Петровна",
    gender: "female",
    birthday: "1990-01-01",
    hire_date: "2020-01-01",
    position_id: "50012345",
    position: "Директор магазина",
    orgunit_id: "51893158",
    orgunit_path: ["50000000", "50623875", "51893158"],
    region: "R077",
    region_name: "Москва",
    store_id: "S07712",
    employee_group: "1",
    employment_type: "full_time",
    is_manager: true,
    roles: ["employee", "store_director"],
    apps: ["payslip", "vacation", "vacation_approval"],
    ...overrides,
  };
}
