import { z } from "zod";
import type { ComponentPlan } from "./components.ts";
import type { Lk2Export } from "./export.ts";
import type { PlannedRule } from "./rules.ts";

/**
 * What an LK2 import did, or would do on a dry run: one schema for the HTTP answer, the CLI's
 * JSON and the tests. The CLI prints it as text too (formatReport).
 */

const ComponentKindSchema = z.enum(["sidebar_group", "card_group", "section", "banner"]);

/** How the report names an LK2 rule: its LK2 id, our name for it, its title. */
const RuleRefSchema = z.object({
  lk2_id: z.number().int(),
  name: z.string().describe("Our rule's name"),
  title: z.string(),
});

const TranslatedRuleSchema = RuleRefSchema.extend({
  kind: z.enum(["expression", "lk1"]),
  python: z.string().describe("LK2's value"),
  expression: z.string().describe("The translation (empty for lk1)"),
  app_codes: z.array(z.string()),
});

const RefusedRuleSchema = RuleRefSchema.extend({
  python: z.string(),
  construct: z.string().describe("What is outside the subset, e.g. `lambda`, `name foo`"),
  reason: z.string(),
  line: z.number().int().describe("1-based, in the Python"),
  column: z.number().int().describe("1-based, in the Python"),
});

const NotExecutableRuleSchema = RuleRefSchema.extend({
  translated: z.boolean().describe("Whether its Python translated (kept so that enabling it works)"),
});

const CountsSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});

export const Lk2ImportReportSchema = z.object({
  dry_run: z.boolean().describe("true: nothing was written; `changes` says what a real run would write"),
  source: z.object({
    rules: z.number().int(),
    tab_themes: z.number().int(),
    group_themes: z.number().int(),
    tabs: z.number().int(),
    banners: z.number().int(),
  }),
  rules: z.object({
    translated: z.array(TranslatedRuleSchema).describe("Imported enabled (LK1 app-code rules included)"),
    refused: z
      .array(RefusedRuleSchema)
      .describe("Outside the subset: imported disabled, `false` with the Python kept in a comment"),
    not_executable: z.array(NotExecutableRuleSchema).describe("Not executable in LK2: imported disabled"),
    renamed: z
      .array(
        z.object({ lk2_id: z.number().int(), lk2_name: z.string(), name: z.string(), reason: z.string() }),
      )
      .describe("Rules whose LK2 name could not be ours"),
  }),
  components: z.object({
    mapped: z.array(
      z.object({
        kind: ComponentKindSchema,
        lk2_id: z.number().int(),
        title: z.string(),
        rule: z.string().nullable().describe("Our name of the rule gating it"),
      }),
    ),
    skipped: z.array(
      z.object({
        kind: ComponentKindSchema,
        lk2_id: z.number().int(),
        title: z.string(),
        reason: z.string(),
      }),
    ),
  }),
  unused_rules: z.array(RuleRefSchema).describe("Rules no component and no other rule uses"),
  changes: z.object({
    rules: CountsSchema,
    components: CountsSchema,
  }),
  absent: z
    .array(
      z.object({
        kind: z.enum(["rule", ...ComponentKindSchema.options]),
        id: z.number().int(),
        lk2_id: z.number().int(),
      }),
    )
    .describe("Imported earlier but not in this export: left as they are"),
  catalog_version: z.number().int().nullable().describe("After the import; null on a dry run"),
});
export type Lk2ImportReport = z.infer<typeof Lk2ImportReportSchema>;

export type ChangeCounts = Lk2ImportReport["changes"];
export type AbsentRow = Lk2ImportReport["absent"][number];

