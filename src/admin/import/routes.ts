import { Elysia } from "elysia";
import type { AppContext } from "../../context.ts";
import { errorResponses } from "../../http/index.ts";
import { Lk2ExportSchema, Lk2ImportReportSchema } from "../../lk2/index.ts";
import { adminAuth } from "../auth.ts";
import { catalogRoutes } from "./catalog-routes.ts";
import { DryRunQuerySchema } from "./dry-run.ts";
import { importLk2, LK2_ACTOR } from "./lk2-import.ts";

const security = [{ bearer: [] }];

/** The catalog's moves: in from LK2, and our own catalog out and in (catalog-routes.ts). */
export function importRoutes(ctx: AppContext) {
  return new Elysia().use(lk2Routes(ctx)).use(catalogRoutes(ctx));
}

function lk2Routes(ctx: AppContext) {
  const { db } = ctx.database;
  return new Elysia({ tags: ["admin"] }).use(adminAuth(ctx.auth)).post(
    "/import/lk2",
    async ({ body, query, set }) => {
      const report = await importLk2(db, body, { dryRun: query.dry_run !== "false", actor: LK2_ACTOR });
      if (report.catalog_version !== null) set.headers["x-catalog-version"] = String(report.catalog_version);
      return report;
    },
    {
      parse: "json",
      body: Lk2ExportSchema,
      query: DryRunQuerySchema,
      response: { 200: Lk2ImportReportSchema, ...errorResponses(400, 401, 403, 409, 413, 415, 422) },
      detail: {
        summary: "Import LK2's rules and components (dry run by default)",
        description:
          "The body is an LK2 export (`{ rule, tab_theme, group_theme, tab, banner }`, docs/integrations.md). " +
          "Rules are translated from Python (a rule outside the subset is imported disabled with its Python kept " +
          "in a comment), LK1 rules become `lk1` rules, tab themes, group themes, tabs and banners become sidebar " +
          "groups, card groups, sections and banners. The answer is the import report: rules translated, refused " +
          "(construct and line:column), components mapped and skipped, rules nothing uses, and what was (or, on a " +
          "dry run, would be) created, updated or left unchanged. `?dry_run=false` writes it: one transaction, " +
          "audited as `lk2-import`, matched by LK2 id (a second run updates, never duplicates). 409 when the import " +
          "would leave one of our own rules invalid (it uses an imported rule that would be disabled or renamed). " +
          "Bodies are limited to 256 KiB; the CLI (`bun run lk2:import`) has no limit.",
        security,
      },
    },
  );
}
