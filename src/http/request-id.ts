/**
 * The request id: the client's `X-Request-Id` when it is 1–64 characters of letters, digits and
 * `-_.:` (a UUID, a ULID, a trace id, `svc:1234`), otherwise a new UUID. Anything else — too
 * long, spaces, quotes, control characters, non-ASCII — is replaced rather than cleaned, so what
 * reaches log lines, error bodies and the response header is always short and inert.
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function acceptRequestId(header: string | null): string {
  return header !== null && SAFE_REQUEST_ID.test(header) ? header : crypto.randomUUID();
}

interface RequestMeta {
  id: string;
  startedAt: number;
}

/**
 * Per-request facts set in onRequest, the first hook, and read by the error door and the log
 * line. Keyed by the request rather than derived into the context: a 404, a 405 or a 413 found
 * before routing never reaches Elysia's derive, and its answer must still carry the id.
 */
const metas = new WeakMap<Request, RequestMeta>();

export function startRequest(request: Request): RequestMeta {
  const meta = { id: acceptRequestId(request.headers.get("x-request-id")), startedAt: performance.now() };
  metas.set(request, meta);
  return meta;
}

/** The request's meta; for a request onRequest never saw (none should exist), a fresh one. */
export function requestMeta(request: Request): RequestMeta {
  return metas.get(request) ?? startRequest(request);
}
