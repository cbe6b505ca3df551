import { etagOf } from "./concurrency.ts";
import type { Committed } from "./transaction.ts";

type HeaderMap = Record<string, string | number>;

/**
 * Headers of an answer to a change: the object's ETag (its version, for the next If-Match) and
 * the catalog version it committed, so a caller can wait until an instance serves it
 * (/readyz `catalog_version` ≥ X-Catalog-Version).
 */
export function changeHeaders(headers: HeaderMap, committed: Committed<{ version: number }>): void {
  headers["x-catalog-version"] = String(committed.catalogVersion);
  headers.etag = etagOf(committed.result.version);
}

export const CHANGE_HEADERS_DOC =
  "The answer carries `ETag` (the new version) and `X-Catalog-Version` (the catalog version that " +
  "holds the change; an instance whose /readyz `catalog_version` is at least this serves it).";
