/**
 * Retries of one listing page. The SAP client already retries each call within its short,
 * per-request budget (made for /user.tabs); a sync can afford to wait longer for SAP to come
 * back, so a page is asked again after a backoff of seconds, a few times, before the run fails.
 */
import { SapError } from "../evidence/index.ts";

export interface PageRetryPolicy {
  /** Attempts in total, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_PAGE_RETRY: PageRetryPolicy = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 15_000 };

/** Only SAP's transient trouble is retried (not 4xx, auth, a bad body or a database error). */
const retryable = (error: unknown) => error instanceof SapError && error.retryable;

export async function withPageRetry<T>(
  run: () => Promise<T>,
  policy: PageRetryPolicy,
  signal: AbortSignal,
  onRetry: (error: unknown, attempt: number) => void,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt + 1 >= policy.attempts || !retryable(error) || signal.aborted) throw error;
      onRetry(error, attempt);
      const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
      await abortableSleep(delay * (0.5 + Math.random() / 2), signal);
    }
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
