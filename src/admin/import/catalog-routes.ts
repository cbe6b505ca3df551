import { Elysia } from "elysia";
import type { AppContext } from "../../context.ts";
import { errorResponses } from "../../http/index.ts";
import { adminAuth } from "../auth.ts";
import { CatalogExportSchema } from "./catalog-document.ts";
import { exportCatalog, importCatalog } from "./catalog-import.ts";
import { CatalogImportReportSchema } from "./catalog-report.ts";
import { DryRunQuerySchema } from "./dry-run.ts";

const security = [{ bearer: [] }];

/** GET /admin/export and POST /admin/import: our own catalog out and in (staging → production, backups). */
export function catalogRoutes(ctx: AppContext) {
  const { db } = ctx.database;
  return new Elysia({ tags: ["admin"] })
    .use(adminAuth(ctx.auth))
    .get(
      "/export",
      async ({ set }) => {
        const document = await exportCatalog(db, ctx.clock());
        set.headers["x-catalog-version"] = String(document.catalog_version);
        return document;
      },
      {
        response: { 200: CatalogExportSchema, ...errorResponses(401, 403) },
        detail: {
          summary: "Export the whole catalog (rules and components) as one document",
          description:
            '`{ format: "lk-catalog", format_version: 1, rules, sidebar_groups, card_groups, sections, banners }`, ' +
            "read in one snapshot. Nothing in it is a database id: components name their rule by its name, and " +
            "sections name their sidebar group and card group by key (the group's title; `<title> #2` for the " +
            "second group of a title). `POST /admin/import` takes it, here or on another instance.",
          security,
        },
      },
    )
    .post(
      "/import",
      async ({ body, query, admin, set }) => {
        const report = await importCatalog(db, body, {
          dryRun: query.dry_run !== "false",
          actor: admin.actor,
          trial: ctx.ruleTrial,
        });
        if (report.catalog_version !== null)
          set.headers["x-catalog-version"] = String(report.catalog_version);
        return report;
      },
      {
        parse: "json",
        body: CatalogExportSchema,
        query: DryRunQuerySchema,
        response: {
          200: CatalogImportReportSchema,
          ...errorResponses(400, 401, 403, 409, 413, 415, 422, 503),
        },
        detail: {
          summary: "Import a catalog export (dry run by default)",
          description:
            "The body is what `GET /admin/export` answers. Rules are matched by name, sidebar groups, card " +
            "groups and banners by title, sections by url (see the export); what differs is updated, what is " +
            "missing created, and ours that the export does not hold are left alone (`absent`). Every rule " +
            "passes the static check, and enabled rules that are new or whose logic changes the trial at " +
            "save, as on a save. The answer is the report: per kind created, updated, unchanged; absent; " +
            "refusals (a dry run lists them all). `?dry_run=false` writes it: one transaction, one catalog " +
            "version bump (none when nothing changes), every row audited with the admin as actor, every rule " +
            "with its revision. Refused whole: 422 `invalid_rule` / `rule_trial_failed`, 409 when one of our " +
            "rules not in the export would break. Bodies up to 256 KiB; the CLI (`bun run catalog:import`) " +
            "has no limit.",
          security,
        },
      },
    );
}
