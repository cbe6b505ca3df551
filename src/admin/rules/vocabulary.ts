import { z } from "zod";
import type { Db } from "../../db/index.ts";
import { EvidenceSchema } from "../../evidence/index.ts";
import { HELPERS } from "../../rules/index.ts";
import { listRules } from "./queries.ts";

/**
 * What the rule editor completes: every evidence variable (its type, an example value and what
 * it is), every helper (signature and one line of doc) and every rule by name. The names come
 * from the engine (EvidenceSchema, HELPERS); the docs are for the admins, so they are Russian,
 * like the admin UI that shows them. A name without a doc fails to compile (variables) or the
 * vocabulary test (helpers).
 */

type VariableName = keyof z.infer<typeof EvidenceSchema>;

const VARIABLES: Record<VariableName, { example: unknown; doc: string }> = {
  personnel_number: { example: "00217542", doc: "Табельный номер, 8 цифр (строка)" },
  full_name: { example: "Иванова Мария Петровна", doc: "ФИО" },
  gender: { example: "female", doc: '"male", "female" или null' },
  birthday: { example: "1988-04-12", doc: "Дата рождения, «ГГГГ-ММ-ДД», или null" },
  hire_date: { example: "2019-09-02", doc: "Дата приёма, «ГГГГ-ММ-ДД», или null" },
  position_id: { example: "50012345", doc: "Код должности" },
  position: { example: "Директор магазина", doc: "Должность" },
  orgunit_id: { example: "50623875", doc: "Код подразделения" },
  orgunit_path: {
    example: ["50000001", "50600000", "50623875"],
    doc: "Подразделения от корня до своего (список кодов)",
  },
  region: { example: "R077", doc: "Код региона" },
  region_name: { example: "Москва", doc: "Регион" },
  store_id: { example: "S1001", doc: "Код магазина или null (офис)" },
  employee_group: { example: "1", doc: "Группа сотрудников SAP" },
  employment_type: { example: "full_time", doc: '"full_time" (полная занятость) или "part_time"' },
  is_manager: { example: true, doc: "Руководитель" },
  roles: { example: ["store_director"], doc: "Роли (список)" },
  apps: { example: ["payslip"], doc: "Приложения LK1 (список кодов)" },
  today: { example: "2026-12-01", doc: "Сегодняшняя дата по Москве, «ГГГГ-ММ-ДД»" },
  now: { example: "2026-12-01T17:05:00.000Z", doc: "Момент запроса (UTC, с точностью до минуты)" },
  platform: { example: "web", doc: '"web", "ios" или "android"' },
};

const HELPER_DOCS: Readonly<Record<string, { signature: string; doc: string }>> = {
  inOrgUnit: { signature: "inOrgUnit(...ids)", doc: "Сотрудник в одном из подразделений (или под ним)" },
  inRegion: { signature: "inRegion(...codes)", doc: "Регион сотрудника — один из перечисленных" },
  inStore: { signature: "inStore(...ids)", doc: "Магазин сотрудника — один из перечисленных" },
  hasRole: { signature: "hasRole(...roles)", doc: "У сотрудника есть хотя бы одна из ролей" },
  hasApp: { signature: "hasApp(...codes)", doc: "У сотрудника есть хотя бы одно из приложений" },
  daysSince: { signature: "daysSince(date)", doc: "Сколько дней прошло с даты до сегодня" },
  daysUntil: { signature: "daysUntil(date)", doc: "Сколько дней от сегодня до даты" },
  isBirthday: { signature: "isBirthday()", doc: "Сегодня день рождения сотрудника" },
  age: { signature: "age()", doc: "Полных лет" },
  yearsOfService: { signature: "yearsOfService()", doc: "Полных лет стажа в компании" },
  bucket: {
    signature: "bucket(salt)",
    doc: "Число 0–99, постоянное для сотрудника и соли (для доли сотрудников)",
  },
  matches: { signature: "matches(text, part)", doc: "Текст содержит часть, без учёта регистра и ё/е" },
};

export const VocabularySchema = z.object({
  variables: z.array(
    z.object({
      name: z.string(),
      type: z.string().describe("In Russian: «строка», «да/нет», «список строк», «… или null»"),
      example: z.unknown(),
      doc: z.string().describe("What it is, in Russian (for the editor)"),
    }),
  ),
  helpers: z.array(z.object({ name: z.string(), signature: z.string(), doc: z.string() })),
  rules: z.array(z.object({ name: z.string(), title: z.string(), enabled: z.boolean() })),
});
export type Vocabulary = z.infer<typeof VocabularySchema>;

export async function ruleVocabulary(db: Db): Promise<Vocabulary> {
  const rules = await listRules(db);
  return {
    variables: Object.entries(VARIABLES).map(([name, { example, doc }]) => ({
      name,
      type: typeName(EvidenceSchema.shape[name as VariableName]),
      example,
      doc,
    })),
    helpers: HELPERS.map((name) => ({
      name,
      signature: HELPER_DOCS[name]?.signature ?? `${name}(…)`,
      doc: HELPER_DOCS[name]?.doc ?? "",
    })),
    rules: rules.map((rule) => ({ name: rule.name, title: rule.title, enabled: rule.enabled })),
  };
}

export const HELPERS_WITHOUT_DOC = (): string[] => HELPERS.filter((name) => !HELPER_DOCS[name]);

/** The type as the editor shows it, in Russian: «строка», «да/нет», «список строк», «… или null». */
function typeName(schema: z.ZodType): string {
  if (schema instanceof z.ZodNullable) return `${typeName(schema.unwrap() as z.ZodType)} или null`;
  if (schema instanceof z.ZodArray) return "список строк";
  if (schema instanceof z.ZodBoolean) return "да/нет";
  if (schema instanceof z.ZodNumber) return "число";
  return "строка";
}
