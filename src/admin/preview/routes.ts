import { Elysia } from "elysia";
import type { AppContext } from "../../context.ts";
import { errorResponses } from "../../http/index.ts";
import { adminAuth } from "../auth.ts";
import { PreviewQuerySchema, PreviewSchema } from "./schemas.ts";
import { previewEmployee } from "./service.ts";

export function previewRoutes(ctx: AppContext) {
  const deps = {
    db: ctx.database.db,
    catalog: ctx.catalog,
    evidence: ctx.evidence,
    evaluator: ctx.evaluator,
    timeZone: ctx.config.timeZone,
    clock: ctx.clock,
  };
  return new Elysia({ tags: ["admin"] })
    .use(adminAuth(ctx.auth))
    .get("/preview", ({ query }) => previewEmployee(deps, query), {
      query: PreviewQuerySchema,
      response: { 200: PreviewSchema, ...errorResponses(400, 401, 403, 404, 503) },
      detail: {
        summary: "What one employee sees, and why",
        description:
          "The /user.tabs answer for this employee and platform, plus every rule's result (`true`, `false` or " +
          '`"error"` with the message) and, for every component left out, the reason (`rule is_x false`, ' +
          "`platform`, `outside window`, `group hidden`, …). Always on the latest committed catalog. " +
          "404: SAP does not know the employee; 503: SAP unreachable and nothing cached.",
        security: [{ bearer: [] }],
      },
    });
}
