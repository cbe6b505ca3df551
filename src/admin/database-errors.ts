import { AppError } from "../errors.ts";

/**
 * The database's own integrity checks (unique names, foreign keys, checks) are the last line:
 * the services check first and explain, but a race can still reach a constraint. Such a
 * failure is a client's 4xx, never a 500. Both drivers (postgres.js, PGlite) expose the SQLSTATE
 * as `code`, wrapped by drizzle in `cause`.
 */
interface PgErrorLike {
  code?: unknown;
  constraint?: unknown;
  constraint_name?: unknown;
  cause?: unknown;
}

function pgErrorOf(error: unknown): { code: string; constraint: string | undefined } | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const candidate = current as PgErrorLike;
    if (typeof candidate.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      const constraint = candidate.constraint_name ?? candidate.constraint;
      return { code: candidate.code, constraint: typeof constraint === "string" ? constraint : undefined };
    }
    current = candidate.cause;
  }
  return null;
}

export function translateDatabaseError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const pg = pgErrorOf(error);
  if (!pg) return error;
  const constraint = pg.constraint ? [{ message: "database constraint", constraint: pg.constraint }] : [];
  switch (pg.code) {
    case "23505":
      return new AppError(
        "conflict",
        pg.constraint === "rules_name_unique"
          ? "a rule with this name already exists"
          : "this value is already taken",
        constraint,
      );
    case "23503":
      return new AppError(
        "conflict",
        "the change refers to an object that does not exist, or removes one that is still in use",
        constraint,
      );
    case "23514":
    case "23502":
    case "22001":
    case "22003":
      return new AppError("validation_failed", "the database refused a value", constraint);
    case "40001":
    case "40P01":
      return new AppError("conflict", "a concurrent change got in the way; try again");
    default:
      return error;
  }
}
