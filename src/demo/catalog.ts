import { CLUSTERS, DEMO_EMPLOYEES, DIVISIONS, OFFICE_DEPARTMENTS, STORES } from "../evidence/index.ts";

/**
 * The demo LK catalog, written the way LK admins write it: Russian titles, rules over the
 * demo SAP directory's org units, regions and roles, rules built on rules, LK1 app-code rules,
 * and long pasted lists. Components name their rule by `rule` (resolved to an id on seeding).
 */
export interface DemoRule {
  name: string;
  title: string;
  expression?: string;
  appCodes?: string[];
}

const list = (values: readonly (string | number)[]) => JSON.stringify(values).replaceAll(",", ", ");

/** A pilot pasted as a list of ~150 store codes, and a list of 300 personnel numbers. */
const PILOT_STORES = STORES.filter((_, i) => i % 13 === 0).map((s) => s.storeId);
const VIP_PERNRS = [
  ...DEMO_EMPLOYEES.filter((e) => e.key.includes("director")).map((e) => Number(e.pernr)),
  ...Array.from({ length: 300 }, (_, i) => 1_000 + i * 997),
];

export const DEMO_RULES: DemoRule[] = [
  { name: "is_store_staff", title: "Сотрудники магазинов", expression: "store_id !== null" },
  { name: "is_office", title: "Центральный офис", expression: `inOrgUnit("${DIVISIONS.office.id}")` },
  { name: "is_store_director", title: "Директора магазинов", expression: 'roles.includes("store_director")' },
  {
    name: "is_deputy_director",
    title: "Заместители директоров",
    expression: 'roles.includes("deputy_director")',
  },
  {
    name: "is_store_management",
    title: "Руководство магазина",
    expression: "is_store_director || is_deputy_director",
  },
  { name: "is_supervisor", title: "Супервайзеры", expression: 'roles.includes("supervisor")' },
  {
    name: "is_cluster_manager",
    title: "Руководители кластеров",
    expression: 'roles.includes("cluster_manager")',
  },
  {
    name: "network_management",
    title: "Управление сетью",
    expression: "is_supervisor || is_cluster_manager",
  },
  { name: "is_hr_admin", title: "HR-администраторы", expression: 'roles.includes("hr_admin")' },
  { name: "is_it", title: "Сотрудники ИТ", expression: 'roles.includes("it")' },
  { name: "is_cashier", title: "Кассиры", expression: 'roles.includes("cashier")' },
  { name: "is_external", title: "Внешние сотрудники", expression: 'employee_group === "3"' },
  { name: "is_part_time", title: "Неполная занятость", expression: 'employment_type === "part_time"' },
  { name: "has_subordinates", title: "Есть подчинённые", expression: "is_manager === true" },
  { name: "cluster_moscow", title: "Кластер «Москва»", expression: `inOrgUnit("${CLUSTERS.moscow.id}")` },
  { name: "cluster_spb", title: "Кластер «Санкт-Петербург»", expression: `inOrgUnit("${CLUSTERS.spb.id}")` },
  {
    name: "pilot_center_volga",
    title: "Пилот: кластеры Центр и Поволжье и избранные сотрудники",
    expression: `${list([CLUSTERS.center.id, CLUSTERS.volga.id])}.some(u => orgunit_path.includes(u)) || [217542, 12911].includes(Number(personnel_number))`,
  },
  { name: "moscow_regions", title: "Москва и область", expression: 'region === "R077" || region === "R050"' },
  { name: "far_east", title: "Дальний Восток", expression: 'region === "R025" || region === "R027"' },
  { name: "birthday_today", title: "День рождения сегодня", expression: "isBirthday()" },
  {
    name: "newcomer",
    title: "Новички (до 90 дней)",
    expression: "hire_date !== null && daysSince(hire_date) <= 90",
  },
  { name: "veteran_5y", title: "Стаж 5 лет и больше", expression: "yearsOfService() >= 5" },
  { name: "anniversary_10y", title: "10 лет в компании", expression: "yearsOfService() >= 10" },
  { name: "women", title: "Сотрудницы", expression: 'gender === "female"' },
  { name: "men", title: "Сотрудники-мужчины", expression: 'gender === "male"' },
  { name: "lk1_payslip", title: "LK1: расчётный листок", appCodes: ["payslip"] },
  { name: "lk1_vacation_approval", title: "LK1: согласование отпусков", appCodes: ["vacation_approval"] },
  { name: "lk1_lna_control", title: "LK1: контроль ЛНА", appCodes: ["lna_control"] },
  { name: "lk1_hr_console", title: "LK1: HR-консоль", appCodes: ["hr_admin_console", "recruiting"] },
  { name: "lk1_it_admin", title: "LK1: администрирование ИТ", appCodes: ["it_admin"] },
  { name: "store_reports_access", title: "Отчёты магазина", expression: 'apps.includes("store_reports")' },
  {
    name: "moscow_store_directors",
    title: "Директора магазинов кластера «Москва»",
    expression: "is_store_director && cluster_moscow",
  },
  {
    name: "store_staff_internal",
    title: "Штатные сотрудники магазинов",
    expression: "is_store_staff && !is_external",
  },
  {
    name: "full_time_store_staff",
    title: "Штатные сотрудники магазинов на полной ставке",
    expression: "store_staff_internal && !is_part_time",
  },
  {
    name: "new_payslip_rollout",
    title: "Новый расчётный листок: 10% + HR",
    expression: 'bucket("new-payslip") < 10 || is_hr_admin',
  },
  {
    name: "mobile_app_promo",
    title: "Промо мобильного приложения",
    expression: 'platform === "web" && is_store_staff',
  },
  {
    name: "hr_department",
    title: "Департамент персонала",
    expression: `inOrgUnit("${OFFICE_DEPARTMENTS.hr.id}")`,
  },
  {
    name: "pilot_stores",
    title: "Пилотные магазины (150)",
    expression: `${list(PILOT_STORES)}.includes(store_id)`,
  },
  {
    name: "vip_personnel",
    title: "Участники программы «Лидеры»",
    expression: `${list(VIP_PERNRS)}.includes(Number(personnel_number))`,
  },
  {
    name: "approves_absences",
    title: "Согласует отсутствия",
    expression: "is_store_management || has_subordinates",
  },
  { name: "newcomer_in_store", title: "Адаптация в магазине", expression: "newcomer && is_store_staff" },
  {
    name: "security_team",
    title: "Отдел информационной безопасности",
    expression: `inOrgUnit("${OFFICE_DEPARTMENTS.it.sections[3].id}")`,
  },
];

