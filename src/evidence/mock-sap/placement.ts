/**
 * Where each personnel number sits in the chain: a fixed permutation of the layout, then the
 * position, org path, region, store and roles of its slot. Pure and O(1) per employee.
 */
import {
  CLUSTERS,
  type ClusterKey,
  type DepartmentKey,
  DIVISIONS,
  OFFICE_DEPARTMENTS,
  ORG_ROOT,
  type PositionKey,
  REGION_STORE_COUNTS,
  type RegionCode,
  type RoleId,
} from "./layout.ts";
// ---------------------------------------------------------------------------------------------
// Generation. Personnel numbers 00000001..00300000; a fixed permutation spreads them over the
// layout so that neighbouring numbers are not in the same store (as with real hire order).

export const EMPLOYEE_COUNT = 300_000;
export const STORE_STAFF = 144; // slots per store, see storeSlot()
const PERM_A = 104_729; // prime, coprime with 300,000
const PERM_B = 48_611;

interface StoreInfo {
  region: RegionCode;
  cluster: ClusterKey;
  storeId: string;
  orgeh: string;
}

/** The 2,000 stores in region order (the only table built at start: small). */
export const STORES: readonly StoreInfo[] = (() => {
  const stores: StoreInfo[] = [];
  for (const clusterKey of Object.keys(CLUSTERS) as ClusterKey[]) {
    for (const region of CLUSTERS[clusterKey].regions) {
      for (let n = 1; n <= REGION_STORE_COUNTS[region]; n++) {
        const index = stores.length;
        stores.push({
          region,
          cluster: clusterKey,
          storeId: `S${region.slice(1)}${String(n).padStart(2, "0")}`,
          orgeh: String(51_000_000 + (((index + 1) * 7919) % 1_000_000)),
        });
      }
    }
  }
  return stores;
})();
export const STORE_EMPLOYEES = STORES.length * STORE_STAFF;
const SUPERVISOR_COUNT = STORES.length / 10; // one per 10 consecutive stores
const CLUSTER_STAFF = 25;
const OFFICE_START = STORE_EMPLOYEES + SUPERVISOR_COUNT + 8 * CLUSTER_STAFF;
/** Central office headcount by department, in layout order (sums to the rest of 300,000). */
const DEPARTMENT_SIZES: ReadonlyArray<[DepartmentKey, number]> = [
  ["hr", 1600],
  ["it", 2400],
  ["finance", 2000],
  ["logistics", 3600],
  ["commercial", EMPLOYEE_COUNT - OFFICE_START - 1600 - 2400 - 2000 - 3600],
];

const regionUnit = (region: RegionCode) => `505${region.slice(1)}00`;
const cashDeskUnit = (store: StoreInfo) => `53${store.orgeh.slice(2)}`;
const warehouseUnit = (store: StoreInfo) => `54${store.orgeh.slice(2)}`;

