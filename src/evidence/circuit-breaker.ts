/**
 * A consecutive-failure circuit breaker. Closed: calls pass; `failureThreshold` failures in a
 * row open it. Open: calls are refused at once for `cooldownMs`. Then half-open: exactly one
 * probe call passes (the rest are still refused); its success closes the circuit, its failure
 * opens it for another cool-down.
 */
export type CircuitState = "closed" | "open" | "half_open";

export interface CircuitBreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
  /** Wall clock in ms; injected so tests can step over the cool-down. */
  now: () => number;
  onStateChange?: (state: CircuitState, previous: CircuitState) => void;
}

export class CircuitOpenError extends Error {
  constructor(readonly retryAfterMs: number) {
    super("SAP circuit is open");
    this.name = "CircuitOpenError";
  }
}

export class CircuitBreaker {
  private stateNow: CircuitState = "closed";
  private failures = 0;
  private openedAt = 0;
  private probing = false;

  constructor(private readonly options: CircuitBreakerOptions) {}

  get state(): CircuitState {
    return this.stateNow;
  }

  /** Milliseconds until a probe may pass (0 when closed). */
  retryAfterMs(): number {
    if (this.stateNow === "closed") return 0;
    return Math.max(0, this.openedAt + this.options.cooldownMs - this.options.now());
  }

  /**
   * Runs `call` unless the circuit refuses it (CircuitOpenError). `countsAsFailure` decides
   * which errors say "the remote is unhealthy"; others pass through and count as a success of
   * the remote (it answered).
   */
  async run<T>(call: () => Promise<T>, countsAsFailure: (error: unknown) => boolean): Promise<T> {
    this.admit();
    const probe = this.stateNow === "half_open";
    try {
      const result = await call();
      this.onSuccess();
      return result;
    } catch (error) {
      if (countsAsFailure(error)) this.onFailure();
      else this.onSuccess();
      throw error;
    } finally {
      if (probe) this.probing = false;
    }
  }

  private admit(): void {
    if (this.stateNow === "open") {
      if (this.retryAfterMs() > 0) throw new CircuitOpenError(this.retryAfterMs());
      this.transition("half_open");
    }
    if (this.stateNow === "half_open") {
      if (this.probing) throw new CircuitOpenError(Math.max(this.retryAfterMs(), 1000));
      this.probing = true;
    }
  }

  private onSuccess(): void {
    this.failures = 0;
    if (this.stateNow !== "closed") this.transition("closed");
  }

  private onFailure(): void {
    this.failures++;
    if (this.stateNow === "half_open" || this.failures >= this.options.failureThreshold) {
      this.openedAt = this.options.now();
      if (this.stateNow !== "open") this.transition("open");
    }
  }

  private transition(next: CircuitState): void {
    const previous = this.stateNow;
    this.stateNow = next;
    this.options.onStateChange?.(next, previous);
  }
}
