/** Outcome of reading one field or record: the value, or why it is unusable (a reason code and a sentence). */
export type Read<T> = { ok: true; value: T } | Failure;

export interface Failure {
  ok: false;
  /** Short machine-readable reason (the `reason` label of the rejection counter). */
  reason: string;
  /** Human-readable explanation naming the field. */
  detail: string;
}

export function ok<T>(value: T): Read<T> {
  return { ok: true, value };
}

export function fail(reason: string, detail: string): Failure {
  return { ok: false, reason, detail };
}
