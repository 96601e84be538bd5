import { compareKeys } from './order-key.ts';
import type { ReleasedPoint } from './point.ts';

/** The total order of released points: key, then emitter, sequence, id (a span's start before its end). */
export function compareReleased(a: ReleasedPoint, b: ReleasedPoint): number {
  return (
    compareKeys(a.key, b.key) ||
    compareText(a.record.sourceKey ?? '', b.record.sourceKey ?? '') ||
    compareSequence(a.record.sequence, b.record.sequence) ||
    compareText(a.record.id, b.record.id) ||
    (a.role === b.role ? 0 : a.role === 'end' ? 1 : -1)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareSequence(a: bigint | null, b: bigint | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}
