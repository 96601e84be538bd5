import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import type { Logger } from 'pino';
import type { AuditEntry, AuditLog, AuditQuery, AuditRecord, VerifyReport } from '../../audit/audit-log.ts';
import { GENESIS_HASH, entryHash, verifyChainAsync } from '../../audit/hash-chain.ts';
import { nowInstant } from '../../core/time.ts';
import { InvalidCursor } from '../event-store.ts';
import { AUDIT_HEAD_ID, AuditIndexTemplate, auditHeadIndex, auditIndex } from './audit-index.ts';
import type { ElasticsearchStoreConfig } from './config.ts';
import { retryPolicyOf, withRetries, type RetryPolicy } from './retry-policy.ts';

interface ChainHead {
  seq: number;
  hash: string;
}

type AuditDocument = Omit<AuditEntry, 'detail'> & { detail: unknown };

/** Appends give up after this many seqs taken by other replicas in a row (a runaway, not contention). */
const MAX_CLAIMS = 1000;
const VERIFY_PAGE = 1000;

/**
 * The audit trail in `<prefix>-audit`, one document per entry with `_id` = seq, so several replicas can
 * append to one chain without a lock:
 * - An append claims seq n+1 with a create-only write (`op_type=create`) whose `prevHash` is entry n's
 *   hash. Elasticsearch lets exactly one create of an id succeed, so the chain never forks; a replica
 *   that loses reads the winner (a realtime GET, no refresh needed) and tries the next seq. Entry n+1 is
 *   only written once entry n exists, so seqs have no gaps. Appends of one instance are serialized.
 * - `<prefix>-audit-head` records the highest seq and its hash (raised by compare-and-set, never
 *   lowered), which lets `verify` notice the newest entries removed. It is written after the entry: a
 *   crash in between leaves it behind, which the next append repairs; `verify` then takes the newest
 *   entry as the head (the chain up to it is checked link by link all the same).
 * - Durability: the template sets `translog.durability: request`, so an acknowledged create is fsynced.
 *   Reads refresh the audit index first, so `query` and `verify` see every append acknowledged before
 *   them, on any replica (audit reads are rare; appends stay cheap).
 */
