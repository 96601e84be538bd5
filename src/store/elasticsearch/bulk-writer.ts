import type { Client, estypes } from '@elastic/elasticsearch';
import type { ConcurrencyLimit } from './concurrency-limit.ts';
import { ElasticsearchWriteError } from './write-error.ts';
import {
  backoffDelayMs,
  isRetryableError,
  isRetryableStatus,
  sleep,
  type RetryPolicy,
} from './retry-policy.ts';

/**
 * One document to create, or to update in place. `render` runs before every try (so each try can stamp
 * a fresh arrival) and returns the document (`create`) or the update body (`update`).
 */
export interface BulkItem {
  action: 'create' | 'update';
  index: string;
  id: string;
  /** `degraded` is true after Elasticsearch refused the full document with a 400 (`create` only). */
  render(degraded: boolean): object;
}

export interface BulkOutcome {
  /** Documents created or updated. */
  applied: number;
  /** `create` of an id already there (409: a replay, not an error); `update` of a missing one (404). */
  skipped: number;
}

export interface BulkWriterOptions extends RetryPolicy {
  bulkSize: number;
  bulkMaxBytes: number;
  refresh: boolean | 'wait_for';
}

interface Pending {
  item: BulkItem;
  degraded: boolean;
  /** Why the last try failed, for the error message. */
  reason?: string;
}

interface Round {
  applied: number;
  skipped: number;
  retry: Pending[];
  fatal: Pending[];
}

/**
 * `_bulk` with `create` under our own `_id`, which creates each document once whatever the number of
 * tries, and `update` of documents by id. Requests are cut by count and bytes and run under a shared
 * concurrency limit. Items refused with 429 or 5xx (or a version conflict on update), and whole requests
 * that fail the same way or on the network, are retried with exponential backoff and jitter; after
 * `retries` further tries `write` rejects.
 */
export class BulkWriter {
  constructor(
    private readonly client: Client,
    private readonly limit: ConcurrencyLimit,
    private readonly options: BulkWriterOptions,
  ) {}

  async write(items: readonly BulkItem[]): Promise<BulkOutcome> {
    const outcome: BulkOutcome = { applied: 0, skipped: 0 };
    let pending: Pending[] = items.map((item) => ({ item, degraded: false }));
    let failedTries = 0;
    while (pending.length > 0) {
      const rounds = await Promise.all(
        this.chunks(pending).map((chunk) => this.limit.run(() => this.send(chunk))),
      );
      pending = [];
      const fatal: Pending[] = [];
      for (const round of rounds) {
        outcome.applied += round.applied;
        outcome.skipped += round.skipped;
        pending.push(...round.retry);
        fatal.push(...round.fatal);
      }
      if (fatal.length > 0) {
        throw new ElasticsearchWriteError(
          `Elasticsearch refused ${fatal.length} document(s): ${describe(fatal)}; ${outcome.applied} written`,
        );
      }
      // Documents refused as is (400) are tried once more, at once, in degraded form: not a failed try.
      if (pending.every((p) => p.reason === DEGRADE)) continue;
      if (failedTries >= this.options.retries) {
        throw new ElasticsearchWriteError(
          `Elasticsearch did not store ${pending.length} document(s) after ${failedTries + 1} tries: ` +
            `${describe(pending)}; ${outcome.applied} written`,
        );
      }
      await sleep(backoffDelayMs(this.options, failedTries));
      failedTries += 1;
    }
    return outcome;
  }

  /** NDJSON lines, cut by count and bytes. */
  private chunks(pending: Pending[]): { lines: string[]; items: Pending[] }[] {
    const chunks: { lines: string[]; items: Pending[] }[] = [];
    let current: { lines: string[]; items: Pending[] } = { lines: [], items: [] };
    let bytes = 0;
    for (const p of pending) {
      const target = { _index: p.item.index, _id: p.item.id };
      const action = JSON.stringify(
        p.item.action === 'create' ? { create: target } : { update: { ...target, retry_on_conflict: 3 } },
      );
      const source = JSON.stringify(p.item.render(p.degraded));
      const size = Buffer.byteLength(action) + Buffer.byteLength(source) + 2;
      if (
        current.items.length > 0 &&
        (current.items.length >= this.options.bulkSize || bytes + size > this.options.bulkMaxBytes)
      ) {
        chunks.push(current);
        current = { lines: [], items: [] };
        bytes = 0;
      }
      current.lines.push(action, source);
      current.items.push(p);
      bytes += size;
    }
    if (current.items.length > 0) chunks.push(current);
    return chunks;
  }

  private async send(chunk: { lines: string[]; items: Pending[] }): Promise<Round> {
    const round: Round = { applied: 0, skipped: 0, retry: [], fatal: [] };
    let response: estypes.BulkResponse;
    try {
      response = await this.client.bulk({ operations: chunk.lines, refresh: this.options.refresh });
    } catch (err) {
      const reason = (err as Error).message.slice(0, 300);
      const target = isRetryableError(err) ? round.retry : round.fatal;
      target.push(...chunk.items.map((p) => ({ ...p, reason })));
      return round;
    }
    chunk.items.forEach((p, i) => {
      const entry = response.items[i];
      const result = entry ? Object.values(entry)[0] : undefined;
      const status = result?.status ?? 0;
      const create = p.item.action === 'create';
      if (status === 200 || status === 201) round.applied += 1;
      else if (status === (create ? 409 : 404)) round.skipped += 1;
      else if (isRetryableStatus(status) || status === 409)
        round.retry.push({ ...p, reason: itemReason(result) });
      else if (status === 400 && create && !p.degraded)
        round.retry.push({ item: p.item, degraded: true, reason: DEGRADE });
      else if (status === 0) round.retry.push({ ...p, reason: 'no answer for this document' });
      else round.fatal.push({ ...p, reason: itemReason(result) });
    });
    return round;
  }
}

const DEGRADE = 'refused as is, retrying in degraded form';

function itemReason(result: estypes.BulkResponseItem | undefined): string {
  const error = result?.error;
  return `${result?.status ?? '?'} ${error?.type ?? ''}: ${error?.reason ?? ''}`.slice(0, 300);
}

function describe(pending: Pending[]): string {
  const first = pending[0];
  return first ? `${first.item.id} (${first.reason ?? 'unknown'})` : '';
}
