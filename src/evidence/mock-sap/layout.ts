/**
 * The demo chain's structure: the org tree, regions, clusters, stores per region, office
 * departments, positions, apps and roles (see directory.ts for how employees are laid out on it).
 * The demo catalog's rules are written against these names and ids, so they are stable: change
 * them only together with the catalog.
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
