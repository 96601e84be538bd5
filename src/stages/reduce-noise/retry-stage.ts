import type { Clock } from '../../alerting/clock.ts';
import { DeliveryError, type Integration, type Notification } from '../../notify/notification.ts';

export interface RetryOptions {
  clock: Clock;
  /** First backoff; doubles per attempt up to `maxBackoffMs`, with ±20% jitter. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** Attempts stop when the next one would start after this (epoch ms). */
  deadline: number;
  /** Called between attempts; false when the claim was lost (another replica took over): stop. */
  stillOwner?: () => Promise<boolean>;
  random?: () => number;
}

export type DeliveryOutcome = { ok: true; attempts: number } | { ok: false; attempts: number; error: string };

/**
 * Alertmanager's RetryStage for one integration: retries retryable failures with capped exponential
 * backoff until the deadline; a non-retryable failure (a 4xx) ends at once.
 */
export async function deliverWithRetry(
  integration: Integration,
  notification: Notification,
  options: RetryOptions,
): Promise<DeliveryOutcome> {
  const random = options.random ?? Math.random;
  let backoff = options.initialBackoffMs;
  for (let attempt = 1; ; attempt++) {
    const controller = new AbortController();
    const budget = Math.max(1000, options.deadline - options.clock.now());
    const timer = options.clock.setTimeout(() => controller.abort(), budget);
    try {
      await integration.notify(notification, controller.signal);
      return { ok: true, attempts: attempt };
    } catch (err) {
      const retryable = err instanceof DeliveryError ? err.retryable : true;
      const error = err instanceof Error ? err.message : String(err);
      const wait = Math.min(backoff, options.maxBackoffMs) * (0.8 + 0.4 * random());
      if (!retryable || options.clock.now() + wait >= options.deadline)
        return { ok: false, attempts: attempt, error };
      await sleep(options.clock, wait);
      if (options.stillOwner && !(await options.stillOwner())) {
        return { ok: false, attempts: attempt, error: `${error}; claim lost to another replica` };
      }
      backoff *= 2;
    } finally {
      timer.cancel();
    }
  }
}

function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
