/**
 * CORS for the configured origins (CORS_ORIGINS): the LK front end calls the service from its
 * own origin with a Bearer token (no cookies, so no credentials mode). A preflight from an
 * allowed origin is answered here, before routing (no route answers OPTIONS, and methods.ts
 * would call it 405); an origin not on the list gets no CORS header at all, so the browser
 * refuses the answer to its page. With no origins configured this does nothing.
 */
export const CORS_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE"] as const;
export const CORS_REQUEST_HEADERS = [
  "authorization",
  "content-type",
  "if-match",
  "if-none-match",
  "x-request-id",
];
/** What the front end may read besides the CORS-safelisted headers. */
export const CORS_EXPOSED_HEADERS = [
  "etag",
  "x-request-id",
  "x-evidence-stale",
  "x-catalog-version",
  "retry-after",
  "location",
];
const PREFLIGHT_MAX_AGE_S = 600;

type Headers = Record<string, string | number>;

/** Returns the preflight answer to send, or undefined after adding the CORS headers (if any). */
export function corsPolicy(origins: readonly string[]) {
  const allowed = new Set(origins);
  return (request: Request, headers: Headers): Response | undefined => {
    if (allowed.size === 0) return undefined;
    // The answer depends on Origin: shared caches must keep one copy per origin.
    headers.vary = "Origin";
    const origin = request.headers.get("origin");
    if (origin === null || !allowed.has(origin)) return undefined;
    headers["access-control-allow-origin"] = origin;
    if (request.method === "OPTIONS" && request.headers.has("access-control-request-method")) {
      return new Response(null, {
        status: 204,
        headers: {
          ...stringValues(headers),
          "access-control-allow-methods": CORS_METHODS.join(", "),
          "access-control-allow-headers": CORS_REQUEST_HEADERS.join(", "),
          "access-control-max-age": String(PREFLIGHT_MAX_AGE_S),
        },
      });
    }
    headers["access-control-expose-headers"] = CORS_EXPOSED_HEADERS.join(", ");
    return undefined;
  };
}

const stringValues = (headers: Headers) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)]));
