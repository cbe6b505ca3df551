import type { SapEmployee } from "../sap-entity.ts";
import { POSITIONS, REGIONS, ROLE_APPS, type RoleId } from "./layout.ts";
import { FEMALE_NAMES, MALE_NAMES, PATRONYMICS, SURNAMES } from "./names.ts";
import {
  EMPLOYEE_COUNT,
  type Placement,
  pick,
  placementOfSlot,
  rand,
  STORE_EMPLOYEES,
  slotOf,
} from "./placement.ts";

/**
 * The demo directory: 300,000 employees of a Russian retail chain, generated on demand from the
 * personnel number (O(1) per employee, nothing precomputed but a 2,000-entry store table).
 * The vocabulary below is what the demo catalog's rules are written against, so the names and
 * ids are stable: change them only together with the catalog.
 *
 * Org tree (OrgPath is 3 to 6 levels deep):
 *   ORG_ROOT
 *   ├─ DIVISIONS.retail ─ cluster ─ region unit ─ store ─ (cash desk | warehouse)   store staff
 *   │                       │          └ supervisors (4 levels)
 *   │                       └ cluster management (3 levels)
 *   └─ DIVISIONS.office ─ department ─ section                                      office staff
 */
export * from "./layout.ts";
export { DEMO_EMPLOYEES } from "./personas.ts";
export { EMPLOYEE_COUNT, pernrOfSlot, STORE_STAFF, STORES } from "./placement.ts";

const DAY_MS = 86_400_000;
const BIRTH_FROM = Date.UTC(1960, 0, 1);
const BIRTH_TO = Date.UTC(2006, 11, 31);
const HIRE_FROM = Date.UTC(2005, 0, 10);
const HIRE_TO = Date.UTC(2025, 5, 30);

/** SAP's date literal for a UTC midnight; some rows come with a +0180 (Moscow) offset. */
function sapDate(utcMidnight: number, withOffset: boolean): string {
  // With an offset SAP sends the instant of local midnight: 21:00 UTC of the day before, +180 min.
  return withOffset ? `/Date(${utcMidnight - 180 * 60_000}+0180)/` : `/Date(${utcMidnight})/`;
}

const MOCK_BASE = "https://sap-gw.example/sap/opu/odata/sap/ZHR_LK_EMPLOYEE_SRV";

/**
 * The SAP entity of one employee, Roles expanded, SAP quirks included; `undefined` outside
 * 00000001..00300000. Pure and O(1).
 */
export function generateEmployee(pernr: string): SapEmployee | undefined {
  if (!/^\d{8}$/.test(pernr)) return undefined;
  const n = Number(pernr);
  if (n < 1 || n > EMPLOYEE_COUNT) return undefined;
  const slot = slotOf(n);
  const p = placementOfSlot(slot);

  const genderRoll = rand(n, 1);
  const female = genderRoll < p.femaleShare;
  const g = female ? 1 : 0;
  const fullName = `${pick(SURNAMES, n, 2)[g]} ${pick(female ? FEMALE_NAMES : MALE_NAMES, n, 3)} ${pick(PATRONYMICS, n, 4)[g]}`;
  const external = rand(n, 5) < p.externalShare;
  const partTime = rand(n, 6) < p.partTimeShare;

  const birthday = BIRTH_FROM + Math.floor(rand(n, 7) * ((BIRTH_TO - BIRTH_FROM) / DAY_MS)) * DAY_MS;
  const earliestHire = Math.max(HIRE_FROM, birthday + 18 * 365 * DAY_MS);
  const hire = earliestHire + Math.floor(rand(n, 8) * ((HIRE_TO - earliestHire) / DAY_MS)) * DAY_MS;

  // Quirks, deterministic per employee: trailing blanks, offset dates, missing values.
  const q = rand(n, 9);
  const pad = (s: string, share: number, salt: number) => (rand(n, salt) < share ? `${s}   ` : s);
  const roles: RoleId[] = external ? ["external"] : p.roles;

  return {
    __metadata: {
      id: `${MOCK_BASE}/EmployeeSet('${pernr}')`,
      uri: `${MOCK_BASE}/EmployeeSet('${pernr}')`,
      type: "ZHR_LK_EMPLOYEE_SRV.Employee",
    },
    Pernr: pernr,
    Ename: pad(fullName, 0.03, 10),
    Gesch: rand(n, 11) < 0.005 ? "" : female ? "2" : "1",
    Gbdat: rand(n, 12) < 0.005 ? null : sapDate(birthday, q < 0.1),
    HireDate: rand(n, 13) < 0.003 ? null : sapDate(hire, q < 0.1),
    Plans: String(60_000_000 + slot),
    PlansText: pad(POSITIONS[p.position], 0.07, 14),
    Orgeh: p.orgPath[p.orgPath.length - 1] as string,
    OrgPath: p.orgPath.join("/"),
    Werks: p.region,
    WerksText: pad(REGIONS[p.region], 0.05, 15),
    StoreId: p.storeId,
    Persg: external ? "3" : "1",
    Persk: partTime ? "PT" : "FT",
    IsManager: p.isManager && !external,
    Roles: {
      results: roles.map((roleId) => ({
        __metadata: { type: "ZHR_LK_EMPLOYEE_SRV.Role" },
        RoleId: roleId,
        Apps: ROLE_APPS[roleId].join(";"),
      })),
    },
  };
}

/** What a layout slot holds, for finding demo personas and for tests. */
export function describeSlot(slot: number): Placement {
  return placementOfSlot(slot);
}
export { STORE_EMPLOYEES as STORE_EMPLOYEE_COUNT, slotOf as layoutSlotOfNumber };
