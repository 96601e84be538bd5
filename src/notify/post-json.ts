import { DeliveryError } from './notification.ts';

export interface PostOptions {
  headers?: Record<string, string>;
  /** Per attempt; the retry stage decides how many attempts there are. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * POSTs JSON and resolves on 2xx. Failures become `DeliveryError`: connection errors, timeouts, 408, 429
 * and 5xx are worth retrying; other 4xx mean the request itself is wrong and retrying cannot help.
 */
export async function postJson(url: string, body: unknown, options: PostOptions = {}): Promise<void> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Tributary', ...options.headers },
      body: JSON.stringify(body),
      signal,
      redirect: 'error',
    });
  } catch (err) {
    const cause =
      err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    throw new DeliveryError(`POST ${redact(url)} failed: ${cause}`, true);
  }
  const text = await response.text().catch(() => '');
  if (response.ok) return;
  const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
  throw new DeliveryError(
    `POST ${redact(url)} answered ${response.status}: ${text.slice(0, 200).replace(/\s+/g, ' ')}`,
    retryable,
  );
}

/** Webhook URLs often carry a secret in the path (Slack); logs and decisions show only the origin. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '<invalid url>';
  }
}
