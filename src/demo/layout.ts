/**
 * The demo LK catalog's home page: card groups, the sidebar with its sections, and banners, with
 * Russian titles as LK has them. Each names its rule by `rule` (a rule of catalog.ts, resolved to
 * an id on seeding).
 */

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
