/**
 * The move from LK2 (issue 14), its pure core and its reading edge: the export's shape, the
 * Python → JavaScript translator, the import plan (rules, components) and its report, and the
 * reader of LK2's database or export file. Writing our catalog is the admin module's
 * (src/admin/import), which gives the plan our names' and components' own rules.
 */
export type { ComponentKind, ComponentPlan, ComponentSchemas, SkippedComponent } from "./components.ts";
export { planComponents } from "./components.ts";
export type { Lk2Banner, Lk2Export, Lk2GroupTheme, Lk2Rule, Lk2Tab, Lk2TabTheme } from "./export.ts";
export { Lk2ExportSchema, parseLk2Export } from "./export.ts";
export type { PythonTranslation, PythonWorld, RuleMeaning } from "./python/index.ts";
export { translatePython } from "./python/index.ts";
export { isDatabaseUrl, readLk2, readLk2Database, readLk2File } from "./reader.ts";
export type { AbsentRow, ChangeCounts, Lk2ImportReport } from "./report.ts";
export { buildReport, formatReport, Lk2ImportReportSchema } from "./report.ts";
export type { PlannedRule, RuleOutcome, RulePlanOptions } from "./rules.ts";
export { appCodes, lk2NameOf, planRules } from "./rules.ts";
