import { Elysia } from "elysia";
import type { AdminPrincipal, Authenticator } from "../auth/index.ts";

/**
 * Admin authentication for a route module: `.use(adminAuth(ctx.auth))` gives its handlers
 * `admin.actor`. It runs before the body is parsed and validated, so a caller without a valid
 * admin token learns nothing but 401/403 — not even whether its body would have been accepted —
 * and an unauthenticated body is never parsed at all.
 */
export function adminAuth(auth: Authenticator) {
  // One verdict per request, shared by the parse and derive hooks below.
  const verdicts = new WeakMap<Request, Promise<AdminPrincipal>>();
  const verdictFor = (request: Request): Promise<AdminPrincipal> => {
    let verdict = verdicts.get(request);
    if (!verdict) {
      verdict = auth.admin(request.headers.get("authorization"));
      // Observed by derive; this keeps an early rejection from being reported as unhandled.
      verdict.catch(() => {});
      verdicts.set(request, verdict);
    }
    return verdict;
  };
  const UNPARSED = Object.freeze({});

  return new Elysia()
    .onParse({ as: "scoped" }, async ({ request }) => {
      try {
        await verdictFor(request);
        return undefined; // authenticated: the normal JSON parser takes over
      } catch {
        return UNPARSED; // skip parsing; derive answers 401/403
      }
    })
    .derive({ as: "scoped" }, async ({ request }) => ({ admin: await verdictFor(request) }));
}
