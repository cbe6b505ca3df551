import type { LogFields } from "../log.ts";

/**
 * What a route knows about its request that belongs on the request's one log line (catalog
 * version, cache hits, ...): the route notes it here and app.ts's line adds it. Keyed by the
 * request, like the request id, so that nothing is threaded through Elysia's context types.
 */
const notes = new WeakMap<Request, LogFields>();

export function noteForLogLine(request: Request, fields: LogFields): void {
  notes.set(request, fields);
}

export function logLineNotes(request: Request): LogFields | undefined {
  return notes.get(request);
}