export class ElasticsearchAuditLog implements AuditLog {
  private readonly template: AuditIndexTemplate;
  private readonly policy: RetryPolicy;
  private readonly index: string;
  private readonly headIndex: string;
  /** The newest entry this instance knows of; null until the first append reads the store. */
  private head: ChainHead | null = null;
  private appending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: Client,
    config: ElasticsearchStoreConfig,
    private readonly logger?: Pick<Logger, 'warn'>,
  ) {
    this.template = new AuditIndexTemplate(client, config);
    this.policy = retryPolicyOf(config);
    this.index = auditIndex(config.indexPrefix);
    this.headIndex = auditHeadIndex(config.indexPrefix);
  }

  append(record: AuditRecord): Promise<AuditEntry> {
    const run = this.appending.then(() => this.appendInOrder(record));
    this.appending = run.catch(() => undefined);
    return run;
  }

  async query(query: AuditQuery): Promise<{ items: AuditEntry[]; next: string | null }> {
    const filter: estypes.QueryDslQueryContainer[] = [];
    for (const key of ['actor', 'action', 'target'] as const) {
      const value = query[key];
      if (value !== undefined) filter.push({ term: { [key]: { value } } });
    }
    if (query.from !== undefined) filter.push({ range: { time: { gte: query.from } } });
    if (query.to !== undefined) filter.push({ range: { time: { lt: query.to } } });
    if (query.cursor !== undefined) {
      if (!/^[1-9]\d{0,15}$/.test(query.cursor))
        throw new InvalidCursor('cursor is malformed: pass back `next` unchanged');
      filter.push({ range: { seq: { lt: Number(query.cursor) } } });
    }
    await this.refresh();
    const response = await this.client.search<AuditDocument>({
      index: this.index,
      ignore_unavailable: true,
      allow_no_indices: true,
      size: query.limit + 1,
      track_total_hits: false,
      query: { bool: { filter } },
      sort: [{ seq: { order: 'desc', unmapped_type: 'long' } }],
    });
    const entries = response.hits.hits.flatMap((hit) => (hit._source ? [toEntry(hit._source)] : []));
    const page = entries.slice(0, query.limit);
    const last = page[page.length - 1];
    return { items: page, next: entries.length > query.limit && last ? String(last.seq) : null };
  }

  async verify(): Promise<VerifyReport> {
    // The head is read before the refresh: every entry up to it was created before, so is searchable.
    const recorded = await this.recordedHead();
    await this.refresh();
    const newest = await this.newestEntry();
    // A head behind the newest entry is a crash between the two writes, or an append in flight.
    const head = newest && (!recorded || newest.seq > recorded.seq) ? newest : recorded;
    if (!head) return { ok: true, entries: 0, firstBroken: null };
    // Entries appended after the head was read are left for the next verify.
    return verifyChainAsync(this.entriesUpTo(head.seq), head);
  }

  private async appendInOrder(record: AuditRecord): Promise<AuditEntry> {
    await this.template.ensure();
    let previous = this.head ?? (await this.storedHead());
    for (let claims = 0; claims < MAX_CLAIMS; claims++) {
      const base = { ...record, seq: previous.seq + 1, time: nowInstant(), prevHash: previous.hash };
      const entry: AuditEntry = { ...base, hash: entryHash(base) };
      const taken = await this.claim(entry);
      if (taken === null) {
        this.head = { seq: entry.seq, hash: entry.hash };
        await this.raiseHead(this.head);
        return entry;
      }
      previous = taken;
    }
    throw new Error(`audit append: ${MAX_CLAIMS} seqs in a row were taken by other writers`);
  }

  /** Creates `entry` at its seq: null when it is stored, else the entry to chain after instead. */
  private async claim(entry: AuditEntry): Promise<ChainHead | null> {
    try {
      await withRetries(this.policy, () =>
        this.client.create({ index: this.index, id: String(entry.seq), document: entry }),
      );
      return null;
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
    const holder = await this.entryHead(entry.seq);
    // A retried create whose first try had landed finds itself.
    if (holder?.hash === entry.hash) return null;
    const stored = await this.storedHead();
    if (stored.seq > entry.seq) return stored;
    // The holder vanished between the conflict and the read (removed by hand): try the seq again.
    return holder ?? { seq: entry.seq - 1, hash: entry.prevHash };
  }

  /**
   * Raises the recorded head to `head` unless it is already there or further on. Replicas race on it, so
   * it is a compare-and-set on the document's `_seq_no` (no script: Painless may not be installed).
   */
  private async raiseHead(head: ChainHead): Promise<void> {
    try {
      for (let attempt = 0; attempt < MAX_CLAIMS; attempt++) {
        const doc = await withRetries(this.policy, () =>
          this.client.get<Partial<ChainHead>>(
            { index: this.headIndex, id: AUDIT_HEAD_ID },
            { ignore: [404] },
          ),
        );
        const recorded = chainHeadOf(doc.found ? doc._source : undefined);
        if (recorded && recorded.seq >= head.seq) return;
        const guard =
          doc.found && doc._seq_no !== undefined && doc._primary_term !== undefined
            ? { if_seq_no: doc._seq_no, if_primary_term: doc._primary_term }
            : { op_type: 'create' as const };
        try {
          await withRetries(this.policy, () =>
            this.client.index({ index: this.headIndex, id: AUDIT_HEAD_ID, document: head, ...guard }),
          );
          return;
        } catch (err) {
          if (!isConflict(err)) throw err;
        }
      }
    } catch (err) {
      this.logger?.warn({ err, seq: head.seq }, 'audit: the recorded head could not be raised');
      // The entry is stored and chained: the append happened. The head stays behind until the next
      // append raises it past this seq, and `verify` accepts an intact chain beyond its head.
    }
  }

  /** Where a first append starts: the furthest of the recorded head and the newest searchable entry. */
  private async storedHead(): Promise<ChainHead> {
    const [recorded, newest] = await Promise.all([this.recordedHead(), this.newestEntry()]);
    const furthest = [recorded, newest].reduce<ChainHead>((best, h) => (h && h.seq > best.seq ? h : best), {
      seq: 0,
      hash: GENESIS_HASH,
    });
    return furthest;
  }

  private async recordedHead(): Promise<ChainHead | null> {
    const doc = await this.client.get<Partial<ChainHead>>(
      { index: this.headIndex, id: AUDIT_HEAD_ID },
      { ignore: [404] },
    );
    return chainHeadOf(doc.found ? doc._source : undefined);
  }

  /** A realtime GET of entry `seq` (sees creates not yet refreshed). */
  private async entryHead(seq: number): Promise<ChainHead | null> {
    const doc = await this.client.get<Partial<ChainHead>>(
      { index: this.index, id: String(seq) },
      { ignore: [404] },
    );
    return chainHeadOf(doc.found ? doc._source : undefined);
  }

  private async newestEntry(): Promise<ChainHead | null> {
    const response = await this.client.search<Partial<ChainHead>>({
      index: this.index,
      ignore_unavailable: true,
      allow_no_indices: true,
      size: 1,
      track_total_hits: false,
      _source: ['seq', 'hash'],
      sort: [{ seq: { order: 'desc', unmapped_type: 'long' } }],
    });
    return chainHeadOf(response.hits.hits[0]?._source);
  }

  private async *entriesUpTo(lastSeq: number): AsyncGenerator<AuditEntry> {
    let after: estypes.SortResults | undefined;
    for (;;) {
      const response = await this.client.search<AuditDocument>({
        index: this.index,
        ignore_unavailable: true,
        allow_no_indices: true,
        size: VERIFY_PAGE,
        track_total_hits: false,
        query: { range: { seq: { lte: lastSeq } } },
        sort: [{ seq: { order: 'asc', unmapped_type: 'long' } }],
        ...(after ? { search_after: after } : {}),
      });
      const hits = response.hits.hits;
      for (const hit of hits) if (hit._source) yield toEntry(hit._source);
      after = hits[hits.length - 1]?.sort;
      if (hits.length < VERIFY_PAGE || !after) return;
    }
  }

  private async refresh(): Promise<void> {
    await this.client.indices.refresh({
      index: this.index,
      ignore_unavailable: true,
      allow_no_indices: true,
    });
  }
}

function isConflict(err: unknown): boolean {
  return err instanceof errors.ResponseError && err.statusCode === 409;
}

function chainHeadOf(source: Partial<ChainHead> | undefined): ChainHead | null {
  if (!source || typeof source.seq !== 'number' || typeof source.hash !== 'string') return null;
  return { seq: source.seq, hash: source.hash };
}

/** A `detail` altered into something other than an object is kept visible, as SQLite shows bad JSON. */
function toEntry(doc: AuditDocument): AuditEntry {
  const detail =
    doc.detail !== null && typeof doc.detail === 'object' && !Array.isArray(doc.detail)
      ? (doc.detail as Record<string, unknown>)
      : { unparsable: doc.detail };
  return {
    seq: doc.seq,
    time: doc.time,
    actor: doc.actor,
    action: doc.action,
    target: doc.target,
    origin: doc.origin,
    detail,
    prevHash: doc.prevHash,
    hash: doc.hash,
  };
}
