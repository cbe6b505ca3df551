import { openapi } from "@elysiajs/openapi";
import { type AnyElysia, Elysia } from "elysia";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { guardBodyReaders } from "./body.ts";
import { corsPolicy } from "./cors.ts";
import { errorBody, HTTP_STATUS, reportUnexpected, toAppError } from "./errors.ts";
import { userTabsFrontDoor } from "./front-door.ts";
import {
  BUN_BODY_LIMIT,
  checkRequestHead,
  MAX_BODY_BYTES,
  MAX_JSON_DEPTH,
  MAX_URI_LENGTH,
} from "./limits.ts";
import { allowedMethodsFinder } from "./methods.ts";
import { opsRoutes } from "./ops.ts";
import { requestMeta, startRequest } from "./request-id.ts";
import { finishRequest } from "./request-log.ts";
import { swaggerAssetRoutes, swaggerUiAssets } from "./swagger.ts";
import { USER_TABS_ROUTE, userRoutes, userTabsAnswerer } from "./user-tabs.ts";

/** The metrics label of every request no route matched: junk paths must not grow /metrics. */
export const UNMATCHED_ROUTE = "unmatched";

/**
 * The HTTP application: cross-cutting concerns (request id, request limits, one log line per
 * request, the single error door, OpenAPI), the employee and operations routes, and the route
 * modules of other domains (the admin API), which the composition root passes in: http depends
 * on no domain's routes. Tests drive it with `app.handle(request)` or over real HTTP with
 * `app.listen({ port: 0 })`.
 */
export function createApp(ctx: AppContext, modules: readonly AnyElysia[] = []) {
  const { logger } = ctx;
  // Filled in below once every route is registered; read on the first 404.
  let allowedMethods = (_path: string): string[] => [];
  const cors = corsPolicy(ctx.config.cors.origins);
  const answer = userTabsAnswerer(ctx);
  // The hot route's own door in Bun's router (front-door.ts); what it does not take goes to Elysia.
  const frontDoor = userTabsFrontDoor(ctx, answer, (request) => app.fetch(request));
  const app = new Elysia({
    serve: { maxRequestBodySize: BUN_BODY_LIMIT, routes: { [USER_TABS_ROUTE]: { GET: frontDoor } } },
  })
    // The first hook of every request, matched or not: the request id goes on the answer at
    // once (Elysia keeps these headers on error answers and on Responses a route builds), then
    // the limits that need no route, CORS (a preflight is answered here, before routing), then
    // the body readers are guarded for whoever parses.
    .onRequest(({ request, set }) => {
      ctx.tracing?.startRequest(request);
      set.headers["x-request-id"] = startRequest(request).id;
      checkRequestHead(request);
      const preflight = cors(request, set.headers);
      if (preflight) return preflight;
      guardBodyReaders(request);
    })
    .onError({ as: "global" }, ({ code, error, set, request, path }) => {
      const meta = requestMeta(request);
      let appError = toAppError(code, error);
      if (code === "NOT_FOUND") {
        const allow = allowedMethods(path);
        if (allow.length > 0) {
          set.headers.allow = allow.join(", ");
          appError = new AppError("method_not_allowed", `${request.method} is not allowed here`, [
            { message: `allowed: ${allow.join(", ")}`, allow },
          ]);
        }
      }
      if (appError.code === "internal") reportUnexpected(logger, code, error, path, meta.id);
      set.status = HTTP_STATUS[appError.code];
      if (appError.retryAfterS !== undefined) set.headers["retry-after"] = String(appError.retryAfterS);
      set.headers["content-type"] = "application/json; charset=utf-8";
      set.headers["x-request-id"] = meta.id; // again: a route may have replaced the headers
      return errorBody(appError, meta.id);
    })
    .onAfterResponse({ as: "global" }, (c) => {
      const { request, set } = c;
      // The route template when a route matched; one label for everything else.
      const route = (c as { route?: string }).route || UNMATCHED_ROUTE;
      finishRequest(ctx, request, route, typeof set.status === "number" ? set.status : 200);
    })
    // After the hooks, so that its pages are counted and logged like every route.
    .use(
      openapi({
        path: "/swagger",
        specPath: "/swagger/json",
        provider: "swagger-ui",
        // Its page loads Swagger UI from the installed package (./swagger.ts), never from a CDN.
        swagger: swaggerUiAssets,
        // "/user.tabs" looks like a file name; without this it would be left out as a static file.
        exclude: { staticFile: false },
        mapJsonSchema: { zod: z.toJSONSchema },
        documentation: {
          info: {
            title: "LK personalisation API",
            version: "1.0.0",
            description:
              "Decides which banners, cards and sidebar sections each employee sees on the LK home page. " +
              "Errors are always `{error: {code, message, details, request_id}}` with `application/json`, " +
              "whatever the status: 404 for an unknown route, 405 with `Allow` for a known path and another " +
              `method, 413 for a body over ${MAX_BODY_BYTES} bytes (declared or streamed), 415 for a body that ` +
              `is not \`application/json\`, 414 for a URI over ${MAX_URI_LENGTH} characters, 431 for oversized ` +
              `headers, 400 for JSON nested deeper than ${MAX_JSON_DEPTH}. Every answer carries ` +
              "`X-Request-Id`: the client's when it is 1–64 characters of letters, digits and `-_.:`, " +
              "otherwise a new UUID.",
          },
          tags: [
            { name: "employee", description: "What the LK front end calls" },
            {
              name: "admin",
              description: "Rules and components, for managers (ADMIN_TOKEN or an lk-admin JWT)",
            },
            { name: "operations", description: "Health, readiness, metrics" },
          ],
          components: {
            securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
          },
        },
      }),
    )
    .use(swaggerAssetRoutes())
    .use(opsRoutes(ctx))
    .use(userRoutes(answer));
  for (const module of modules) app.use(module);
  allowedMethods = allowedMethodsFinder(() => app.routes);
  return app;
}

export type App = ReturnType<typeof createApp>;
