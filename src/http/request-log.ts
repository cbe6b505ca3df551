import type { AppContext } from "../context.ts";
import { requestMeta } from "./request-id.ts";
import { logLineNotes } from "./wide-line.ts";

/**
 * The end of every request, whichever door it came in by (Elysia's onAfterResponse, or the
 * front door of GET /user.tabs, see front-door.ts): the request counter and duration, the span's
 * end, and the one log line with what the route noted for it.
 */
export function finishRequest(
  ctx: Pick<AppContext, "logger" | "metrics" | "tracing">,
  request: Request,
  route: string,
  status: number,
): void {
  const meta = requestMeta(request);
  const seconds = (performance.now() - meta.startedAt) / 1000;
  ctx.metrics.httpRequests.inc({ route, status: String(status) });
  ctx.tracing?.endRequest(request, route, status);
  ctx.metrics.httpDuration.observe({ route }, seconds);
  ctx.logger.info("request", {
    request_id: meta.id,
    method: request.method,
    route,
    status,
    ms: Math.round(seconds * 10000) / 10,
    ...logLineNotes(request),
  });
}
