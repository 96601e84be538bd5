/**
 * One HTTP GET of a /metrics endpoint, bounded in time (the signal) and size. Failures come back as
 * values with a reason, never as exceptions.
 */

export type FetchFailureReason = 'timeout' | 'aborted' | 'http_status' | 'network' | 'body_too_large';

export type FetchOutcome =
  { ok: true; text: string } | { ok: false; reason: FetchFailureReason; message: string; status?: number };

const ACCEPT = 'text/plain;version=0.0.4;q=1,*/*;q=0.1';

/** `http://node-01:8080` → `http://node-01:8080/metrics`; a URL with a path is used as given. */
export function metricsUrl(target: string): string {
  const url = new URL(target);
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/metrics';
  return url.toString();
}

export async function fetchMetricsText(
  url: string,
  signal: AbortSignal,
  maxBytes: number,
): Promise<FetchOutcome> {
  let response: Response;
  try {
    response = await fetch(url, { signal, headers: { accept: ACCEPT }, redirect: 'follow' });
  } catch (error) {
    return failure(error, signal);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    return {
      ok: false,
      reason: 'http_status',
      message: `GET ${url}: HTTP ${response.status}`,
      status: response.status,
    };
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return {
      ok: false,
      reason: 'body_too_large',
      message: `GET ${url}: body of ${declared} bytes exceeds ${maxBytes}`,
    };
  }
  try {
    const text = await readLimited(response, maxBytes);
    return text === null
      ? { ok: false, reason: 'body_too_large', message: `GET ${url}: body exceeds ${maxBytes} bytes` }
      : { ok: true, text };
  } catch (error) {
    return failure(error, signal);
  }
}

async function readLimited(response: Response, maxBytes: number): Promise<string | null> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}

function failure(error: unknown, signal: AbortSignal): FetchOutcome {
  const reason = signal.reason as unknown;
  if (signal.aborted && reason instanceof DOMException && reason.name === 'TimeoutError') {
    return { ok: false, reason: 'timeout', message: 'scrape timed out' };
  }
  if (signal.aborted) return { ok: false, reason: 'aborted', message: 'scrape aborted by shutdown' };
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return {
    ok: false,
    reason: 'network',
    message: `${error instanceof Error ? error.message : String(error)}${cause}`,
  };
}
