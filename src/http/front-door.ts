/**
 * GET /user.tabs straight from Bun's router, for the request the LK front end sends on every home
 * page load (`?platform=web|ios|android`, nothing else in the query). Elysia's per-request work
 * around a handler (its hooks, query and header validation, copying our Response to merge its
 * headers into it) was half of a warm request's CPU, so this door does the same steps itself:
 * request id, head limits, CORS headers, the answer, errors in the one error shape, then the log
 * line and metrics (request-log.ts). Every other request for the path — another query, another
 * method — goes to Elysia, which answers it as before (its validation errors included);
 * test/http/front-door.test.ts holds the two doors to the same answers.
 */
import type { AppContext } from "../context.ts";
import { AppError, isAppError } from "../errors.ts";
import { corsPolicy } from "./cors.ts";
import { errorResponse, reportUnexpected } from "./errors.ts";
import { checkRequestHead } from "./limits.ts";
import { startRequest } from "./request-id.ts";
import { finishRequest } from "./request-log.ts";
import { type TabsQuery, USER_TABS_ROUTE, type UserTabsAnswerer } from "./user-tabs.ts";

/** The queries this door takes, each a valid TabsQuery as it is; anything else goes to Elysia. */
const PLAIN_QUERIES: ReadonlyMap<string, TabsQuery> = new Map(
  (["web", "ios", "android"] as const).map((platform) => [
    `platform=${platform}`,
    Object.freeze({ platform }),
  ]),
);

function plainQuery(url: string): TabsQuery | undefined {
  const at = url.indexOf("?");
  return at < 0 ? undefined : PLAIN_QUERIES.get(url.slice(at + 1));
}

export function userTabsFrontDoor(
  ctx: Pick<AppContext, "config" | "logger" | "metrics" | "tracing">,
  answer: UserTabsAnswerer,
  elysia: (request: Request) => Response | Promise<Response>,
): (request: Request) => Promise<Response> {
  const cors = corsPolicy(ctx.config.cors.origins);
  return async (request) => {
    const query = plainQuery(request.url);
    if (query === undefined) return elysia(request);
    ctx.tracing?.startRequest(request);
    const meta = startRequest(request);
    const headers: Record<string, string> = { "x-request-id": meta.id };
    let response: Response;
    try {
      checkRequestHead(request);
      cors(request, headers); // a GET is never a preflight: this only adds headers
      const authorization = request.headers.get("authorization") ?? undefined;
      response = await answer(request, query, authorization, { ...headers });
    } catch (error) {
      let appError: AppError;
      if (isAppError(error)) appError = error;
      else {
        reportUnexpected(ctx.logger, "front door", error, USER_TABS_ROUTE, meta.id);
        appError = new AppError("internal", "internal error");
      }
      response = errorResponse(appError, meta.id, headers);
    }
    finishRequest(ctx, request, USER_TABS_ROUTE, response.status);
    return response;
  };
}
