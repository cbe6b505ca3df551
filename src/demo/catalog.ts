import { CLUSTERS, DEMO_EMPLOYEES, DIVISIONS, OFFICE_DEPARTMENTS, STORES } from "../evidence/index.ts";

/**
 * The demo LK catalog's rules, written the way LK admins write them: Russian titles, rules over
 * the demo SAP directory's org units, regions and roles, rules built on rules, LK1 app-code
 * rules, and long pasted lists. The components that use them are layout.ts.
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
