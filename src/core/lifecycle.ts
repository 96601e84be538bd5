/**
 * The component lifecycle, as the OpenTelemetry Collector writes it down:
 * - `start()` begins work; it is called once.
 * - `shutdown(deadline)` stops intake, drains what is in flight, flushes, and returns by `deadline`
 *   (epoch ms) at the latest. It is idempotent and safe to call without `start()`.
 */
export interface Component {
  readonly name: string;
  start(): Promise<void>;
  shutdown(deadline: number): Promise<void>;
}

/** Makes a shutdown function idempotent: every call after the first returns the first call's promise. */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  return () => (running ??= fn());
}

/** Resolves with `work`'s outcome, or rejects with a `DeadlineExceeded` error at `deadline`. */
export async function withDeadline<T>(work: Promise<T>, deadline: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DeadlineExceeded(`${what} did not finish before the shutdown deadline`)),
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
}