function modInverse(a: number, m: number): number {
  let [oldR, r] = [a, m];
  let [oldS, s] = [1, 0];
  while (r !== 0) {
    const q = Math.floor(oldR / r);
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}
const PERM_A_INV = modInverse(PERM_A, EMPLOYEE_COUNT);

/** Personnel number (1-based) → layout slot, and back. */
export const slotOf = (n: number) => ((n - 1) * PERM_A + PERM_B) % EMPLOYEE_COUNT;
export function pernrOfSlot(slot: number): string {
  const i = (((slot - PERM_B) % EMPLOYEE_COUNT) + EMPLOYEE_COUNT) % EMPLOYEE_COUNT;
  const n = Number((BigInt(i) * BigInt(PERM_A_INV)) % BigInt(EMPLOYEE_COUNT)) + 1;
  return String(n).padStart(8, "0");
}

/** Deterministic 32-bit hash of (number, salt) → [0, 1). */
export function rand(n: number, salt: number): number {
  let h = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 0x27d4eb2f, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4_294_967_296;
}
export const pick = <T>(list: readonly T[], n: number, salt: number): T =>
  list[Math.floor(rand(n, salt) * list.length)] as T;

/** What a layout slot is, before names, dates and quirks are added. */
export interface Placement {
  position: PositionKey;
  orgPath: string[];
  region: RegionCode;
  storeId: string;
  roles: RoleId[];
  isManager: boolean;
  femaleShare: number;
  partTimeShare: number;
  externalShare: number;
}

function storePlacement(slot: number): Placement {
  const store = STORES[Math.floor(slot / STORE_STAFF)] as StoreInfo;
  const seat = slot % STORE_STAFF;
  const storePath = [
    ORG_ROOT.id,
    DIVISIONS.retail.id,
    CLUSTERS[store.cluster].id,
    regionUnit(store.region),
    store.orgeh,
  ];
  const base = { region: store.region, storeId: store.storeId, isManager: false, externalShare: 0 };
  const at = (unit?: string) => (unit ? [...storePath, unit] : storePath);
  if (seat === 0)
    return {
      ...base,
      position: "store_director",
      orgPath: at(),
      roles: ["employee", "store_director"],
      isManager: true,
      femaleShare: 0.55,
      partTimeShare: 0,
    };
  if (seat <= 2)
    return {
      ...base,
      position: "deputy_director",
      orgPath: at(),
      roles: ["employee", "deputy_director"],
      isManager: true,
      femaleShare: 0.6,
      partTimeShare: 0,
    };
  if (seat <= 4)
    return {
      ...base,
      position: "shift_admin",
      orgPath: at(),
      roles: ["employee", "seller"],
      femaleShare: 0.6,
      partTimeShare: 0.05,
    };
  if (seat <= 9)
    return {
      ...base,
      position: "senior_cashier",
      orgPath: at(cashDeskUnit(store)),
      roles: ["employee", "cashier"],
      femaleShare: 0.85,
      partTimeShare: 0.1,
    };
  if (seat <= 59)
    return {
      ...base,
      position: "cashier",
      orgPath: at(cashDeskUnit(store)),
      roles: ["employee", "cashier"],
      femaleShare: 0.8,
      partTimeShare: 0.3,
    };
  if (seat <= 109)
    return {
      ...base,
      position: "seller",
      orgPath: at(),
      roles: ["employee", "seller"],
      femaleShare: 0.6,
      partTimeShare: 0.25,
    };
  if (seat <= 124)
    return {
      ...base,
      position: "storekeeper",
      orgPath: at(warehouseUnit(store)),
      roles: ["employee", "warehouse"],
      femaleShare: 0.3,
      partTimeShare: 0.05,
    };
  if (seat <= 134)
    return {
      ...base,
      position: "loader",
      orgPath: at(warehouseUnit(store)),
      roles: ["employee", "warehouse"],
      femaleShare: 0.05,
      partTimeShare: 0.1,
      externalShare: 0.5,
    };
  return {
    ...base,
    position: "baker",
    orgPath: at(),
    roles: ["employee"],
    femaleShare: 0.7,
    partTimeShare: 0.1,
  };
}

function fieldPlacement(k: number): Placement {
  if (k < SUPERVISOR_COUNT) {
    const store = STORES[k * 10] as StoreInfo;
    return {
      position: "supervisor",
      orgPath: [ORG_ROOT.id, DIVISIONS.retail.id, CLUSTERS[store.cluster].id, regionUnit(store.region)],
      region: store.region,
      storeId: "",
      roles: ["employee", "supervisor", "manager"],
      isManager: true,
      femaleShare: 0.45,
      partTimeShare: 0,
      externalShare: 0,
    };
  }
  const c = Math.floor((k - SUPERVISOR_COUNT) / CLUSTER_STAFF);
  const seat = (k - SUPERVISOR_COUNT) % CLUSTER_STAFF;
  const clusterKey = (Object.keys(CLUSTERS) as ClusterKey[])[c] as ClusterKey;
  const cluster = CLUSTERS[clusterKey];
  const base = {
    orgPath: [ORG_ROOT.id, DIVISIONS.retail.id, cluster.id],
    region: cluster.regions[0] as RegionCode,
    storeId: "",
    partTimeShare: 0.02,
    externalShare: 0,
  };
  if (seat === 0)
    return {
      ...base,
      position: "cluster_director",
      roles: ["employee", "cluster_manager", "manager"],
      isManager: true,
      femaleShare: 0.35,
    };
  if (seat <= 4)
    return {
      ...base,
      position: "hr_business_partner",
      roles: ["employee", "office", "hr_admin"],
      isManager: false,
      femaleShare: 0.85,
    };
  return {
    ...base,
    position: "analyst",
    roles: ["employee", "office"],
    isManager: false,
    femaleShare: 0.55,
  };
}

const DEPARTMENT_STAFF: Record<DepartmentKey, PositionKey[]> = {
  hr: ["hr_admin", "hr_admin", "recruiter", "specialist", "lead_specialist"],
  it: ["developer", "developer", "sysadmin", "specialist", "lead_specialist"],
  finance: ["accountant", "accountant", "economist", "specialist", "lead_specialist"],
  logistics: ["logistician", "logistician", "dispatcher", "specialist", "lead_specialist"],
  commercial: ["category_manager", "category_manager", "specialist", "specialist", "lead_specialist"],
};
const DEPARTMENT_FEMALE: Record<DepartmentKey, number> = {
  hr: 0.85,
  it: 0.25,
  finance: 0.75,
  logistics: 0.35,
  commercial: 0.55,
};

function officePlacement(k: number): Placement {
  let offset = k;
  let dept: DepartmentKey = "hr";
  let size = 0;
  for (const [key, n] of DEPARTMENT_SIZES) {
    dept = key;
    size = n;
    if (offset < n) break;
    offset -= n;
  }
  const department = OFFICE_DEPARTMENTS[dept];
  const sectionSize = Math.ceil(size / department.sections.length);
  const sectionIndex = Math.floor(offset / sectionSize);
  const section = department.sections[sectionIndex] as { id: string };
  const seat = offset % sectionSize;
  const deptPath = [ORG_ROOT.id, DIVISIONS.office.id, department.id];
  const base = {
    region: "R077" as RegionCode,
    storeId: "",
    femaleShare: DEPARTMENT_FEMALE[dept],
    partTimeShare: 0.02,
    externalShare: dept === "it" ? 0.08 : 0.01,
  };
  const deptRoles: RoleId[] = ["employee", "office", ...(dept === "it" ? (["it"] as RoleId[]) : [])];
  if (offset === 0)
    return {
      ...base,
      position: "department_director",
      orgPath: deptPath,
      roles: [...deptRoles, "manager"],
      isManager: true,
      externalShare: 0,
      partTimeShare: 0,
    };
  if (seat === 0)
    return {
      ...base,
      position: "section_head",
      orgPath: [...deptPath, section.id],
      roles: [...deptRoles, "manager"],
      isManager: true,
      externalShare: 0,
      partTimeShare: 0,
    };
  const position = DEPARTMENT_STAFF[dept][seat % 5] as PositionKey;
  return {
    ...base,
    position,
    orgPath: [...deptPath, section.id],
    roles: position === "hr_admin" ? [...deptRoles, "hr_admin"] : deptRoles,
    isManager: false,
  };
}

export function placementOfSlot(slot: number): Placement {
  if (slot < STORE_EMPLOYEES) return storePlacement(slot);
  if (slot < OFFICE_START) return fieldPlacement(slot - STORE_EMPLOYEES);
  return officePlacement(slot - OFFICE_START);
}