export interface DemoSection {
  title: string;
  url: string;
  icon?: string;
  card?: string;
  rule?: string;
  platforms?: string[];
}
export interface DemoSidebarGroup {
  title: string;
  icon: string;
  rule?: string;
  sections: DemoSection[];
}

export const DEMO_CARD_GROUPS: Array<{ key: string; title: string; rule?: string }> = [
  { key: "quick", title: "Быстрые действия" },
  { key: "director", title: "Для директора", rule: "is_store_management" },
  { key: "team", title: "Моя команда", rule: "has_subordinates" },
  { key: "hr", title: "Кадры", rule: "is_hr_admin" },
  { key: "learning", title: "Обучение и развитие" },
  { key: "office", title: "Офис", rule: "is_office" },
];

export const DEMO_SIDEBAR: DemoSidebarGroup[] = [
  {
    title: "Главная",
    icon: "home",
    sections: [
      { title: "Новости компании", url: "/news", icon: "newspaper" },
      { title: "Мой профиль", url: "/profile", icon: "user", card: "quick" },
      { title: "Справочник сотрудников", url: "/directory", icon: "users" },
      { title: "Календарь событий", url: "/events", icon: "calendar" },
      { title: "Опросы", url: "/surveys", icon: "poll" },
      { title: "Лидеры", url: "/leaders", icon: "star", rule: "vip_personnel" },
      { title: "Доска почёта", url: "/honor-board", icon: "award", rule: "veteran_5y" },
    ],
  },
  {
    title: "Зарплата и документы",
    icon: "wallet",
    sections: [
      { title: "Расчётный листок", url: "/payslip", icon: "receipt", card: "quick", rule: "lk1_payslip" },
      { title: "Новый расчётный листок", url: "/payslip/v2", icon: "receipt", rule: "new_payslip_rollout" },
      { title: "Справка 2-НДФЛ", url: "/documents/ndfl", icon: "file" },
      { title: "Заявления", url: "/documents/requests", icon: "file-plus", card: "quick" },
      { title: "Кадровые документы", url: "/documents/hr", icon: "folder" },
      { title: "Налоговый вычет", url: "/documents/tax", icon: "percent", platforms: ["web"] },
    ],
  },
  {
    title: "Отпуска и отсутствия",
    icon: "sun",
    sections: [
      { title: "Мой отпуск", url: "/vacation", icon: "sun", card: "quick" },
      { title: "График отпусков", url: "/vacation/schedule", icon: "calendar" },
      {
        title: "Согласование отпусков",
        url: "/vacation/approvals",
        icon: "check",
        card: "team",
        rule: "lk1_vacation_approval",
      },
      { title: "Замещения", url: "/deputies", icon: "repeat", card: "team", rule: "approves_absences" },
      { title: "Больничные", url: "/sick-leave", icon: "heart" },
      { title: "Командировки", url: "/business-trips", icon: "plane", rule: "is_office" },
    ],
  },
  {
    title: "Мой магазин",
    icon: "store",
    rule: "is_store_staff",
    sections: [
      { title: "График смен", url: "/store/shifts", icon: "clock", card: "quick" },
      { title: "Обмен сменами", url: "/store/shift-swap", icon: "repeat", rule: "full_time_store_staff" },
      {
        title: "Отчёты магазина",
        url: "/store/reports",
        icon: "chart",
        card: "director",
        rule: "store_reports_access",
      },
      { title: "Контроль ЛНА", url: "/store/lna", icon: "shield", card: "director", rule: "lk1_lna_control" },
      {
        title: "Чек-лист директора",
        url: "/store/checklist",
        icon: "list",
        card: "director",
        rule: "is_store_management",
      },
      { title: "Стандарты выкладки", url: "/store/planograms", icon: "layout" },
      { title: "Кассовая дисциплина", url: "/store/cash", icon: "cash", rule: "is_cashier" },
      { title: "Пилот: электронные ценники", url: "/store/esl-pilot", icon: "tag", rule: "pilot_stores" },
    ],
  },
  {
    title: "Управление сетью",
    icon: "map",
    rule: "network_management",
    sections: [
      { title: "KPI магазинов", url: "/network/kpi", icon: "chart" },
      { title: "Посещения магазинов", url: "/network/visits", icon: "map-pin" },
      {
        title: "Рейтинг кластера «Москва»",
        url: "/network/rating/moscow",
        icon: "trophy",
        rule: "cluster_moscow",
      },
      {
        title: "Рейтинг кластера «Санкт-Петербург»",
        url: "/network/rating/spb",
        icon: "trophy",
        rule: "cluster_spb",
      },
      { title: "Аудит стандартов", url: "/network/audit", icon: "clipboard", platforms: ["web", "ios"] },
    ],
  },
  {
    title: "Обучение",
    icon: "book",
    sections: [
      { title: "Мои курсы", url: "/learning", icon: "book", card: "learning" },
      {
        title: "Адаптация новичка",
        url: "/learning/onboarding",
        icon: "flag",
        card: "learning",
        rule: "newcomer",
      },
      {
        title: "Школа директоров",
        url: "/learning/directors",
        icon: "award",
        card: "learning",
        rule: "is_store_management",
      },
      { title: "Охрана труда", url: "/learning/safety", icon: "hard-hat", rule: "store_staff_internal" },
      { title: "Библиотека", url: "/learning/library", icon: "library", platforms: ["web"] },
      { title: "Наставничество", url: "/learning/mentoring", icon: "users", rule: "veteran_5y" },
    ],
  },
  {
    title: "Кадры",
    icon: "briefcase",
    rule: "is_hr_admin",
    sections: [
      { title: "HR-консоль", url: "/hr/console", icon: "terminal", card: "hr", rule: "lk1_hr_console" },
      { title: "Подбор персонала", url: "/hr/recruiting", icon: "search", card: "hr" },
      { title: "Кадровые приказы", url: "/hr/orders", icon: "file-text", card: "hr" },
      { title: "Отчёты по персоналу", url: "/hr/reports", icon: "chart" },
      { title: "Штатное расписание", url: "/hr/staffing", icon: "grid", rule: "hr_department" },
      { title: "Адаптация: контроль", url: "/hr/onboarding", icon: "flag" },
    ],
  },
  {
    title: "Офис",
    icon: "building",
    rule: "is_office",
    sections: [
      { title: "Заказ пропуска", url: "/office/pass", icon: "id-card", card: "office" },
      { title: "Авансовые отчёты", url: "/office/expenses", icon: "receipt", card: "office" },
      { title: "Переговорные", url: "/office/rooms", icon: "door", card: "office", platforms: ["web"] },
      { title: "Сервис-деск", url: "/office/service-desk", icon: "life-buoy" },
      { title: "Парковка", url: "/office/parking", icon: "car" },
    ],
  },
  {
    title: "ИТ",
    icon: "cpu",
    rule: "is_it",
    sections: [
      { title: "Администрирование", url: "/it/admin", icon: "settings", rule: "lk1_it_admin" },
      { title: "Заявки на доступ", url: "/it/access", icon: "key" },
      { title: "Инциденты ИБ", url: "/it/security", icon: "shield", rule: "security_team" },
      { title: "Мониторинг", url: "/it/monitoring", icon: "activity", platforms: ["web"] },
    ],
  },
  {
    title: "Льготы и сервисы",
    icon: "gift",
    sections: [
      { title: "ДМС", url: "/benefits/dms", icon: "heart", rule: "store_staff_internal" },
      { title: "Корпоративные скидки", url: "/benefits/discounts", icon: "percent" },
      { title: "Психологическая поддержка", url: "/benefits/support", icon: "smile" },
      { title: "Спорт", url: "/benefits/sport", icon: "activity", rule: "full_time_store_staff" },
      { title: "Корпоративный транспорт", url: "/benefits/transport", icon: "bus", rule: "moscow_regions" },
      { title: "Северная надбавка", url: "/benefits/far-east", icon: "snowflake", rule: "far_east" },
      { title: "Пилот центра и Поволжья", url: "/benefits/pilot", icon: "flask", rule: "pilot_center_volga" },
    ],
  },
];

