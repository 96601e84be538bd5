/** What one publish attempt did; a failure is a value, not an exception (the caller logs or answers it). */
export interface PublishOutcome {
  target: 'grafana' | 'kibana';
  status: 'published' | 'unchanged' | 'not-configured' | 'failed';
  /** Content hash of what was (or would have been) published. */
  hash: string;
  /** Why it failed or was skipped, in a sentence. */
  detail?: string;
}

/** An HTTP exchange towards Grafana or Kibana with a deadline; the body is read whole (they are small). */
export async function httpCall(
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<{ status: number; body: unknown; text: string }> {
  const response = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: response.status, body, text };
}

/** A failure sentence that never carries credentials: the status and the start of what the server said. */
export function describeFailure(what: string, status: number, text: string): string {
  const said = text.replace(/\s+/g, ' ').trim().slice(0, 300);
  return `${what} answered ${status}${said === '' ? '' : `: ${said}`}`;
}

export function describeError(what: string, err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `${what} did not answer in time`;
  const cause = e.cause?.code ?? e.cause?.message;
  return `${what} could not be reached: ${e.message ?? String(err)}${cause ? ` (${cause})` : ''}`;
}