export function buildReport(input: {
  dryRun: boolean;
  source: Lk2Export;
  rules: readonly PlannedRule[];
  components: ComponentPlan;
  changes: ChangeCounts;
  absent: AbsentRow[];
  catalogVersion: number | null;
}): Lk2ImportReport {
  const { source, rules, components } = input;
  const nameOf = new Map(rules.map((rule) => [rule.lk2Id, rule.name]));
  const gated = [
    ...components.sidebarGroups,
    ...components.cardGroups,
    ...components.sections,
    ...components.banners,
  ];
  const used = new Set([
    ...gated.flatMap((component) => (component.ruleLk2Id === null ? [] : [component.ruleLk2Id])),
    ...rules.flatMap((rule) => rule.references),
  ]);
  return {
    dry_run: input.dryRun,
    source: {
      rules: source.rule.length,
      tab_themes: source.tab_theme.length,
      group_themes: source.group_theme.length,
      tabs: source.tab.length,
      banners: source.banner.length,
    },
    rules: {
      translated: rules
        .filter((rule) => rule.outcome === "translated" || rule.outcome === "lk1")
        .map((rule) => ({
          lk2_id: rule.lk2Id,
          name: rule.name,
          title: rule.title,
          kind: rule.kind,
          python: rule.python,
          expression: rule.expression,
          app_codes: rule.appCodes,
        })),
      refused: rules.flatMap((rule) =>
        rule.outcome === "refused" && rule.refusal
          ? [{ lk2_id: rule.lk2Id, name: rule.name, title: rule.title, python: rule.python, ...rule.refusal }]
          : [],
      ),
      not_executable: rules
        .filter((rule) => rule.outcome === "not_executable")
        .map((rule) => ({
          lk2_id: rule.lk2Id,
          name: rule.name,
          title: rule.title,
          translated: !rule.refusal,
        })),
      renamed: rules.flatMap((rule) =>
        rule.renamed
          ? [{ lk2_id: rule.lk2Id, lk2_name: rule.lk2Name, name: rule.name, reason: rule.renamed }]
          : [],
      ),
    },
    components: {
      mapped: gated.map((component) => ({
        kind: component.kind,
        lk2_id: component.lk2Id,
        title: component.fields.title,
        rule: component.ruleLk2Id === null ? null : (nameOf.get(component.ruleLk2Id) ?? null),
      })),
      skipped: components.skipped.map((skip) => ({
        kind: skip.kind,
        lk2_id: skip.lk2Id,
        title: skip.title,
        reason: skip.reason,
      })),
    },
    unused_rules: rules
      .filter((rule) => !used.has(rule.lk2Id))
      .map((rule) => ({ lk2_id: rule.lk2Id, name: rule.name, title: rule.title })),
    changes: input.changes,
    absent: input.absent,
    catalog_version: input.catalogVersion,
  };
}

/** The report as an admin reads it in a terminal. */
export function formatReport(report: Lk2ImportReport): string {
  const lines: string[] = [];
  const { rules, components, changes } = report;
  const s = report.source;
  lines.push(
    `LK2 import${report.dry_run ? " (dry run: nothing written)" : ""}`,
    `source: ${s.rules} rules, ${s.tab_themes} tab themes, ${s.group_themes} group themes, ${s.tabs} tabs, ${s.banners} banners`,
    "",
    `rules translated: ${rules.translated.length}`,
  );
  for (const rule of rules.translated) {
    const what = rule.kind === "lk1" ? `lk1 [${rule.app_codes.join(", ")}]` : rule.expression;
    lines.push(`  #${rule.lk2_id} ${rule.name} “${rule.title}”: ${what}`);
  }
  lines.push(`rules refused (imported disabled, Python kept): ${rules.refused.length}`);
  for (const rule of rules.refused) {
    lines.push(
      `  #${rule.lk2_id} ${rule.name} “${rule.title}”: ${rule.construct} at ${rule.line}:${rule.column} — ${rule.reason}`,
    );
  }
  lines.push(`rules not executable in LK2 (imported disabled): ${rules.not_executable.length}`);
  for (const rule of rules.not_executable) lines.push(`  #${rule.lk2_id} ${rule.name} “${rule.title}”`);
  for (const rule of rules.renamed)
    lines.push(`renamed: #${rule.lk2_id} ${rule.lk2_name} → ${rule.name} (${rule.reason})`);
  const byKind = (kind: string) => components.mapped.filter((c) => c.kind === kind).length;
  lines.push(
    "",
    `components mapped: ${byKind("sidebar_group")} sidebar groups, ${byKind("card_group")} card groups, ` +
      `${byKind("section")} sections, ${byKind("banner")} banners`,
    `components skipped: ${components.skipped.length}`,
  );
  for (const skip of components.skipped)
    lines.push(`  ${skip.kind} #${skip.lk2_id} “${skip.title}”: ${skip.reason}`);
  lines.push(`rules nothing uses: ${report.unused_rules.length}`);
  for (const rule of report.unused_rules) lines.push(`  #${rule.lk2_id} ${rule.name} “${rule.title}”`);
  if (report.absent.length > 0) {
    lines.push(`imported before, not in this export (left as they are): ${report.absent.length}`);
    for (const row of report.absent) lines.push(`  ${row.kind} #${row.id} (LK2 #${row.lk2_id})`);
  }
  const counts = (c: { created: number; updated: number; unchanged: number }) =>
    `${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`;
  lines.push(
    "",
    `${report.dry_run ? "a real run would write" : "written"}: rules ${counts(changes.rules)}; components ${counts(changes.components)}`,
  );
  if (report.catalog_version !== null) lines.push(`catalog version ${report.catalog_version}`);
  return lines.join("\n");
}
