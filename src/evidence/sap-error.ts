/**
 * Why a call to SAP did not produce an employee. The kind decides everything downstream:
 * whether to retry, whether it counts against the circuit breaker, how loudly to log.
 */
export type SapFailureKind =
  | "timeout" // no complete answer within the per-call timeout
  | "network" // connection refused/reset, DNS
  | "server" // 5xx
  | "auth" // 401/403: the technical user or its rights are wrong (misconfiguration)
  | "client" // another 4xx: our request is wrong, asking again will not help
  | "garbage" // a 2xx whose body is not JSON (an HTML error page, a truncated body)
  | "shape"; // JSON, but not the contract's shape

export class SapError extends Error {
  constructor(
    readonly kind: SapFailureKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "SapError";
  }

  /** Transient trouble is worth another attempt; 4xx, auth and bad payloads are not. */
  get retryable(): boolean {
    return this.kind === "timeout" || this.kind === "network" || this.kind === "server";
  }

  /**
   * Whether this says "SAP is unhealthy" (feeds the circuit breaker). A wrong shape is about one
   * record, not SAP's health; auth failures do count: they fail every call, and hammering SAP
   * with a wrong password can lock the technical user.
   */
  get countsAgainstSap(): boolean {
    return this.kind !== "shape" && this.kind !== "client";
  }
}

export const isSapError = (e: unknown): e is SapError => e instanceof SapError;
