import { Elysia } from "elysia";
import type { z } from "zod";
import type { AppContext } from "../../context.ts";
import { errorResponses } from "../../http/index.ts";
import { adminAuth } from "../auth.ts";
import { etagOf, optionalIfMatch, requireIfMatch } from "../concurrency.ts";
import { IfMatchHeadersSchema, OptionalIfMatchHeadersSchema } from "../fields.ts";
import { IdParamsSchema } from "../parse.ts";
import { CHANGE_HEADERS_DOC, changeHeaders } from "../responses.ts";
import { bannerKind } from "./banners.ts";
import { cardGroupKind } from "./card-groups.ts";
import type { ComponentKind, ComponentView } from "./kind.ts";
import { sectionKind } from "./sections.ts";
import {
  createComponent,
  deleteComponent,
  getComponent,
  listComponents,
  updateComponent,
} from "./service.ts";
import { sidebarGroupKind } from "./sidebar-groups.ts";

const security = [{ bearer: [] }];

/** GET/POST /admin/<kind>, GET/PUT/DELETE /admin/<kind>/:id, for one component kind. */
function routesFor<I extends Record<string, unknown>, V extends ComponentView>(
  kind: ComponentKind<I, V>,
  ctx: AppContext,
) {
  const { db } = ctx.database;
  const { noun } = kind;
  // Widened for Elysia, whose handler typing cannot follow a schema generic in V; the
  // service functions keep the handlers' types exact.
  const viewSchema: z.ZodType<unknown> = kind.viewSchema;
  return new Elysia({ prefix: kind.path, tags: ["admin"] })
    .use(adminAuth(ctx.auth))
    .get("", () => listComponents(kind, db), {
      response: { 200: viewSchema.array(), ...errorResponses(401, 403) },
      detail: { summary: `List ${noun}s (by order, then id)`, security },
    })
    .post(
      "",
      async ({ body, admin, set }) => {
        const committed = await createComponent(kind, db, admin.actor, body);
        changeHeaders(set.headers, committed);
        set.headers.location = `/admin${kind.path}/${committed.result.id}`;
        set.status = 201;
        return committed.result;
      },
      {
        parse: "json",
        body: kind.inputSchema,
        response: { 201: viewSchema, ...errorResponses(400, 401, 403, 413, 422) },
        detail: {
          summary: `Create a ${noun}`,
          description: `A rule_id or group id that does not exist is 422 naming the field. ${CHANGE_HEADERS_DOC}`,
          security,
        },
      },
    )
    .get(
      "/:id",
      async ({ params, set }) => {
        const found = await getComponent(kind, db, params.id);
        set.headers.etag = etagOf(found.version);
        return found;
      },
      {
        params: IdParamsSchema,
        response: { 200: viewSchema, ...errorResponses(400, 401, 403, 404) },
        detail: { summary: `One ${noun}`, security },
      },
    )
    .put(
      "/:id",
      async ({ params, body, headers, admin, set }) => {
        const expectedComponentVersion = requireIfMatch(headers["if-match"]);
        const committed = await updateComponent(kind, db, admin.actor, {
          id: params.id,
          expectedComponentVersion,
          body,
        });
        changeHeaders(set.headers, committed);
        return committed.result;
      },
      {
        parse: "json",
        params: IdParamsSchema,
        headers: IfMatchHeadersSchema,
        body: kind.inputSchema,
        response: { 200: viewSchema, ...errorResponses(400, 401, 403, 404, 409, 413, 422, 428) },
        detail: {
          summary: `Change a ${noun}`,
          description:
            "Needs `If-Match: <version>` (428 without it, 409 when someone changed it since). Optional fields " +
            `left out keep their values. ${CHANGE_HEADERS_DOC}`,
          security,
        },
      },
    )
    .delete(
      "/:id",
      async ({ params, headers, admin, set }) => {
        const expectedComponentVersion = optionalIfMatch(headers["if-match"]);
        const committed = await deleteComponent(kind, db, admin.actor, {
          id: params.id,
          expectedComponentVersion,
        });
        set.headers["x-catalog-version"] = String(committed.catalogVersion);
        return committed.result;
      },
      {
        params: IdParamsSchema,
        headers: OptionalIfMatchHeadersSchema,
        response: { 200: viewSchema, ...errorResponses(400, 401, 403, 404, 409) },
        detail: {
          summary: `Delete a ${noun}`,
          description: "Answers the object as it was. A group that still holds sections is 409 naming them.",
          security,
        },
      },
    );
}

export function componentRoutes(ctx: AppContext) {
  return new Elysia()
    .use(routesFor(sidebarGroupKind, ctx))
    .use(routesFor(cardGroupKind, ctx))
    .use(routesFor(sectionKind, ctx))
    .use(routesFor(bannerKind, ctx));
}
