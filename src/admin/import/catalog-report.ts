/**
 * What a catalog import did, or would do on a dry run: one schema for the HTTP answer, the CLI's
 * JSON and the tests; the CLI prints it as text too (formatCatalogReport).
 */
import { z } from "zod";
import { TrialWarningSchema } from "../trial/schemas.ts";
import { type CatalogExport, type CatalogKind, CatalogKindSchema as KindSchema } from "./catalog-document.ts";

const CountsSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});

export const CatalogRefusalSchema = z
  .object({
    rule: z.string().describe("The rule's name"),
    code: z
      .enum(["invalid_rule", "rule_trial_failed", "conflict"])
      .describe(
        "`invalid_rule`: it fails the static check; `rule_trial_failed`: the trial at save refuses it; " +
          "`conflict`: a rule of ours that is not in the export would no longer be valid",
      ),
    message: z.string(),
    line: z.number().int().optional().describe("1-based, in the expression"),
    column: z.number().int().optional().describe("1-based, in the expression"),
    personnel_number: z.string().optional().describe("The trial's sample employee it failed for"),
  })
  .describe("Why the import cannot be written: a real run is refused whole (422 or 409), nothing written");
export type CatalogRefusal = z.infer<typeof CatalogRefusalSchema>;

export const CatalogImportReportSchema = z.object({
  dry_run: z.boolean().describe("true: nothing was written; `changes` says what a real run would write"),
  source: z.object({
    format_version: z.number().int(),
    exported_at: z.string().nullable(),
    catalog_version: z.number().int().nullable().describe("The catalog version it was exported at, there"),
    rules: z.number().int(),
    sidebar_groups: z.number().int(),
    card_groups: z.number().int(),
    sections: z.number().int(),
    banners: z.number().int(),
  }),
  changes: z
    .object({
      rules: CountsSchema,
      sidebar_groups: CountsSchema,
      card_groups: CountsSchema,
      sections: CountsSchema,
      banners: CountsSchema,
    })
    .describe("Per kind, what was (or would be) created, updated and left unchanged"),
  created: z.array(z.object({ kind: KindSchema, key: z.string() })),
  updated: z.array(
    z.object({
      kind: KindSchema,
      key: z.string(),
      id: z.number().int(),
      fields: z.array(z.string()).describe("The fields that change"),
    }),
  ),
  absent: z
    .array(z.object({ kind: KindSchema, key: z.string(), id: z.number().int() }))
    .describe("Ours but not in the export: left as they are (delete them by hand if they should go)"),
  refused: z.array(CatalogRefusalSchema).describe("Empty on a real run: one refusal refuses it whole"),
  trial: z.object({
    ran: z
      .boolean()
      .describe("Whether the trial at save was run (over HTTP it is; the CLI has no trial sandbox)"),
    rules: z.array(z.string()).describe("The rules tried: enabled ones that are new or whose logic changes"),
    warnings: z.array(TrialWarningSchema.extend({ rule: z.string().describe("The rule it is about") })),
  }),
  catalog_version: z
    .number()
    .int()
    .nullable()
    .describe(
      "The catalog version after the import (unchanged when there was nothing to write); null on a dry run",
    ),
});
export type CatalogImportReport = z.infer<typeof CatalogImportReportSchema>;
export type CatalogChanges = CatalogImportReport["changes"];
export type CatalogTrialSummary = CatalogImportReport["trial"];

/** Per kind: what the plan does with each component of the export, and ours that it leaves. */
export interface KindOutcome {
  created: ReadonlyArray<{ key: string }>;
  updated: ReadonlyArray<{ key: string; id: number; fields: string[] }>;
  unchanged: ReadonlyArray<{ key: string; id: number }>;
  absent: ReadonlyArray<{ key: string; id: number }>;
}

export type KindOutcomes = Record<CatalogKind, KindOutcome>;

const REPORT_KEYS: Record<CatalogKind, keyof CatalogChanges> = {
  rule: "rules",
  sidebar_group: "sidebar_groups",
  card_group: "card_groups",
  section: "sections",
  banner: "banners",
};

export function buildCatalogReport(input: {
  dryRun: boolean;
  document: CatalogExport;
  outcomes: KindOutcomes;
  refused: readonly CatalogRefusal[];
  trial: CatalogTrialSummary;
  catalogVersion: number | null;
}): CatalogImportReport {
  const { document, outcomes } = input;
  const kinds = Object.keys(REPORT_KEYS) as CatalogKind[];
  const changes = Object.fromEntries(
    kinds.map((kind) => {
      const outcome = outcomes[kind];
      const counts = {
        created: outcome.created.length,
        updated: outcome.updated.length,
        unchanged: outcome.unchanged.length,
      };
      return [REPORT_KEYS[kind], counts];
    }),
  ) as CatalogChanges;
  return {
    dry_run: input.dryRun,
    source: {
      format_version: document.format_version,
      exported_at: document.exported_at ?? null,
      catalog_version: document.catalog_version ?? null,
      rules: document.rules.length,
      sidebar_groups: document.sidebar_groups.length,
      card_groups: document.card_groups.length,
      sections: document.sections.length,
      banners: document.banners.length,
    },
    changes,
    created: kinds.flatMap((kind) => outcomes[kind].created.map(({ key }) => ({ kind, key }))),
    updated: kinds.flatMap((kind) =>
      outcomes[kind].updated.map(({ key, id, fields }) => ({ kind, key, id, fields })),
    ),
    absent: kinds.flatMap((kind) => outcomes[kind].absent.map(({ key, id }) => ({ kind, key, id }))),
    refused: [...input.refused],
    trial: input.trial,
    catalog_version: input.catalogVersion,
  };
}

/** The report as an admin reads it in a terminal. */
export function formatCatalogReport(report: CatalogImportReport): string {
  const s = report.source;
  const lines = [
    `catalog import${report.dry_run ? " (dry run: nothing written)" : ""}`,
    `source: format ${s.format_version}, exported ${s.exported_at ?? "(no date)"} at catalog version ` +
      `${s.catalog_version ?? "?"}: ${s.rules} rules, ${s.sidebar_groups} sidebar groups, ` +
      `${s.card_groups} card groups, ${s.sections} sections, ${s.banners} banners`,
    "",
  ];
  for (const [kind, c] of Object.entries(report.changes)) {
    lines.push(`${kind}: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`);
  }
  for (const row of report.created) lines.push(`  + ${row.kind} “${row.key}”`);
  for (const row of report.updated) {
    lines.push(`  ~ ${row.kind} #${row.id} “${row.key}”: ${row.fields.join(", ")}`);
  }
  if (report.absent.length > 0) {
    lines.push(`ours, not in the export (left as they are): ${report.absent.length}`);
    for (const row of report.absent) lines.push(`  ${row.kind} #${row.id} “${row.key}”`);
  }
  lines.push(
    report.trial.ran
      ? `trial at save: ${report.trial.rules.length} rules tried, ${report.trial.warnings.length} warnings`
      : "trial at save: not run (the static check was)",
  );
  for (const warning of report.trial.warnings) lines.push(`  ${warning.rule}: ${warning.message}`);
  if (report.refused.length > 0) {
    lines.push(`refused (a real run writes nothing): ${report.refused.length}`);
    for (const refusal of report.refused) {
      const at = refusal.line === undefined ? "" : ` (line ${refusal.line}, column ${refusal.column})`;
      lines.push(`  ${refusal.rule} [${refusal.code}]: ${refusal.message}${at}`);
    }
  }
  if (report.catalog_version !== null) lines.push(`catalog version ${report.catalog_version}`);
  return lines.join("\n");
}
