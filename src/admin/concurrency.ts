import { AppError } from "../errors.ts";

/**
 * Optimistic concurrency: an edit names the object's version it was made against (a rule's
 * ruleVersion, a component's componentVersion: `If-Match: 3`, or the ETag form `"3"`), and is
 * refused when someone else changed the object since.
 */
export function requireIfMatch(header: string | null | undefined): number {
  const editedVersion = optionalIfMatch(header);
  if (editedVersion === undefined) {
    throw new AppError(
      "precondition_required",
      "send If-Match with the version you edited (the `version` of the object you read)",
    );
  }
  return editedVersion;
}

/** For changes where If-Match is a courtesy (delete, rollback): checked when sent. */
export function optionalIfMatch(header: string | null | undefined): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value);
  if (!match?.[1]) throw new AppError("bad_request", "If-Match must be a version number, e.g. If-Match: 3");
  return Number(match[1]);
}

/** 409 unless the object is still at the version the edit was made against (when it names one). */
export function assertNotStale(
  noun: string,
  id: number,
  currentVersion: number,
  editedVersion: number | undefined,
): void {
  if (editedVersion === undefined || editedVersion === currentVersion) return;
  throw new AppError(
    "conflict",
    `${noun} #${id} was changed by someone else: you edited version ${editedVersion}, it is now at version ${currentVersion}; reload it and apply your change again`,
    [{ message: "stale If-Match", current_version: currentVersion, your_version: editedVersion }],
  );
}

/** The ETag of an object at one of its versions (its If-Match value). */
export const etagOf = (objectVersion: number) => `"${objectVersion}"`;
