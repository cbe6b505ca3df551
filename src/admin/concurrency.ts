import { AppError } from "../errors.ts";

/**
 * Optimistic concurrency: an edit names the version it was made against (`If-Match: 3`, or the
 * ETag form `"3"`), and is refused when someone else changed the object since.
 */
export function requireIfMatch(header: string | null | undefined): number {
  const version = optionalIfMatch(header);
  if (version === undefined) {
    throw new AppError(
      "precondition_required",
      "send If-Match with the version you edited (the `version` of the object you read)",
    );
  }
  return version;
}

/** For changes where If-Match is a courtesy (delete, rollback): checked when sent. */
export function optionalIfMatch(header: string | null | undefined): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value);
  if (!match?.[1]) throw new AppError("bad_request", "If-Match must be a version number, e.g. If-Match: 3");
  return Number(match[1]);
}

export function assertVersion(noun: string, id: number, current: number, expected: number | undefined): void {
  if (expected === undefined || expected === current) return;
  throw new AppError(
    "conflict",
    `${noun} #${id} was changed by someone else: you edited version ${expected}, it is now at version ${current}; reload it and apply your change again`,
    [{ message: "stale If-Match", current_version: current, your_version: expected }],
  );
}

/** The ETag for an object version (its If-Match value). */
export const etagOf = (version: number) => `"${version}"`;