export interface DemoBanner {
  title: string;
  imageUrl: string;
  link?: string;
  rule?: string;
  platforms?: string[];
  /** Window relative to the seeding moment, in days; absent means open. */
  fromDays?: number;
  toDays?: number;
}

export const DEMO_BANNERS: DemoBanner[] = [
  {
    title: "С днём рождения!",
    imageUrl: "/img/banners/birthday.png",
    link: "/birthday",
    rule: "birthday_today",
  },
  {
    title: "Добро пожаловать в команду!",
    imageUrl: "/img/banners/welcome.png",
    link: "/learning/onboarding",
    rule: "newcomer",
  },
  { title: "10 лет вместе — спасибо!", imageUrl: "/img/banners/10-years.png", rule: "anniversary_10y" },
  {
    title: "Конкурс директоров Москвы",
    imageUrl: "/img/banners/contest.png",
    link: "/contest",
    rule: "moscow_store_directors",
  },
  {
    title: "Установите мобильное приложение",
    imageUrl: "/img/banners/app.png",
    link: "/app",
    rule: "mobile_app_promo",
    platforms: ["web"],
  },
  {
    title: "Новый расчётный листок уже здесь",
    imageUrl: "/img/banners/payslip.png",
    link: "/payslip/v2",
    rule: "new_payslip_rollout",
  },
  {
    title: "Опрос вовлечённости 2026",
    imageUrl: "/img/banners/survey.png",
    link: "/surveys/2026",
    fromDays: -7,
    toDays: 30,
  },
  {
    title: "Новогодний корпоратив",
    imageUrl: "/img/banners/new-year.png",
    link: "/events/new-year",
    fromDays: 10,
    toDays: 40,
  },
  { title: "Итоги года в приложении", imageUrl: "/img/banners/results.png", platforms: ["ios", "android"] },
  { title: "Электронные ценники: пилот", imageUrl: "/img/banners/esl.png", rule: "pilot_stores" },
  {
    title: "Северная надбавка: новые правила",
    imageUrl: "/img/banners/north.png",
    rule: "far_east",
    fromDays: -30,
    toDays: 60,
  },
  {
    title: "Летний отпуск: подайте заявку",
    imageUrl: "/img/banners/vacation.png",
    link: "/vacation",
    fromDays: -60,
    toDays: -1,
  },
];
