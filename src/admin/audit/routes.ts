import { Elysia } from "elysia";
import type { AppContext } from "../../context.ts";
import { errorResponses } from "../../http/index.ts";
import { adminAuth } from "../auth.ts";
import { IdParamSchema } from "../parse.ts";
import { AuditPageSchema, AuditQuerySchema } from "./schemas.ts";
import { listAudit } from "./service.ts";

// Ids in the query are strict decimal, like path ids (`entity_id=0x10` is 400, not entity 16);
// the service parses AuditQuerySchema again, on the numbers this gives it.
const AuditHttpQuerySchema = AuditQuerySchema.extend({
  entity_id: IdParamSchema.optional(),
  before_id: IdParamSchema.optional().describe(AuditQuerySchema.shape.before_id.description ?? ""),
});

export function auditRoutes(ctx: AppContext) {
  return new Elysia({ tags: ["admin"] })
    .use(adminAuth(ctx.auth))
    .get("/audit", ({ query }) => listAudit(ctx.database.db, query), {
      query: AuditHttpQuerySchema,
      response: { 200: AuditPageSchema, ...errorResponses(400, 401, 403) },
      detail: {
        summary: "Who changed what, when: before and after",
        description:
          "Newest first, `limit` per page (default 50, at most 200). Filter by `entity`, `entity_id`, `actor`, " +
          "and a period (`since` inclusive, `until` exclusive, ISO-8601 instants); " +
          "page with `before_id` = the previous page's `next_before_id`.",
        security: [{ bearer: [] }],
      },
    });
}
