import type { SqliteDatabase } from '../../store/sqlite/open-database.ts';
import type { OffsetSample } from './offset-sample.ts';
import type { OrderingSharedState, SharedSpanKeys } from './shared-state.ts';

export interface SqliteOrderingStateOptions {
  /** How long published span keys stay visible (ms): how late a log may come and still find its span. */
  spanTtlMs?: number;
  /** Samples kept (the newest). */
  maxSamples?: number;
  /** Epoch ms (an injected clock in tests). */
  now?: () => number;
}

/**
 * `OrderingSharedState` in the service's SQLite database, for the embedded deployment (the stage's
 * `archive` mode): span keys live on disk rather than on the heap, so a log re-sent minutes late still
 * finds the keys of its span long after the stage forgot it. Its own tables (`CREATE TABLE IF NOT
 * EXISTS`, no migration of the store).
 *
 * Each `publishSpanKeys` call is written in one transaction, its rows keyed `(batch, ref)` and inserted
 * in reference order, so they are appended at the end of the table's B-tree: as a new batch, or at the
 * end of the last one when they all sort after it. Keyed by reference alone, thousands of spans a second
 * would each dirty a page of their own in every commit (measured: 10-16 us of CPU and 30-45 us of wall
 * time per row at 30,000 rows a second). So call it with many keys at a time, or with chunks in
 * reference order (the archive mode does: the spans the stage forgets, every few seconds). A lookup
 * probes the live batches by primary key, newest first, inside SQLite; a batch whose keys have all
 * expired is deleted whole.
 *
 * Clock samples: an append-only table (the cursor is its row id), trimmed to `maxSamples`, so several
 * stages over one database trade samples as replicas do through Redis.
 *
 * Text is stored exactly: a string with a lone surrogate (which UTF-8 cannot carry) is stored as a BLOB
 * of its UTF-16 code units, never equal to any TEXT value, so two references never collide.
 */
export class SqliteOrderingState implements OrderingSharedState {
  private readonly spanTtlMs: number;
  private readonly maxSamples: number;
  private readonly now: () => number;
  private readonly insertBatch;
  private readonly extendBatch;
  private readonly insertKeys;
  private readonly insertOne;
  private readonly select;
  private readonly expireKeys;
  private readonly expireBatches;
  private readonly readSamples;
  private readonly appendSample;
  private readonly trimSamples;
  /** The last batch this instance wrote, and its greatest reference: a call going on from there extends it. */
  private tail: { batch: number; lastRef: string; since: number } | null = null;

  constructor(
    private readonly db: SqliteDatabase,
    options: SqliteOrderingStateOptions = {},
  ) {
    this.spanTtlMs = positiveInteger('spanTtlMs', options.spanTtlMs ?? 300_000);
    this.maxSamples = positiveInteger('maxSamples', options.maxSamples ?? 100_000);
    this.now = options.now ?? Date.now;
    db.exec(`CREATE TABLE IF NOT EXISTS ordering_span_key_batches (
       batch INTEGER PRIMARY KEY,
       expires_at INTEGER NOT NULL
     ) STRICT;
     CREATE TABLE IF NOT EXISTS ordering_span_keys (
       batch INTEGER NOT NULL,
       ref ANY NOT NULL,
       start_key ANY NOT NULL,
       end_key ANY,
       expires_at INTEGER NOT NULL,
       PRIMARY KEY (batch, ref)
     ) STRICT, WITHOUT ROWID;
     CREATE TABLE IF NOT EXISTS ordering_offset_samples (
       seq INTEGER PRIMARY KEY AUTOINCREMENT,
       replica ANY NOT NULL,
       sample TEXT NOT NULL
     ) STRICT;`);
    this.insertBatch = db.prepare(
      `INSERT INTO ordering_span_key_batches (batch, expires_at)
       SELECT max(@now, coalesce(max(batch), 0) + 1), @expiresAt FROM ordering_span_key_batches RETURNING batch`,
    );
    this.extendBatch = db.prepare(
      `UPDATE ordering_span_key_batches SET expires_at = max(expires_at, @expiresAt)
       WHERE batch = @batch AND expires_at > @now`,
    );
    const insert = (rows: number): string =>
      `INSERT OR REPLACE INTO ordering_span_keys (batch, ref, start_key, end_key, expires_at)
       VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?)').join(', ')}`;
    this.insertKeys = db.prepare(insert(ROWS_PER_INSERT));
    this.insertOne = db.prepare(insert(1));
    // The batches are the outer loop (CROSS JOIN keeps that order), newest first: one seek per batch.
    this.select = db.prepare(
      `SELECT k.start_key AS startKey, k.end_key AS endKey
       FROM ordering_span_key_batches b CROSS JOIN ordering_span_keys k
       WHERE b.expires_at > @now AND k.batch = b.batch AND k.ref = @ref AND k.expires_at > @now
       ORDER BY b.batch DESC LIMIT 1`,
    );
    this.expireKeys = db.prepare(
      `DELETE FROM ordering_span_keys
       WHERE batch IN (SELECT batch FROM ordering_span_key_batches WHERE expires_at <= ?)`,
    );
    this.expireBatches = db.prepare('DELETE FROM ordering_span_key_batches WHERE expires_at <= ?');
    this.readSamples = db.prepare(
      'SELECT seq, replica, sample FROM ordering_offset_samples WHERE seq > ? ORDER BY seq',
    );
    this.appendSample = db.prepare('INSERT INTO ordering_offset_samples (replica, sample) VALUES (?, ?)');
    this.trimSamples = db.prepare('DELETE FROM ordering_offset_samples WHERE seq <= ?');
  }

