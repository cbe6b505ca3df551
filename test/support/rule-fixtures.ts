/**
 * Realistic rule sets and employees for the rule-engine benchmark (and tests that want volume):
 * the mix admins actually write, long literal lists included (hundreds of personnel numbers,
 * dozens of org units). Deterministic: the same seed gives the same rules and employees.
 */
import type { Evidence } from "../../src/evidence/index.ts";
import type { RuleDefinition } from "../../src/rules/index.ts";

/** mulberry32: a tiny deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ORG_UNITS = Array.from({ length: 400 }, (_, i) => String(50_000_000 + i * 7919));
const REGIONS = Array.from({ length: 40 }, (_, i) => `R${String(i + 50).padStart(3, "0")}`);
const ROLES = [
  "store_director",
  "deputy_director",
  "cashier",
  "merchandiser",
  "hr_partner",
  "trainee",
  "driver",
];
const APPS = ["mail", "hr", "payslip", "lms", "crm", "wms", "pos", "bi", "helpdesk", "travel"];
const POSITIONS = ["Директор магазина", "Кассир", "Заместитель директора", "Водитель", "Мерчендайзер"];

export function generateRules(count: number, seed = 1): RuleDefinition[] {
  const rnd = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const pnums = (n: number, quoted: boolean) =>
    Array.from({ length: n }, () => {
      const p = String(10_000_000 + Math.floor(rnd() * 9_000_000));
      return quoted ? JSON.stringify(p) : String(Number(p));
    }).join(", ");
  const units = (n: number) => Array.from({ length: n }, () => JSON.stringify(pick(ORG_UNITS))).join(", ");
  const rules: RuleDefinition[] = [];
  for (let i = 0; i < count; i++) {
    const name = `rule_${i}`;
    const roll = rnd();
    let expression = "";
    let kind: RuleDefinition["kind"] = "expression";
    let appCodes: string[] = [];
    if (roll < 0.25) {
      expression = `[${units(10 + Math.floor(rnd() * 50))}].some(u => orgunit_path.includes(u)) || [${pnums(50 + Math.floor(rnd() * 300), false)}].includes(Number(personnel_number))`;
    } else if (roll < 0.4) {
      expression = `[${pnums(100 + Math.floor(rnd() * 400), true)}].includes(personnel_number)`;
    } else if (roll < 0.5) {
      expression = `roles.includes(${JSON.stringify(pick(ROLES))}) && region === ${JSON.stringify(pick(REGIONS))}`;
    } else if (roll < 0.57) {
      expression = rnd() < 0.5 ? "birthday !== null && birthday.slice(5) === today.slice(5)" : "isBirthday()";
    } else if (roll < 0.67 && i >= 2) {
      const a = `rule_${Math.floor(rnd() * i)}`;
      const b = `rule_${Math.floor(rnd() * i)}`;
      expression = a === b ? `${a} && is_manager` : `${a} && !${b}`;
    } else if (roll < 0.72) {
      expression = `bucket(${JSON.stringify(`feature-${i}`)}) < ${5 + Math.floor(rnd() * 50)}`;
    } else if (roll < 0.77) {
      expression = `matches(position, ${JSON.stringify(rnd() < 0.5 ? "директор" : "кассир")}) && employment_type === "full_time"`;
    } else if (roll < 0.82) {
      expression = `daysSince(hire_date) < ${30 + Math.floor(rnd() * 300)} && !roles.includes("trainee")`;
    } else if (roll < 0.87) {
      expression = `inOrgUnit(${units(3 + Math.floor(rnd() * 10))}) && platform !== "web"`;
    } else if (roll < 0.92) {
      expression = `[${REGIONS.slice(0, 5 + Math.floor(rnd() * 20))
        .map((r) => JSON.stringify(r))
        .join(", ")}].includes(region) && (is_manager || yearsOfService() >= 3)`;
    } else {
      kind = "lk1";
      appCodes = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => pick(APPS));
    }
    rules.push({ id: i + 1, name, kind, expression, appCodes, version: 1 });
  }
  return rules;
}

export function generateEmployees(count: number, seed = 2): Evidence[] {
  const rnd = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const date = (from: number, span: number) => {
    const d = new Date(Date.UTC(from, 0, 1) + Math.floor(rnd() * span * 365) * 86_400_000);
    return d.toISOString().slice(0, 10);
  };
  return Array.from({ length: count }, (_, i) => {
    const depth = 3 + Math.floor(rnd() * 4);
    return {
      personnel_number: String(10_000_000 + Math.floor(rnd() * 9_000_000)),
      full_name: `Сотрудник ${i}`,
      gender: rnd() < 0.5 ? "male" : "female",
      birthday: rnd() < 0.95 ? date(1960, 45) : null,
      hire_date: date(2005, 19),
      position_id: String(1000 + i),
      position: pick(POSITIONS),
      orgunit_id: pick(ORG_UNITS),
      orgunit_path: Array.from({ length: depth }, () => pick(ORG_UNITS)),
      region: pick(REGIONS),
      region_name: "Регион",
      store_id: rnd() < 0.7 ? String(Math.floor(rnd() * 5000)) : null,
      employee_group: "1",
      employment_type: rnd() < 0.8 ? "full_time" : "part_time",
      is_manager: rnd() < 0.2,
      roles: Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => pick(ROLES)),
      apps: Array.from({ length: Math.floor(rnd() * 4) }, () => pick(APPS)),
      today: "2025-06-15",
      now: "2025-06-15T09:30:00.000Z",
      platform: pick(["web", "ios", "android"] as const),
    } satisfies Evidence;
  });
}

/**
 * Rules of about `chars` characters each, nearly all of it one long literal list, as admins
 * paste them: quoted personnel numbers, personnel numbers as numbers, or store ids.
 */
