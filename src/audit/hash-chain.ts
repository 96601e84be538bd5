import { createHash } from 'node:crypto';
import type { AuditEntry, VerifyReport } from './audit-log.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** SHA-256 over the previous hash and the entry's canonical JSON (sorted keys), hex. */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(entry.prevHash).update('\n').update(canonicalJson(entry)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Walks entries in `seq` order and reports the first one that does not fit: a gap in seq (removed
 * entries), a prevHash that is not the previous entry's hash (removed or reordered), or a hash that does
 * not match the content (altered). `head` is the hash the log recorded as its last one, which catches
 * the removal of the newest entries.
 */
export function verifyChain(
  entries: Iterable<AuditEntry>,
  head: { seq: number; hash: string } | null,
): VerifyReport {
  const walk = new ChainWalk();
  for (const entry of entries) {
    const report = walk.step(entry);
    if (report) return report;
  }
  return walk.finish(head);
}

/** `verifyChain` over entries read page by page (a store too large to hold in memory). */
export async function verifyChainAsync(
  entries: AsyncIterable<AuditEntry>,
  head: { seq: number; hash: string } | null,
): Promise<VerifyReport> {
  const walk = new ChainWalk();
  for await (const entry of entries) {
    const report = walk.step(entry);
    if (report) return report;
  }
  return walk.finish(head);
}

class ChainWalk {
  private previous: AuditEntry | null = null;
  private count = 0;

  /** The report naming `entry` when it breaks the chain, else null. */
  step(entry: AuditEntry): VerifyReport | null {
    const previous = this.previous;
    const count = ++this.count;
    const expectedSeq = previous ? previous.seq + 1 : 1;
    if (entry.seq !== expectedSeq) {
      return broken(count, expectedSeq, `entry ${expectedSeq} is missing (next present is ${entry.seq})`);
    }
    if (entry.prevHash !== (previous?.hash ?? GENESIS_HASH)) {
      return broken(count, entry.seq, `prevHash does not match the hash of entry ${expectedSeq - 1}`);
    }
    const { hash, ...rest } = entry;
    if (entryHash(rest) !== hash)
      return broken(count, entry.seq, 'content does not match its hash (altered)');
    this.previous = entry;
    return null;
  }

  finish(head: { seq: number; hash: string } | null): VerifyReport {
    const { previous, count } = this;
    if (head && (previous?.seq ?? 0) < head.seq) {
      return broken(
        count,
        (previous?.seq ?? 0) + 1,
        `entries ${(previous?.seq ?? 0) + 1}..${head.seq} were removed`,
      );
    }
    if (head && previous && previous.hash !== head.hash) {
      return broken(count, previous.seq, 'the last entry does not match the recorded head hash');
    }
    return { ok: true, entries: count, firstBroken: null };
  }
}

function broken(entries: number, seq: number, reason: string): VerifyReport {
  return { ok: false, entries, firstBroken: { seq, reason } };
}