  /**
   * Writes `keys` (the last of a reference given twice wins) as a new batch, or at the end of this
   * instance's last one when they all sort after it (a caller writing many keys in reference order, a
   * chunk at a time, keeps one batch); drops expired batches.
   */
  async publishSpanKeys(keys: readonly SharedSpanKeys[]): Promise<void> {
    const now = this.nowMs();
    const expiresAt = now + this.spanTtlMs;
    // In reference order, the batch's rows are appended to the B-tree one after the other.
    const rows = inReferenceOrder(keys);
    this.db.transaction(() => {
      this.expireKeys.run(now);
      this.expireBatches.run(now);
      if (rows.length === 0) return;
      const tail = this.tail;
      const extends_ =
        tail !== null &&
        (rows[0] as SharedSpanKeys).ref > tail.lastRef &&
        now - tail.since < EXTEND_WITHIN_MS &&
        this.extendBatch.run({ batch: tail.batch, expiresAt, now }).changes === 1;
      const batch = extends_
        ? (tail as { batch: number }).batch
        : (this.insertBatch.get({ now, expiresAt }) as { batch: number }).batch;
      const args: unknown[] = new Array(5 * ROWS_PER_INSERT);
      let n = 0;
      for (const k of rows) {
        args[n++] = batch;
        args[n++] = storedText(k.ref);
        args[n++] = storedText(k.startKey);
        args[n++] = k.endKey === null ? null : storedText(k.endKey);
        args[n++] = expiresAt;
        if (n === args.length) {
          this.insertKeys.run(args);
          n = 0;
        }
      }
      for (let i = 0; i < n; i += 5) this.insertOne.run(args.slice(i, i + 5));
      this.tail = {
        batch,
        lastRef: (rows[rows.length - 1] as SharedSpanKeys).ref,
        since: extends_ ? (tail as { since: number }).since : now,
      };
    })();
  }

  async lookupSpanKeys(refs: readonly string[]): Promise<ReadonlyMap<string, SharedSpanKeys>> {
    const now = this.nowMs();
    const found = new Map<string, SharedSpanKeys>();
    if (refs.length === 0) return found;
    this.db.transaction(() => {
      for (const ref of refs) {
        if (found.has(ref)) continue;
        const row = this.select.get({ ref: storedText(ref), now }) as StoredKeys | undefined;
        if (row === undefined) continue;
        const endKey = row.endKey === null ? null : readText(row.endKey);
        found.set(ref, { ref, startKey: readText(row.startKey), endKey });
      }
    })();
    return found;
  }

  /** Whole ms: the tables hold integers (an injected clock may give fractions). */
  private nowMs(): number {
    return Math.floor(this.now());
  }

  async exchangeOffsetSamples(
    replica: string,
    samples: readonly OffsetSample[],
    cursor: string,
  ): Promise<{ samples: OffsetSample[]; cursor: string }> {
    // A cursor this class never returned reads everything retained, as '' does.
    const after = /^\d+$/.test(cursor) ? Number(cursor) : 0;
    const self = storedText(replica);
    return this.db.transaction(() => {
      const theirs: OffsetSample[] = [];
      let last = after;
      for (const row of this.readSamples.iterate(after) as Iterable<StoredSample>) {
        last = row.seq;
        if (sameText(row.replica, self)) continue;
        theirs.push(JSON.parse(row.sample) as OffsetSample);
      }
      for (const s of samples) {
        const sample = JSON.stringify({ a: s.a, b: s.b, t: s.t, lo: s.lo, hi: s.hi });
        last = Number(this.appendSample.run(self, sample).lastInsertRowid);
      }
      if (samples.length > 0) this.trimSamples.run(last - this.maxSamples);
      return { samples: theirs, cursor: String(last) };
    })();
  }
}

/** A batch goes on taking calls in reference order this long after it was begun. */
const EXTEND_WITHIN_MS = 10_000;
/** Rows per INSERT statement (5 parameters each, well under SQLite's limit). */
const ROWS_PER_INSERT = 100;

interface StoredKeys {
  startKey: string | Buffer;
  endKey: string | Buffer | null;
}

interface StoredSample {
  seq: number;
  replica: string | Buffer;
  sample: string;
}

/** TEXT when UTF-8 carries the string exactly (no lone surrogate), else a BLOB of its UTF-16LE units. */
function storedText(text: string): string | Buffer {
  return (text as WellFormedCheck).isWellFormed() ? text : Buffer.from(text, 'utf16le');
}

/** `String.prototype.isWellFormed` (ES2024, in Node 20; the compiler's library is ES2022). */
type WellFormedCheck = string & { isWellFormed(): boolean };

/** The keys sorted by reference, the last of a reference given twice kept (as given when they already are). */
function inReferenceOrder(keys: readonly SharedSpanKeys[]): readonly SharedSpanKeys[] {
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) {
    sorted = (keys[i - 1] as SharedSpanKeys).ref < (keys[i] as SharedSpanKeys).ref;
  }
  if (sorted) return keys;
  const latest = new Map<string, SharedSpanKeys>();
  for (const k of keys) latest.set(k.ref, k);
  return [...latest.keys()].sort().map((ref) => latest.get(ref) as SharedSpanKeys);
}

function readText(value: string | Buffer): string {
  return typeof value === 'string' ? value : value.toString('utf16le');
}

function sameText(a: string | Buffer, b: string | Buffer): boolean {
  return typeof a === 'string' || typeof b === 'string' ? a === b : a.equals(b);
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`order-logs SQLite shared state: ${name} must be a positive integer, got ${value}`);
  }
  return value;
}
