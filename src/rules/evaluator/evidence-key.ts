/**
 * The result cache's key for one employee's evidence: what the rule set reads, serialised. A
 * returning employee's evidence object is the same object on every request (the evidence cache
 * keeps it, and /user.tabs adds the request's extras once per minute and platform, see
 * catalog/personalise.ts), so its key is worked out once per (evidence object, rule set reads)
 * and kept beside the object: serialising and hashing ~1 KB of JSON on every request was a third
 * of a warm request's CPU. The key is a digest of the JSON, not the JSON itself, so that neither
 * the memo nor the result cache holds a copy of every employee's evidence (2 KB as UTF-16).
 */
import { createHash } from "node:crypto";
import type { Evidence } from "../../evidence/index.ts";

/** JSON of just the evidence the rule set reads: what the sandbox gets, and what the key digests. */
export function evidenceFor(reads: readonly string[], evidence: Evidence): string {
  const source = evidence as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const name of reads) picked[name] = source[name];
  return JSON.stringify(picked);
}

interface Memo {
  readonly reads: readonly string[];
  readonly digest: string;
}

const memos = new WeakMap<Evidence, Memo>();

/**
 * 132 bits of SHA-256 of `evidenceFor(reads, evidence)`: equal for equal JSON; two employees'
 * different evidence share one only by a collision (~2^-66 over 10^10 pairs). Evidence is frozen
 * where it is shared, so a memo kept by object identity cannot go out of date. `json` comes
 * with it when it had to be made (a new evidence object, which will likely need the sandbox).
 */
export function evidenceKey(reads: readonly string[], evidence: Evidence): { digest: string; json?: string } {
  const known = memos.get(evidence);
  if (known && known.reads === reads) return known;
  const json = evidenceFor(reads, evidence);
  const digest = createHash("sha256").update(json).digest("base64url").slice(0, 22);
  if (Object.isFrozen(evidence)) memos.set(evidence, { reads, digest });
  return { digest, json };
}