export function generateLargeRules(count: number, chars = 19_000, seed = 7): RuleDefinition[] {
  const rnd = prng(seed);
  const shapes = [
    { head: "[", tail: "].includes(personnel_number)", item: () => quotedPernr(rnd) },
    {
      head: "[",
      tail: "].includes(Number(personnel_number))",
      item: () => String(1 + Math.floor(rnd() * 300_000)),
    },
    { head: "is_manager || [", tail: "].includes(personnel_number)", item: () => quotedPernr(rnd) },
    { head: 'roles.includes("store_director") && [', tail: "].includes(store_id)", item: () => storeId(rnd) },
    { head: "inStore(", tail: ")", item: () => storeId(rnd) },
  ];
  return Array.from({ length: count }, (_, i) => {
    const shape = shapes[i % shapes.length] as (typeof shapes)[number];
    const items: string[] = [];
    let length = shape.head.length + shape.tail.length;
    while (length < chars - 16) {
      const item = shape.item();
      items.push(item);
      length += item.length + 2;
    }
    const expression = `${shape.head}${items.join(", ")}${shape.tail}`;
    return { id: i + 1, name: `large_${i}`, kind: "expression", expression, appCodes: [], version: 1 };
  });
}

const quotedPernr = (rnd: () => number) =>
  JSON.stringify(String(1 + Math.floor(rnd() * 300_000)).padStart(8, "0"));
const storeId = (rnd: () => number) =>
  JSON.stringify(`S${String(Math.floor(rnd() * 99_999)).padStart(5, "0")}`);

/** `rule` edited the way an admin does: one more list element (or a changed literal), next version. */
export function editRule(rule: RuleDefinition, edit: number): RuleDefinition {
  const expression = rule.expression.includes("[")
    ? rule.expression.replace("[", `[${JSON.stringify(String(90_000_000 + edit))}, `)
    : `(${rule.expression}) || personnel_number === ${JSON.stringify(String(90_000_000 + edit))}`;
  return { ...rule, expression, version: rule.version + 1 };
}
