import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import type { CacheEntry, TieredCache } from "./cache.ts";
import { type CircuitBreaker, CircuitOpenError } from "./circuit-breaker.ts";
import { Coalescer } from "./coalesce.ts";
import { compactEvidence } from "./map.ts";
import { normalizePernr } from "./pernr.ts";
import { SapError } from "./sap-error.ts";
import type { EmployeeEvidence } from "./schema.ts";
import type { EvidenceLookup, EvidenceOrigin, EvidenceSource } from "./source.ts";

export interface CachePolicy {
  /** Seconds evidence is served without asking SAP (EVIDENCE_FRESH_S). */
  freshS: number;
  /** Seconds evidence may be served while SAP fails (EVIDENCE_MAX_STALE_S). */
  maxStaleS: number;
  /** Seconds an "unknown employee" answer is remembered. */
  negativeTtlS: number;
  /** Retry-After for a failure while the circuit is still closed. */
  unavailableRetryAfterS: number;
  /** Retry-After when SAP refuses our credentials (needs a human). */
  authRetryAfterS: number;
}

export interface SapEvidenceSourceDeps {
  getEmployee: (pernr: string) => Promise<EmployeeEvidence | null>;
  cache: TieredCache;
  breaker: CircuitBreaker;
  policy: CachePolicy;
  logger: Logger;
  metrics: Metrics;
  now: () => number;
}

type FetchOutcome =
  | { kind: "found"; evidence: EmployeeEvidence }
  | { kind: "unknown" }
  | { kind: "failed"; reason: string; retryAfterS: number };

/**
 * The lookup semantics (issue 4): cache first; a fresh entry never touches SAP; otherwise one
 * coalesced, circuit-guarded SAP call; if SAP fails, a cached entry up to maxStaleS old is
 * served as stale, else `unavailable` with a Retry-After. Personnel numbers are normalised
 * before anything else; a malformed one is `unknown` and costs nothing.
 */
export class SapEvidenceSource implements EvidenceSource {
  private readonly coalescer = new Coalescer<FetchOutcome>();

  constructor(private readonly deps: SapEvidenceSourceDeps) {}

  async lookup(personnelNumber: string): Promise<EvidenceLookup> {
    const result = await this.resolve(personnelNumber);
    this.deps.metrics.evidenceLookups.inc({ outcome: result.outcome });
    return result.lookup;
  }

  private async resolve(raw: string): Promise<{ lookup: EvidenceLookup; outcome: string }> {
    const pernr = normalizePernr(raw);
    if (!pernr) return { lookup: { kind: "unknown" }, outcome: "unknown" };

    const hit = await this.deps.cache.find(pernr);
    const cached = hit?.entry;
    if (hit && cached && this.isFresh(cached)) {
      if (cached.kind === "unknown") return { lookup: { kind: "unknown" }, outcome: "unknown" };
      return { lookup: this.found(cached, false, hit.tier), outcome: "fresh" };
    }

    const outcome = await this.coalescer.run(pernr, () => this.fetch(pernr));
    if (outcome.kind === "found") {
      return {
        lookup: { kind: "found", evidence: outcome.evidence, ageS: 0, stale: false, from: "sap" },
        outcome: "miss",
      };
    }
    if (outcome.kind === "unknown") return { lookup: { kind: "unknown" }, outcome: "unknown" };

    // SAP failed: stale evidence beats no evidence, up to maxStaleS. Stale "unknown" is not
    // served: a new hire must not be locked out because SAP is down.
    if (hit && cached?.kind === "found" && this.ageS(cached) <= this.deps.policy.maxStaleS) {
      return { lookup: this.found(cached, true, hit.tier), outcome: "stale" };
    }
    return {
      lookup: { kind: "unavailable", reason: outcome.reason, retryAfterS: outcome.retryAfterS },
      outcome: "unavailable",
    };
  }

  /** One SAP call for all concurrent lookups of `pernr`; writes the cache once. */
  private async fetch(pernr: string): Promise<FetchOutcome> {
    const { breaker, cache, policy } = this.deps;
    try {
      const fetched = await breaker.run(
        () => this.deps.getEmployee(pernr),
        (error) => !(error instanceof SapError) || error.countsAgainstSap,
      );
      const fetchedAt = this.deps.now();
      if (fetched === null) {
        await cache.set(pernr, { kind: "unknown", fetchedAt }, policy.negativeTtlS);
        return { kind: "unknown" };
      }
      const evidence = immutable(fetched);
      // Keyed by the evidence's own copy of the number: one string fewer per cached employee.
      const key = evidence.personnel_number === pernr ? evidence.personnel_number : pernr;
      await cache.set(key, { kind: "found", evidence, fetchedAt }, policy.maxStaleS);
      return { kind: "found", evidence };
    } catch (error) {
      return this.failure(error);
    }
  }

  private failure(error: unknown): FetchOutcome {
    const { breaker, policy } = this.deps;
    if (error instanceof CircuitOpenError) {
      this.deps.metrics.sapCalls.inc({ result: "circuit_open" });
      return { kind: "failed", reason: "sap_circuit_open", retryAfterS: seconds(error.retryAfterMs) };
    }
    if (error instanceof SapError) {
      const retryAfterS =
        error.kind === "auth"
          ? policy.authRetryAfterS
          : breaker.state === "closed"
            ? policy.unavailableRetryAfterS
            : seconds(breaker.retryAfterMs());
      return { kind: "failed", reason: `sap_${error.kind}`, retryAfterS };
    }
    // A bug, not SAP: say so once per occurrence and keep the portal up.
    this.deps.logger.error("evidence lookup failed unexpectedly", { error: String(error) });
    return { kind: "failed", reason: "internal", retryAfterS: policy.unavailableRetryAfterS };
  }

  private isFresh(entry: CacheEntry): boolean {
    return isFreshEntry(entry, this.deps.policy, this.deps.now);
  }

  private ageS(entry: CacheEntry): number {
    return Math.max(0, (this.deps.now() - entry.fetchedAt) / 1000);
  }

  private found(entry: CacheEntry & { kind: "found" }, stale: boolean, from: EvidenceOrigin): EvidenceLookup {
    // From SAP or Redis it is immutable already; from another tier it is made so once, in the
    // entry itself, so that every hit on this entry returns this same object.
    entry.evidence = immutable(entry.evidence);
    return { kind: "found", evidence: entry.evidence, ageS: Math.floor(this.ageS(entry)), stale, from };
  }

  async close(): Promise<void> {
    await this.deps.cache.close();
  }
}

/** Fresh: served without asking SAP (found for freshS, unknown for negativeTtlS). */
export function isFreshEntry(entry: CacheEntry, policy: CachePolicy, now: () => number): boolean {
  const limit = entry.kind === "found" ? policy.freshS : policy.negativeTtlS;
  return (now() - entry.fetchedAt) / 1000 < limit;
}

/**
 * Cached evidence is shared by every request for that employee (and its lists by employees):
 * frozen, so a caller that mutates it (instead of spreading it with the request extras) fails
 * loudly rather than changing what the next request sees. `mapSapEmployee` gives it compact and
 * frozen; evidence from elsewhere (a test's SAP) is made so here.
 */
const immutable = (evidence: EmployeeEvidence): EmployeeEvidence =>
  Object.isFrozen(evidence) ? evidence : compactEvidence(evidence);

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));
