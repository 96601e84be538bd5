import { errors } from '@elastic/elasticsearch';
import type { ElasticsearchStoreConfig } from './config.ts';

export interface RetryPolicy {
  /** Further tries after the first. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export function retryPolicyOf(
  config: Pick<ElasticsearchStoreConfig, 'retries' | 'retryBaseDelayMs' | 'retryMaxDelayMs'>,
): RetryPolicy {
  return {
    retries: config.retries,
    baseDelayMs: config.retryBaseDelayMs,
    maxDelayMs: config.retryMaxDelayMs,
  };
}

/** Exponential backoff with "equal jitter": between half and all of `base * 2^attempt`, capped. */
export function backoffDelayMs(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Too many requests, or the server's fault: worth another try. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Network trouble, timeouts and retryable statuses; not the 4xx that would fail again. */
export function isRetryableError(err: unknown): boolean {
  if (err instanceof errors.ResponseError) return isRetryableStatus(err.statusCode ?? 0);
  return (
    err instanceof errors.ConnectionError ||
    err instanceof errors.TimeoutError ||
    err instanceof errors.NoLivingConnectionsError ||
    err instanceof errors.DeserializationError
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `task` until it succeeds, a non-retryable error occurs, or `retries` further tries failed. */
export async function withRetries<T>(policy: RetryPolicy, task: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await task();
    } catch (err) {
      if (attempt >= policy.retries || !isRetryableError(err)) throw err;
    }
    await sleep(backoffDelayMs(policy, attempt));
  }
}
