import { openapi } from "@elysiajs/openapi";
import { Elysia } from "elysia";
import { z } from "zod";
import { adminRoutes } from "../admin/index.ts";
import { AppError } from "../errors.ts";
import type { AppContext } from "./context.ts";
import { errorBody, HTTP_STATUS, reportUnexpected, toAppError } from "./errors.ts";
import { opsRoutes } from "./ops.ts";
import { userRoutes } from "./user-tabs.ts";

/** Bodies over this size are refused with 413 before parsing (Bun.serve enforces it too). */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * The HTTP application: cross-cutting concerns (request id, one log line per request, the
 * single error door, OpenAPI) and the route modules. Tests drive it with `app.handle(request)`.
 */
export function createApp(ctx: AppContext) {
  const { logger, metrics } = ctx;
  return new Elysia({ serve: { maxRequestBodySize: MAX_BODY_BYTES } })
    .use(
      openapi({
        path: "/swagger",
        specPath: "/swagger/json",
        provider: "swagger-ui",
        // "/user.tabs" looks like a file name; without this it would be left out as a static file.
        exclude: { staticFile: false },
        mapJsonSchema: { zod: z.toJSONSchema },
        documentation: {
          info: {
            title: "LK personalisation API",
            version: "1.0.0",
            description:
              "Decides which banners, cards and sidebar sections each employee sees on the LK home page. " +
              "Errors are always `{error: {code, message, details}}`.",
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
    .derive({ as: "global" }, ({ request }) => ({
      requestId: request.headers.get("x-request-id")?.slice(0, 64) || crypto.randomUUID(),
      startedAt: performance.now(),
    }))
    .onRequest(({ request }) => {
      const length = Number(request.headers.get("content-length") ?? 0);
      if (length > MAX_BODY_BYTES) {
        throw new AppError("payload_too_large", `the request body is over ${MAX_BODY_BYTES} bytes`);
      }
    })
    .onError({ as: "global" }, ({ code, error, set, request, path }) => {
      const appError = toAppError(code, error);
      if (appError.code === "internal") reportUnexpected(logger, code, error, path);
      set.status = HTTP_STATUS[appError.code];
      if (appError.retryAfterS !== undefined) set.headers["retry-after"] = String(appError.retryAfterS);
      set.headers["content-type"] = "application/json; charset=utf-8";
      const requestId = request.headers.get("x-request-id") ?? undefined;
      return errorBody(appError, requestId);
    })
    .onAfterResponse({ as: "global" }, (c) => {
      const { request, set, path } = c;
      const route = (c as { route?: string }).route ?? path;
      const status = String(typeof set.status === "number" ? set.status : 200);
      const startedAt = (c as { startedAt?: number }).startedAt;
      const seconds = startedAt === undefined ? 0 : (performance.now() - startedAt) / 1000;
      metrics.httpRequests.inc({ route, status });
      metrics.httpDuration.observe({ route }, seconds);
      logger.info("request", {
        request_id: (c as { requestId?: string }).requestId,
        method: request.method,
        route,
        status: Number(status),
        ms: Math.round(seconds * 10000) / 10,
      });
    })
    .use(opsRoutes(ctx))
    .use(userRoutes(ctx))
    .use(adminRoutes(ctx));
}

export type App = ReturnType<typeof createApp>;
