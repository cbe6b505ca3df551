/** Demo personas: real employees of the generated directory, each with what makes them useful. */
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
