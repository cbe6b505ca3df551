import type { z } from "zod";
import { AppError, type ErrorDetail } from "../errors.ts";

/**
 * Services parse their own input (they are called from routes, scripts and tests alike). The
 * routes validate the same schemas first, so over HTTP this finds nothing new; the error shape
 * matches the HTTP layer's: `validation_failed` for bodies, `bad_request` for queries.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: "body" | "query" = "body",
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const details: ErrorDetail[] = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
  const first = details[0];
  throw new AppError(
    where === "body" ? "validation_failed" : "bad_request",
    `invalid ${where}${first ? `: ${first.path ? `${first.path}: ` : ""}${first.message}` : ""}`,
    details,
  );
}
