/** Exponential backoff with full jitter between `initialMs` and `maxMs` (AWS architecture blog's advice). */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.max(initialMs, Math.round(Math.random() * ceiling));
}

/** Resolves after `ms`, or early (false) when `signal` aborts; true when the full time passed. */
export function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryOptions {
  initialMs: number;
  maxMs: number;
  /** Aborted when retrying must stop (shutdown deadline): the call then resolves false. */
  signal: AbortSignal;
  /** Runs between attempts (a consumer heartbeat); a throw ends the retries with that error. */
  between?: () => Promise<void>;
  onFailure?: (err: unknown, attempt: number, delayMs: number) => void;
}

/**
 * Calls `work` until it succeeds (true) or `signal` aborts (false). Never gives up on its own: a store
 * that is down must stall consumption, not skip records.
 */
export async function retryUntilDone(work: () => Promise<void>, options: RetryOptions): Promise<boolean> {
  for (let attempt = 0; !options.signal.aborted; attempt += 1) {
    try {
      await work();
      return true;
    } catch (err) {
      const delay = backoffDelay(attempt, options.initialMs, options.maxMs);
      options.onFailure?.(err, attempt, delay);
      if (!(await pause(delay, options.signal))) return false;
      await options.between?.();
    }
  }
  return false;
}
