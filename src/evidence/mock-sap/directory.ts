import type { SapEmployee } from "../sap-entity.ts";

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

export const ORG_ROOT = { id: "50000000", name: "ООО «Ритейл Групп»" } as const;

export const DIVISIONS = {
  retail: { id: "50000100", name: "Розничная сеть" },
  office: { id: "50000200", name: "Центральный офис" },
} as const;

export const REGIONS = {
  R077: "Москва",
  R050: "Московская область",
  R078: "Санкт-Петербург",
  R047: "Ленинградская область",
  R036: "Воронежская область",
  R071: "Тульская область",
  R076: "Ярославская область",
  R040: "Калужская область",
  R016: "Республика Татарстан",
  R063: "Самарская область",
  R052: "Нижегородская область",
  R064: "Саратовская область",
  R023: "Краснодарский край",
  R061: "Ростовская область",
  R034: "Волгоградская область",
  R066: "Свердловская область",
  R074: "Челябинская область",
  R059: "Пермский край",
  R002: "Республика Башкортостан",
  R054: "Новосибирская область",
  R024: "Красноярский край",
  R055: "Омская область",
  R038: "Иркутская область",
  R025: "Приморский край",
  R027: "Хабаровский край",
} as const;
export type RegionCode = keyof typeof REGIONS;

export const CLUSTERS = {
  moscow: { id: "50623875", name: "Москва", regions: ["R077", "R050"] },
  spb: { id: "50623911", name: "Санкт-Петербург", regions: ["R078", "R047"] },
  center: { id: "50624102", name: "Центр", regions: ["R036", "R071", "R076", "R040"] },
  volga: { id: "50624237", name: "Поволжье", regions: ["R016", "R063", "R052", "R064"] },
  south: { id: "50624380", name: "Юг", regions: ["R023", "R061", "R034"] },
  ural: { id: "50624516", name: "Урал", regions: ["R066", "R074", "R059", "R002"] },
  siberia: { id: "50624661", name: "Сибирь", regions: ["R054", "R024", "R055", "R038"] },
  far_east: { id: "50624795", name: "Дальний Восток", regions: ["R025", "R027"] },
} as const satisfies Record<string, { id: string; name: string; regions: readonly RegionCode[] }>;
export type ClusterKey = keyof typeof CLUSTERS;

/** Stores per region (sums to 2,000). StoreId is "S" + region digits + 2-digit number: S07712. */
export const REGION_STORE_COUNTS: Readonly<Record<RegionCode, number>> = {
  R077: 99,
  R050: 99,
  R078: 99,
  R047: 90,
  R036: 80,
  R071: 60,
  R076: 55,
  R040: 50,
  R016: 99,
  R063: 95,
  R052: 95,
  R064: 65,
  R023: 99,
  R061: 99,
  R034: 70,
  R066: 99,
  R074: 80,
  R059: 70,
  R002: 80,
  R054: 99,
  R024: 80,
  R055: 60,
  R038: 60,
  R025: 68,
  R027: 50,
};

/** Central office departments, each with four sections (ids are org units). */
export const OFFICE_DEPARTMENTS = {
  hr: {
    id: "50210000",
    name: "Департамент персонала",
    sections: [
      { id: "50211000", name: "Отдел кадрового администрирования" },
      { id: "50212000", name: "Отдел подбора персонала" },
      { id: "50213000", name: "Отдел обучения" },
      { id: "50214000", name: "Отдел компенсаций и льгот" },
    ],
  },
  it: {
    id: "50220000",
    name: "ИТ-департамент",
    sections: [
      { id: "50221000", name: "Отдел разработки" },
      { id: "50222000", name: "Отдел инфраструктуры" },
      { id: "50223000", name: "Служба поддержки" },
      { id: "50224000", name: "Отдел информационной безопасности" },
    ],
  },
  finance: {
    id: "50230000",
    name: "Финансовый департамент",
    sections: [
      { id: "50231000", name: "Бухгалтерия" },
      { id: "50232000", name: "Планово-экономический отдел" },
      { id: "50233000", name: "Казначейство" },
      { id: "50234000", name: "Отдел расчёта заработной платы" },
    ],
  },
  logistics: {
    id: "50240000",
    name: "Департамент логистики",
    sections: [
      { id: "50241000", name: "Отдел транспортной логистики" },
      { id: "50242000", name: "Отдел складской логистики" },
      { id: "50243000", name: "Диспетчерская служба" },
      { id: "50244000", name: "Отдел планирования поставок" },
    ],
  },
  commercial: {
    id: "50250000",
    name: "Коммерческий департамент",
    sections: [
      { id: "50251000", name: "Отдел закупок" },
      { id: "50252000", name: "Отдел категорийного менеджмента" },
      { id: "50253000", name: "Отдел маркетинга" },
      { id: "50254000", name: "Отдел ценообразования" },
    ],
  },
} as const;
export type DepartmentKey = keyof typeof OFFICE_DEPARTMENTS;

