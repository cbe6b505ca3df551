import { Elysia } from "elysia";
import type { AppContext } from "../../context.ts";
import {
  DirectoryStatusSchema,
  KnownValuesSchema,
  SyncRequestedSchema,
  SyncRequestSchema,
  ValuesQuerySchema,
} from "../../directory/index.ts";
import { AppError } from "../../errors.ts";
import { errorResponses } from "../../http/index.ts";
import { adminAuth } from "../auth.ts";

const security = [{ bearer: [] }];

/** GET /admin/directory, POST /admin/directory/sync (see src/directory). */
export function directoryRoutes(ctx: AppContext) {
  const { directory } = ctx;
  return new Elysia({ prefix: "/directory", tags: ["admin"] })
    .use(adminAuth(ctx.auth))
    .get("", () => directory.status(), {
      response: { 200: DirectoryStatusSchema, ...errorResponses(401, 403) },
      detail: {
        summary: "The employee directory copy: the latest sync's status and progress",
        description:
          "`{ status, employees, total, pages, started_at, finished_at, error }` of the latest sync run, plus " +
          "`synced_at` (the last successful sync: the copy in use) and `copy_employees`.",
        security,
      },
    })
    .get("/values", ({ query }) => directory.values.search(query.field, query.q, query.limit), {
      query: ValuesQuerySchema,
      response: { 200: KnownValuesSchema, ...errorResponses(400, 401, 403) },
      detail: {
        summary: "The values an employee field has in the directory copy, with counts",
        description:
          "For roles, apps, region, orgunit_id (every org unit of any employee's path, with its path), position_id, " +
          "employee_group and employment_type; regions and positions with their names. `q` filters by value or " +
          "name (any case). Empty until the directory has been synced.",
        security,
      },
    })
    .post(
      "/sync",
      async ({ set, body }) => {
        const started = await directory.requestSync("manual", { restart: body?.restart });
        if (!started.accepted && started.reason === "no_sap") {
          throw new AppError("not_ready", "no SAP listing is configured for the directory sync", [], 60);
        }
        set.status = 202;
        return { ...(await directory.status()), accepted: started.accepted };
      },
      {
        // The body is optional: a bare POST starts a sync; a body is JSON (the guarded reader).
        parse: [({ request }) => (request.body === null ? {} : undefined), "json"],
        body: SyncRequestSchema,
        response: { 202: SyncRequestedSchema, ...errorResponses(400, 401, 403, 422, 503) },
        detail: {
          summary: "Start a sync of the employee directory from SAP",
          description:
            "202 at once; the sync pages through SAP's listing in the background (follow it with " +
            "GET /admin/directory). `accepted: false` when one is running already, here or on another " +
            "instance (that one goes on). An interrupted sync is resumed where it stopped, unless the body " +
            "says `restart: true`. The body is optional.",
          security,
        },
      },
    );
}
