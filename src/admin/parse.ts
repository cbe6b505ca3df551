import { z } from "zod";
import { invalidInput, issueDetails } from "../errors.ts";

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
  throw invalidInput(where, issueDetails(parsed.error.issues));
}

/**
 * An object id as it appears in a path or query: the decimal digits of a PostgreSQL `serial`
 * and nothing else. `z.coerce.number()` took `0x10` as 16, `1e1` as 10 and ` 5` as 5, so one
 * rule's URL could reach another; here a sign, a leading zero, spaces, hex, exponents, fractions
 * and anything over 2^31-1 are 400. Every admin route's `:id` uses this one schema.
 */
export const IdParamSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, "must be a decimal id: digits only, no sign, spaces or leading zero")
  .pipe(z.coerce.number<string>().int().min(1).max(2_147_483_647, "must be at most 2147483647"))
  .describe("Object id: a positive decimal integer (1 to 2147483647)");

export const IdParamsSchema = z.strictObject({ id: IdParamSchema });