export const POSITIONS = {
  store_director: "Директор магазина",
  deputy_director: "Заместитель директора",
  shift_admin: "Администратор торгового зала",
  senior_cashier: "Старший кассир",
  cashier: "Кассир",
  seller: "Продавец-консультант",
  storekeeper: "Кладовщик",
  loader: "Грузчик",
  baker: "Пекарь",
  supervisor: "Супервайзер",
  cluster_director: "Директор кластера",
  hr_business_partner: "HR-бизнес-партнёр",
  analyst: "Аналитик",
  department_director: "Директор департамента",
  section_head: "Начальник отдела",
  hr_admin: "HR-администратор",
  recruiter: "Менеджер по подбору персонала",
  specialist: "Специалист",
  lead_specialist: "Ведущий специалист",
  developer: "Разработчик",
  sysadmin: "Системный администратор",
  accountant: "Бухгалтер",
  economist: "Экономист",
  logistician: "Логист",
  dispatcher: "Диспетчер",
  category_manager: "Категорийный менеджер",
} as const;
export type PositionKey = keyof typeof POSITIONS;

export const APP_CODES = [
  "payslip",
  "vacation",
  "hr_documents",
  "training",
  "schedule",
  "shift_swap",
  "vacation_approval",
  "lna_control",
  "deputies",
  "store_reports",
  "kpi",
  "hr_admin_console",
  "recruiting",
  "expense_reports",
  "it_service_desk",
  "it_admin",
  "pass_request",
] as const;
export type AppCode = (typeof APP_CODES)[number];

/** Portal roles and the LK1 apps each grants (SAP sends them `;`-separated; "" is possible). */
export const ROLE_APPS = {
  employee: ["payslip", "vacation", "hr_documents", "training"],
  cashier: ["schedule", "shift_swap"],
  seller: ["schedule", "shift_swap"],
  warehouse: ["schedule"],
  store_director: ["vacation_approval", "lna_control", "deputies", "store_reports", "schedule"],
  deputy_director: ["vacation_approval", "deputies", "store_reports"],
  supervisor: ["store_reports", "kpi", "lna_control"],
  cluster_manager: ["store_reports", "kpi", "vacation_approval"],
  hr_admin: ["hr_admin_console", "recruiting", "lna_control", "hr_documents"],
  office: ["expense_reports", "it_service_desk"],
  it: ["it_admin", "it_service_desk"],
  manager: ["vacation_approval", "deputies"],
  external: [],
} as const satisfies Record<string, readonly AppCode[]>;
export type RoleId = keyof typeof ROLE_APPS;
export const ROLES = Object.keys(ROLE_APPS) as RoleId[];

