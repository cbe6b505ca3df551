import type { CircuitState } from "./circuit-breaker.ts";
import type { EmployeeEvidence } from "./schema.ts";

/**
 * Where /user.tabs gets an employee's data. The SAP client with its caches implements it;
 * tests may use an in-memory directory.
 *
 * - `found`: the evidence, how old it is (stale answers are served while SAP fails), and where
 *   it came from when the source knows (for the request's log line).
 * - `unknown`: SAP says there is no such employee (404 to the client).
 * - `unavailable`: SAP cannot be asked and nothing usable is cached (503 + Retry-After).
 */
export type EvidenceLookup =
  | { kind: "found"; evidence: EmployeeEvidence; ageS: number; stale: boolean; from?: EvidenceOrigin }
  | { kind: "unknown" }
  | { kind: "unavailable"; reason: string; retryAfterS: number };

/** Where found evidence came from: this process's memory, the shared Redis tier, or SAP itself. */
export type EvidenceOrigin = "memory" | "redis" | "sap";

export interface EvidenceSource {
  lookup(personnelNumber: string): Promise<EvidenceLookup>;
  close?(): Promise<void>;
  /** For /readyz: how SAP and the shared cache are doing (absent for sources without them). */
  health?(): EvidenceHealth;
}

export interface EvidenceHealth {
  sap: {
    circuit: CircuitState;
    /** When SAP last answered (an unknown employee counts) / last failed; null: not yet. */
    lastSuccessAt: Date | null;
    lastFailureAt: Date | null;
    demo: boolean;
  };
  redis: "not_configured" | "connected" | "disconnected";
}

/** An EvidenceSource over a fixed map, for tests and as a fallback. */
export class StaticEvidenceSource implements EvidenceSource {
  constructor(private readonly employees: Map<string, EmployeeEvidence>) {}
  async lookup(personnelNumber: string): Promise<EvidenceLookup> {
    const evidence = this.employees.get(personnelNumber);
    return evidence
      ? { kind: "found", evidence, ageS: 0, stale: false, from: "memory" }
      : { kind: "unknown" };
  }
}
