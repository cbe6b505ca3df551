/**
 * Errors are typed values with a machine code. Every layer throws or returns an AppError;
 * src/http/errors.ts is the one place that maps a code to an HTTP status and the api.md shape
 * `{"error": {"code", "message", "details"}}`.
 */
export const ERROR_CODES = [
  "bad_request", // malformed input: query, header, JSON body
  "validation_failed", // well-formed but invalid (zod)
  "unauthorized", // no or bad credentials
  "forbidden", // credentials fine, not allowed
  "not_found", // route or object absent
  "method_not_allowed", // a known path, another method (the answer carries Allow)
  "employee_not_found", // SAP does not know the personnel number
  "conflict", // stale If-Match, unique name taken, still referenced
  "precondition_required", // If-Match missing
  "invalid_rule", // rule expression failed the static check
  "rule_trial_failed", // rule refused by the trial at save (overran, hung, failed for everyone)
  "payload_too_large", // body over the limit, declared or streamed
  "unsupported_media_type", // a body that is not application/json where JSON is taken
  "uri_too_long",
  "headers_too_large",
  "evidence_unavailable", // SAP down and nothing cached
  "not_ready", // no catalog snapshot yet
  "busy", // a bounded admin job (impact estimate) is running and its queue is full: retry later
  "internal",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorDetail {
  message: string;
  path?: string;
  line?: number;
  column?: number;
  [key: string]: unknown;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Seconds, for 503 and 429 answers (sent as Retry-After). */
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/**
 * Input that failed its schema: `validation_failed` for a body, `bad_request` for anything else
 * (query, params, headers), with one detail per problem and the first one in the message
 * ("invalid body: title: must not be empty"). The HTTP layer and the services (which parse their
 * own input) both build it here; `lead` replaces "invalid <where>" for whole documents.
 */
export function invalidInput(where: string, details: ErrorDetail[], lead = `invalid ${where}`): AppError {
  const first = details[0];
  const message = `${lead}${first ? `: ${first.path ? `${first.path}: ` : ""}${first.message}` : ""}`;
  return new AppError(where === "body" ? "validation_failed" : "bad_request", message, details);
}

/** zod's issues as error details (path and message), at most `limit` of them. */
export function issueDetails(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
  limit = 50,
): ErrorDetail[] {
  return issues
    .slice(0, limit)
    .map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
}