/** Personas to log in as in the demo (dev auth: the Bearer token is the personnel number). */
export const DEMO_EMPLOYEES = [
  {
    key: "moscow_store_director",
    pernr: "00217542",
    name: "Борисова Оксана Игоревна",
    persona: "Директор магазина S07701, Москва (кластер Москва), manager",
  },
  {
    key: "moscow_deputy_director",
    pernr: "00012911",
    name: "Баранов Марат Владимирович",
    persona: "Заместитель директора магазина S07701, Москва",
  },
  {
    key: "spb_cashier",
    pernr: "00218267",
    name: "Моисеева Екатерина Фёдоровна",
    persona: "Кассир, магазин S07801, Санкт-Петербург, full time",
  },
  {
    key: "spb_store_director",
    pernr: "00178470",
    name: "Тихомиров Тимур Игоревич",
    persona: "Директор магазина S07801, Санкт-Петербург",
  },
  {
    key: "part_time_cashier",
    pernr: "00191913",
    name: "Матвеева Дарья Борисовна",
    persona: "Кассир, магазин S07704, Москва, part time (Persk PT)",
  },
  {
    key: "supervisor",
    pernr: "00289542",
    name: "Мельников Арсений Михайлович",
    persona: "Супервайзер, регион R077 Москва (stores S07701..S07710), no store",
  },
  {
    key: "cluster_director",
    pernr: "00163342",
    name: "Хабибуллин Роман Рустамович",
    persona: "Директор кластера Москва",
  },
  {
    key: "hr_admin",
    pernr: "00213987",
    name: "Родионова Елизавета Михайловна",
    persona: "HR-администратор, Центральный офис, Департамент персонала",
  },
  {
    key: "it_specialist",
    pernr: "00213649",
    name: "Крылова Дарья Ильинична",
    persona: "Специалист, Центральный офис, ИТ-департамент (roles office, it)",
  },
  {
    key: "it_director",
    pernr: "00227542",
    name: "Симонов Вадим Евгеньевич",
    persona: "Директор департамента, ИТ-департамент",
  },
  {
    key: "external_worker",
    pernr: "00057910",
    name: "Сергеев Павел Романович",
    persona: "Грузчик, магазин S07702, Москва, external (Persg 3, role external, no apps)",
  },
  {
    key: "sap_quirks",
    pernr: "00290175",
    name: "Пономарёва Юлия Александровна",
    persona:
      'Продавец-консультант S02705, Хабаровский край: Gesch "", no birthday (null), trailing blanks, +0180 dates',
  },
] as const;

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
const STORE_EMPLOYEES = STORES.length * STORE_STAFF;
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
const slotOf = (n: number) => ((n - 1) * PERM_A + PERM_B) % EMPLOYEE_COUNT;
export function pernrOfSlot(slot: number): string {
  const i = (((slot - PERM_B) % EMPLOYEE_COUNT) + EMPLOYEE_COUNT) % EMPLOYEE_COUNT;
  const n = Number((BigInt(i) * BigInt(PERM_A_INV)) % BigInt(EMPLOYEE_COUNT)) + 1;
  return String(n).padStart(8, "0");
}

/** Deterministic 32-bit hash of (number, salt) → [0, 1). */
function rand(n: number, salt: number): number {
  let h = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 0x27d4eb2f, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4_294_967_296;
}
const pick = <T>(list: readonly T[], n: number, salt: number): T =>
  list[Math.floor(rand(n, salt) * list.length)] as T;

