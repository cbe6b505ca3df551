import { z } from "zod";
import { AppError, type ErrorCode, invalidInput, isAppError } from "../errors.ts";
import type { Logger } from "../log.ts";

/** The one table from error code to HTTP status. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  employee_not_found: 404,
  conflict: 409,
  precondition_required: 428,
  invalid_rule: 422,
  rule_trial_failed: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  uri_too_long: 414,
  headers_too_large: 431,
  evidence_unavailable: 503,
  not_ready: 503,
  busy: 429,
  internal: 500,
};

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe("machine code, e.g. bad_request, unauthorized, conflict"),
      message: z.string(),
      details: z.array(z.record(z.string(), z.unknown())),
      request_id: z.string().optional(),
    }),
  })
  .describe("The error shape of every non-2xx answer");
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** The standard error answers a route documents besides its own (for OpenAPI). */
export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, ErrorBodySchema])) as Record<number, typeof ErrorBodySchema>;

interface ElysiaValidationIssue {
  path?: string;
  message?: string;
  summary?: string;
}

/**
 * Turns anything thrown while handling a request into an AppError. Elysia's own errors
 * (validation, parse, not found) come through here too, so there is one door for all of them.
 */
export function toAppError(code: string | number, error: unknown): AppError {
  if (isAppError(error)) return error;
  switch (code) {
    case "VALIDATION": {
      const v = error as { type?: string; all?: ElysiaValidationIssue[] };
      const details = (v.all ?? []).map((i) => ({
        path: i.path === "root" ? "" : (i.path ?? "").replace(/^\//, "").replaceAll("/", "."),
        message: i.summary ?? i.message ?? "invalid",
      }));
      return invalidInput(v.type ?? "request", details);
    }
    case "PARSE": {
      // Elysia wraps whatever a body reader threw; the guarded readers (body.ts) throw AppErrors.
      const cause = (error as { cause?: unknown }).cause;
      return isAppError(cause) ? cause : new AppError("bad_request", "the request body is not valid JSON");
    }
    case "NOT_FOUND":
      return new AppError("not_found", "no such route");
    case "INVALID_COOKIE_SIGNATURE":
    case "INVALID_FILE_TYPE":
      return new AppError("bad_request", "bad request");
    default: {
      const status = (error as { status?: number }).status;
      if (status === 413) return new AppError("payload_too_large", "the request body is too large");
      return new AppError("internal", "internal error");
    }
  }
}

export function errorBody(error: AppError, requestId?: string): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      details: error.details,
      ...(requestId ? { request_id: requestId } : {}),
    },
  };
}

/** Logs an unexpected error once, without the stack reaching the client. */
export function reportUnexpected(
  logger: Logger,
  code: string | number,
  error: unknown,
  path: string,
  requestId?: string,
): void {
  logger.error("unhandled error", {
    request_id: requestId,
    // The path, not a template: this line is rare and a template would hide which object failed.
    path: path.slice(0, 200),
    elysia_code: String(code),
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    stack: error instanceof Error ? error.stack?.split("\n").slice(0, 6).join("\n") : undefined,
  });
}

/**
 * An AppError's answer built outside Elysia's error door (the /user.tabs front door,
 * front-door.ts): the same status, headers and body that door gives, with `headers` (the request
 * id, CORS) in it.
 */
export function errorResponse(error: AppError, requestId: string, headers: Record<string, string>): Response {
  headers["content-type"] = "application/json; charset=utf-8";
  if (error.retryAfterS !== undefined) headers["retry-after"] = String(error.retryAfterS);
  return new Response(JSON.stringify(errorBody(error, requestId)), {
    status: HTTP_STATUS[error.code],
    headers,
  });
}
