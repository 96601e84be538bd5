import { compareKeys, hlcKey, keyBefore, type OrderKey } from './order-key.ts';

export interface KeyInputs {
  /** Offset-corrected physical time, Unix ns. */
  pt: bigint;
  /** Greatest key among known predecessors. */
  lower: OrderKey | null;
  /** Least key among successors already keyed (the event came late). */
  upper: OrderKey | null;
  /** The emitter's own HLC stamp, when it wrote one (the key is then at least the stamp). */
  stamp: OrderKey | null;
}

export interface AssignedKey {
  key: OrderKey;
  /** The key was pulled below `upper` (it would have landed after a successor). */
  clamped: boolean;
  /** No key fits between `lower` and `upper`: an edge had to be broken (the one to the successor). */
  violated: boolean;
}

const ONE_MICROSECOND = 1_000n;

/**
 * The key of one event: the HLC rule over its predecessors (and its emitter's stamp), then, when a
 * successor was keyed before it, pulled just below that successor, with room left for other late
 * predecessors (1 us below, else halfway in time, else halfway in the counter, else the very next key
 * down).
 */
export function assignKey({ pt, lower, upper, stamp }: KeyInputs): AssignedKey {
  let key = hlcKey(pt, lower);
  if (stamp !== null && compareKeys(stamp, key) > 0) key = stamp;
  if (upper === null || compareKeys(key, upper) < 0) return { key, clamped: false, violated: false };
  const fits = (k: OrderKey): boolean =>
    compareKeys(k, upper) < 0 && (lower === null || compareKeys(k, lower) > 0);
  const candidates: OrderKey[] = [{ l: upper.l - ONE_MICROSECOND, c: 0 }];
  if (lower !== null) {
    candidates.push({ l: (lower.l + upper.l) / 2n, c: 0 });
    // Both raised by the HLC rule onto one physical instant: the room is in the counter.
    if (lower.l === upper.l) candidates.push({ l: lower.l, c: Math.floor((lower.c + upper.c) / 2) });
  }
  candidates.push(keyBefore(upper));
  for (const candidate of candidates) {
    if (fits(candidate)) return { key: candidate, clamped: true, violated: false };
  }
  return { key, clamped: false, violated: true };
}