// Names: [male, female] forms.
const SURNAMES: ReadonlyArray<readonly [string, string]> = [
  ["Иванов", "Иванова"],
  ["Смирнов", "Смирнова"],
  ["Кузнецов", "Кузнецова"],
  ["Попов", "Попова"],
  ["Васильев", "Васильева"],
  ["Петров", "Петрова"],
  ["Соколов", "Соколова"],
  ["Михайлов", "Михайлова"],
  ["Новиков", "Новикова"],
  ["Фёдоров", "Фёдорова"],
  ["Морозов", "Морозова"],
  ["Волков", "Волкова"],
  ["Алексеев", "Алексеева"],
  ["Лебедев", "Лебедева"],
  ["Семёнов", "Семёнова"],
  ["Егоров", "Егорова"],
  ["Павлов", "Павлова"],
  ["Козлов", "Козлова"],
  ["Степанов", "Степанова"],
  ["Николаев", "Николаева"],
  ["Орлов", "Орлова"],
  ["Андреев", "Андреева"],
  ["Макаров", "Макарова"],
  ["Никитин", "Никитина"],
  ["Захаров", "Захарова"],
  ["Зайцев", "Зайцева"],
  ["Соловьёв", "Соловьёва"],
  ["Борисов", "Борисова"],
  ["Яковлев", "Яковлева"],
  ["Григорьев", "Григорьева"],
  ["Романов", "Романова"],
  ["Воробьёв", "Воробьёва"],
  ["Сергеев", "Сергеева"],
  ["Кузьмин", "Кузьмина"],
  ["Фролов", "Фролова"],
  ["Александров", "Александрова"],
  ["Дмитриев", "Дмитриева"],
  ["Королёв", "Королёва"],
  ["Гусев", "Гусева"],
  ["Киселёв", "Киселёва"],
  ["Ильин", "Ильина"],
  ["Максимов", "Максимова"],
  ["Поляков", "Полякова"],
  ["Сорокин", "Сорокина"],
  ["Виноградов", "Виноградова"],
  ["Ковалёв", "Ковалёва"],
  ["Белов", "Белова"],
  ["Медведев", "Медведева"],
  ["Антонов", "Антонова"],
  ["Тарасов", "Тарасова"],
  ["Жуков", "Жукова"],
  ["Баранов", "Баранова"],
  ["Филиппов", "Филиппова"],
  ["Комаров", "Комарова"],
  ["Давыдов", "Давыдова"],
  ["Беляев", "Беляева"],
  ["Герасимов", "Герасимова"],
  ["Богданов", "Богданова"],
  ["Осипов", "Осипова"],
  ["Сидоров", "Сидорова"],
  ["Матвеев", "Матвеева"],
  ["Титов", "Титова"],
  ["Марков", "Маркова"],
  ["Миронов", "Миронова"],
  ["Крылов", "Крылова"],
  ["Куликов", "Куликова"],
  ["Карпов", "Карпова"],
  ["Власов", "Власова"],
  ["Мельников", "Мельникова"],
  ["Денисов", "Денисова"],
  ["Гаврилов", "Гаврилова"],
  ["Тихонов", "Тихонова"],
  ["Казаков", "Казакова"],
  ["Афанасьев", "Афанасьева"],
  ["Данилов", "Данилова"],
  ["Савельев", "Савельева"],
  ["Тимофеев", "Тимофеева"],
  ["Фомин", "Фомина"],
  ["Чернов", "Чернова"],
  ["Абрамов", "Абрамова"],
  ["Мартынов", "Мартынова"],
  ["Ефимов", "Ефимова"],
  ["Федотов", "Федотова"],
  ["Щербаков", "Щербакова"],
  ["Назаров", "Назарова"],
  ["Калинин", "Калинина"],
  ["Исаев", "Исаева"],
  ["Чернышёв", "Чернышёва"],
  ["Быков", "Быкова"],
  ["Маслов", "Маслова"],
  ["Родионов", "Родионова"],
  ["Коновалов", "Коновалова"],
  ["Лазарев", "Лазарева"],
  ["Воронин", "Воронина"],
  ["Климов", "Климова"],
  ["Филатов", "Филатова"],
  ["Пономарёв", "Пономарёва"],
  ["Голубев", "Голубева"],
  ["Кудрявцев", "Кудрявцева"],
  ["Прохоров", "Прохорова"],
  ["Наумов", "Наумова"],
  ["Потапов", "Потапова"],
  ["Журавлёв", "Журавлёва"],
  ["Овчинников", "Овчинникова"],
  ["Трофимов", "Трофимова"],
  ["Леонов", "Леонова"],
  ["Соболев", "Соболева"],
  ["Ермаков", "Ермакова"],
  ["Колесников", "Колесникова"],
  ["Гончаров", "Гончарова"],
  ["Емельянов", "Емельянова"],
  ["Никифоров", "Никифорова"],
  ["Грачёв", "Грачёва"],
  ["Котов", "Котова"],
  ["Гришин", "Гришина"],
  ["Ефремов", "Ефремова"],
  ["Архипов", "Архипова"],
  ["Громов", "Громова"],
  ["Кириллов", "Кириллова"],
  ["Малышев", "Малышева"],
  ["Панов", "Панова"],
  ["Моисеев", "Моисеева"],
  ["Румянцев", "Румянцева"],
  ["Акимов", "Акимова"],
  ["Кондратьев", "Кондратьева"],
  ["Бирюков", "Бирюкова"],
  ["Горбунов", "Горбунова"],
  ["Анисимов", "Анисимова"],
  ["Ерёмин", "Ерёмина"],
  ["Тихомиров", "Тихомирова"],
  ["Галкин", "Галкина"],
  ["Лукьянов", "Лукьянова"],
  ["Михеев", "Михеева"],
  ["Скворцов", "Скворцова"],
  ["Юдин", "Юдина"],
  ["Белоусов", "Белоусова"],
  ["Нестеров", "Нестерова"],
  ["Симонов", "Симонова"],
  ["Прокофьев", "Прокофьева"],
  ["Харитонов", "Харитонова"],
  ["Князев", "Князева"],
  ["Цветков", "Цветкова"],
  ["Левин", "Левина"],
  ["Митрофанов", "Митрофанова"],
  ["Воронов", "Воронова"],
  ["Аксёнов", "Аксёнова"],
  ["Софронов", "Софронова"],
  ["Мальцев", "Мальцева"],
  ["Логинов", "Логинова"],
  ["Горшков", "Горшкова"],
  ["Савин", "Савина"],
  ["Краснов", "Краснова"],
  ["Майоров", "Майорова"],
  ["Демидов", "Демидова"],
  ["Елисеев", "Елисеева"],
  ["Рыбаков", "Рыбакова"],
  ["Сафонов", "Сафонова"],
  ["Плотников", "Плотникова"],
  ["Демин", "Демина"],
  ["Хохлов", "Хохлова"],
  ["Жданов", "Жданова"],
  ["Островский", "Островская"],
  ["Покровский", "Покровская"],
  ["Вишневский", "Вишневская"],
  ["Зелинский", "Зелинская"],
  ["Шевченко", "Шевченко"],
  ["Бондаренко", "Бондаренко"],
  ["Коваленко", "Коваленко"],
  ["Ткаченко", "Ткаченко"],
  ["Ковальчук", "Ковальчук"],
  ["Гарипов", "Гарипова"],
  ["Хабибуллин", "Хабибуллина"],
  ["Сафин", "Сафина"],
  ["Валиев", "Валиева"],
  ["Галиев", "Галиева"],
];
const MALE_NAMES = [
  "Александр",
  "Дмитрий",
  "Максим",
  "Сергей",
  "Андрей",
  "Алексей",
  "Артём",
  "Илья",
  "Кирилл",
  "Михаил",
  "Никита",
  "Матвей",
  "Роман",
  "Егор",
  "Арсений",
  "Иван",
  "Денис",
  "Евгений",
  "Даниил",
  "Тимофей",
  "Владислав",
  "Игорь",
  "Владимир",
  "Павел",
  "Руслан",
  "Марат",
  "Константин",
  "Олег",
  "Виктор",
  "Николай",
  "Юрий",
  "Вадим",
  "Антон",
  "Георгий",
  "Григорий",
  "Степан",
  "Ринат",
  "Тимур",
];
const FEMALE_NAMES = [
  "Анастасия",
  "Мария",
  "Анна",
  "Виктория",
  "Екатерина",
  "Наталья",
  "Марина",
  "Полина",
  "Дарья",
  "Алина",
  "Ирина",
  "Елена",
  "Ольга",
  "Татьяна",
  "Юлия",
  "Ксения",
  "Светлана",
  "Евгения",
  "Людмила",
  "Валентина",
  "Галина",
  "Надежда",
  "Вера",
  "Любовь",
  "Оксана",
  "Кристина",
  "Александра",
  "Софья",
  "Елизавета",
  "Алёна",
  "Диана",
  "Гульнара",
  "Лилия",
  "Эльвира",
];
const PATRONYMICS: ReadonlyArray<readonly [string, string]> = [
  ["Александрович", "Александровна"],
  ["Сергеевич", "Сергеевна"],
  ["Владимирович", "Владимировна"],
  ["Андреевич", "Андреевна"],
  ["Алексеевич", "Алексеевна"],
  ["Дмитриевич", "Дмитриевна"],
  ["Николаевич", "Николаевна"],
  ["Иванович", "Ивановна"],
  ["Михайлович", "Михайловна"],
  ["Викторович", "Викторовна"],
  ["Юрьевич", "Юрьевна"],
  ["Олегович", "Олеговна"],
  ["Игоревич", "Игоревна"],
  ["Евгеньевич", "Евгеньевна"],
  ["Петрович", "Петровна"],
  ["Павлович", "Павловна"],
  ["Васильевич", "Васильевна"],
  ["Анатольевич", "Анатольевна"],
  ["Геннадьевич", "Геннадьевна"],
  ["Валерьевич", "Валерьевна"],
  ["Борисович", "Борисовна"],
  ["Романович", "Романовна"],
  ["Максимович", "Максимовна"],
  ["Константинович", "Константиновна"],
  ["Григорьевич", "Григорьевна"],
  ["Ильич", "Ильинична"],
  ["Фёдорович", "Фёдоровна"],
  ["Рустамович", "Рустамовна"],
];

/** What a layout slot is, before names, dates and quirks are added. */
interface Placement {
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

function placementOfSlot(slot: number): Placement {
  if (slot < STORE_EMPLOYEES) return storePlacement(slot);
  if (slot < OFFICE_START) return fieldPlacement(slot - STORE_EMPLOYEES);
  return officePlacement(slot - OFFICE_START);
}

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
