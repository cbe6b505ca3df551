/**
 * Bounded retries with full-jitter exponential backoff under one overall time budget.
 *
 * Attempt k (0-based) may run for min(attemptTimeoutMs, what is left of budgetMs); before
 * attempt k+1 we sleep random(0, min(maxDelayMs, baseDelayMs · 2^k)). No attempt starts with
 * less than minAttemptMs of budget left, so the whole thing ends within budgetMs (plus timer
 * slack) whatever the remote does.
 */
export interface RetryPolicy {
  /** Attempts in total, the first included (3 = 1 try + 2 retries). */
  attempts: number;
  attemptTimeoutMs: number;
  budgetMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  minAttemptMs: number;
}

export function defaultRetryPolicy(timeoutMs: number): RetryPolicy {
  return {
    attempts: 3,
    attemptTimeoutMs: timeoutMs,
    // Two full timeouts and the backoff between them; the third attempt only gets what is left.
    budgetMs: Math.round(timeoutMs * 2.5),
    baseDelayMs: 100,
    maxDelayMs: 1000,
    minAttemptMs: Math.min(100, timeoutMs),
  };
}

export interface RetryDeps {
  /** Monotonic milliseconds (performance.now): budgets are about elapsed time, not the wall clock. */
  elapsedClock?: () => number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export async function withRetry<T>(
  run: (attempt: number, timeoutMs: number) => Promise<T>,
  policy: RetryPolicy,
  isRetryable: (error: unknown) => boolean,
  deps: RetryDeps = {},
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void,
): Promise<T> {
  const clock = deps.elapsedClock ?? (() => performance.now());
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? ((ms: number) => Bun.sleep(ms));
  const deadline = clock() + policy.budgetMs;
  for (let attempt = 0; ; attempt++) {
    const left = deadline - clock();
    try {
      return await run(attempt, Math.min(policy.attemptTimeoutMs, Math.max(left, policy.minAttemptMs)));
    } catch (error) {
      if (attempt + 1 >= policy.attempts || !isRetryable(error)) throw error;
      const delayMs = Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
      if (deadline - clock() - delayMs < policy.minAttemptMs) throw error;
      onRetry?.(error, attempt, delayMs);
      await sleep(delayMs);
    }
  }
}
