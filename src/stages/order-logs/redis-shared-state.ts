import { Redis } from 'ioredis';
import { type Component, withDeadline } from '../../core/lifecycle.ts';
import { describeRedisUrl } from '../../state/redis/translate-redis-error.ts';
import type { OffsetSample } from './offset-sample.ts';
import type { OrderingSharedState, SharedSpanKeys } from './shared-state.ts';

export interface RedisOrderingStateOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://` for TLS. */
  url: string;
  /** Prepended to every key, so deployments (or tests) sharing one Redis stay apart. */
  keyPrefix?: string;
  /** How long published span keys stay visible (ms); the contract asks for a few minutes at least. */
  spanTtlMs?: number;
  /** Samples the stream keeps (approximately: `XADD MAXLEN ~`). */
  maxSamples?: number;
  /** The sample stream is deleted when no replica has added to it for this long (ms). */
  sampleTtlMs?: number;
  /** A command without a reply after this long rejects (ms). */
  commandTimeoutMs?: number;
  /** How long `start()` waits for the first connection, and the limit of each TCP connect (ms). */
  connectTimeoutMs?: number;
  /** Commands per pipeline, keys per MGET, entries per XRANGE page. */
  batchSize?: number;
  /** This replica's name, only to label the connection (`CLIENT LIST`). */
  replica?: string;
  /** Told about each entry found malformed in Redis (it is skipped and counted in `stats()`). */
  onMalformed?: (what: 'span keys' | 'offset sample', detail: string) => void;
}

export interface RedisOrderingStateStats {
  malformedSpanKeys: number;
  malformedSamples: number;
}

export const DEFAULT_ORDER_KEY_PREFIX = 'tributary:order:';

/**
 * `OrderingSharedState` over Redis, for replicas consuming different partitions:
 * - span keys: `SET <prefix>keys:<ref> {"startKey","endKey"} PX spanTtlMs` (pipelined), read with `MGET`;
 * - clock samples: one stream `<prefix>samples`, `XADD MAXLEN ~ maxSamples * replica <r> sample <json>`,
 *   read with `XRANGE (<cursor> +`; the cursor is the last stream id read (ids only grow, so each entry
 *   is read once per cursor chain).
 *
 * Garbage found in Redis (not JSON, wrong shape) is skipped and counted, never thrown. While Redis is
 * down every call rejects at once (no offline queue) or after `commandTimeoutMs`; the stage reports the
 * rejection and keeps ordering with what it sees locally.
 */
export class RedisOrderingState implements OrderingSharedState, Component {
  readonly name = 'order-logs-shared-state';
  private readonly client: Redis;
  private readonly prefix: string;
  private readonly streamKey: string;
  private readonly where: string;
  private readonly spanTtlMs: number;
  private readonly maxSamples: number;
  private readonly sampleTtlMs: number;
  private readonly batchSize: number;
  private readonly connectTimeoutMs: number;
  private readonly counts: RedisOrderingStateStats = { malformedSpanKeys: 0, malformedSamples: 0 };
  private lastError: Error | null = null;
  private stopping: Promise<void> | null = null;

  constructor(private readonly options: RedisOrderingStateOptions) {
    this.prefix = options.keyPrefix ?? DEFAULT_ORDER_KEY_PREFIX;
    this.streamKey = `${this.prefix}samples`;
    this.where = describeRedisUrl(options.url);
    this.spanTtlMs = positiveInteger('spanTtlMs', options.spanTtlMs ?? 300_000);
    this.maxSamples = positiveInteger('maxSamples', options.maxSamples ?? 100_000);
    this.sampleTtlMs = positiveInteger('sampleTtlMs', options.sampleTtlMs ?? 3_600_000);
    this.batchSize = positiveInteger('batchSize', options.batchSize ?? 1_000);
    this.connectTimeoutMs = positiveInteger('connectTimeoutMs', options.connectTimeoutMs ?? 5_000);
    this.client = new Redis(options.url, {
      lazyConnect: true,
      // Nothing queued while disconnected: a lookup answered minutes late is useless, and the stage's
      // calls are serialized, so a queue would hold every later call back.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      commandTimeout: positiveInteger('commandTimeoutMs', options.commandTimeoutMs ?? 2_000),
      connectTimeout: this.connectTimeoutMs,
      connectionName: `tributary-order:${options.replica ?? 'replica'}`,
      retryStrategy: (attempt: number) => Math.min(50 * 2 ** Math.min(attempt - 1, 5), 1000),
    });
    this.client.on('error', (err: Error) => {
      this.lastError = err;
    });
    this.client.on('ready', () => {
      this.lastError = null;
    });
  }

  /** Connects; rejects if not ready within `connectTimeoutMs` (the client keeps trying). */
  async start(): Promise<void> {
    if (this.client.status === 'ready') return;
    if (this.client.status === 'wait') this.client.connect().catch(() => undefined);
    await new Promise<void>((resolve, reject) => {
      const onReady = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.client.off('ready', onReady);
        const reason = this.lastError?.message ?? 'no answer';
        reject(new Error(`Redis at ${this.where} not ready within ${this.connectTimeoutMs} ms (${reason})`));
      }, this.connectTimeoutMs);
      this.client.once('ready', onReady);
    });
  }

  /** Closes the connection (QUIT, then a hard disconnect at `deadline`); idempotent, safe without start. */
  shutdown(deadline: number = Date.now() + 1000): Promise<void> {
    this.stopping ??= (async () => {
      if (this.client.status === 'ready') {
        await withDeadline(this.client.quit(), deadline, 'redis QUIT').catch(() => undefined);
      }
      this.client.disconnect();
    })();
    return this.stopping;
  }

  stats(): RedisOrderingStateStats {
    return { ...this.counts };
  }

  async publishSpanKeys(keys: readonly SharedSpanKeys[]): Promise<void> {
    // One pipeline per chunk, one after the other: a command's timeout then measures the server's answer
    // to its own chunk, not the wait behind a large batch.
    await this.run('publishSpanKeys', async () => {
      for (const chunk of chunks(keys, this.batchSize)) {
        const pipeline = this.client.pipeline();
        for (const k of chunk) {
          const value = JSON.stringify({ startKey: k.startKey, endKey: k.endKey });
          pipeline.set(this.spanKey(k.ref), value, 'PX', this.spanTtlMs);
        }
        checkReplies(await pipeline.exec());
      }
    });
  }

  async lookupSpanKeys(refs: readonly string[]): Promise<ReadonlyMap<string, SharedSpanKeys>> {
    const unique = [...new Set(refs)];
    const values = await this.run('lookupSpanKeys', async () => {
      const out: (string | null)[] = [];
      for (const chunk of chunks(unique, this.batchSize)) {
        out.push(...(await this.client.mget(chunk.map((ref) => this.spanKey(ref)))));
      }
      return out;
    });
    const found = new Map<string, SharedSpanKeys>();
    unique.forEach((ref, i) => {
      const value = values[i];
      if (value === null || value === undefined) return;
      const parsed = parseSpanKeys(value);
      if (parsed) found.set(ref, { ref, ...parsed });
      else this.malformed('span keys', `${JSON.stringify(ref)}: ${value.slice(0, 200)}`);
    });
    return found;
  }

  async exchangeOffsetSamples(
    replica: string,
    samples: readonly OffsetSample[],
    cursor: string,
  ): Promise<{ samples: OffsetSample[]; cursor: string }> {
    if (samples.length > 0) await this.addSamples(replica, samples);
    // A replica name as it comes back from Redis (UTF-8), so the own-sample check always recognises it.
    const self = Buffer.from(replica, 'utf8').toString('utf8');
    // A cursor that is not a stream id (never returned by this class) reads all that is retained.
    let last = STREAM_ID.test(cursor) ? cursor : '';
    const theirs: OffsetSample[] = [];
    for (;;) {
      const from = last === '' ? '-' : `(${last}`;
      const page = await this.run('exchangeOffsetSamples', () =>
        this.client.xrange(this.streamKey, from, '+', 'COUNT', this.batchSize),
      );
      for (const [id, fields] of page) {
        last = id;
        const entry = entryFields(fields);
        if (entry.replica === self) continue;
        const sample = entry.replica === undefined ? null : parseSample(entry.sample);
        if (sample) theirs.push(sample);
        else this.malformed('offset sample', `${id}: ${JSON.stringify(fields).slice(0, 200)}`);
      }
      if (page.length < this.batchSize) break;
    }
    return { samples: theirs, cursor: last };
  }

  private async addSamples(replica: string, samples: readonly OffsetSample[]): Promise<void> {
    await this.run('exchangeOffsetSamples', async () => {
      for (const chunk of chunks(samples, this.batchSize)) {
        const pipeline = this.client.pipeline();
        for (const s of chunk) {
          const sample = JSON.stringify({ a: s.a, b: s.b, t: s.t, lo: s.lo, hi: s.hi });
          pipeline.xadd(
            this.streamKey,
            'MAXLEN',
            '~',
            this.maxSamples,
            '*',
            'replica',
            replica,
            'sample',
            sample,
          );
        }
        pipeline.pexpire(this.streamKey, this.sampleTtlMs);
        checkReplies(await pipeline.exec());
      }
    });
  }

  /**
   * The Redis key of a span reference. Redis keys are bytes and the text is sent as UTF-8, where every
   * lone surrogate becomes U+FFFD: such a reference gets a key of its own, escaped, so two never collide.
   */
  private spanKey(ref: string): string {
    return LONE_SURROGATE.test(ref)
      ? `${this.prefix}keys!${JSON.stringify(ref)}`
      : `${this.prefix}keys:${ref}`;
  }

  private malformed(what: 'span keys' | 'offset sample', detail: string): void {
    if (what === 'span keys') this.counts.malformedSpanKeys += 1;
    else this.counts.malformedSamples += 1;
    this.options.onMalformed?.(what, detail);
  }

  /** Runs one call; its failure becomes an error naming the operation and the server. */
  private run<T>(op: string, call: () => Promise<T>): Promise<T> {
    return call().catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      // ioredis keeps a timed-out command waiting for its reply: a connection where one went missing is
      // wedged or out of step. Drop it and reconnect; calls fail fast meanwhile.
      if (message === 'Command timed out' && this.client.status === 'ready') this.client.disconnect(true);
      const reason = message.includes('enableOfflineQueue')
        ? `not connected${this.lastError ? ` (last error: ${this.lastError.message})` : ''}`
        : message;
      throw new Error(`order-logs shared state ${op} failed against Redis at ${this.where}: ${reason}`, {
        cause: err,
      });
    });
  }
}

/** The factory the composition root calls; the state is also a Component (start, shutdown). */
export function createRedisOrderingState(options: RedisOrderingStateOptions): RedisOrderingState {
  return new RedisOrderingState(options);
}

const STREAM_ID = /^\d+-\d+$/;
const LONE_SURROGATE = /\p{Cs}/u;

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`order-logs Redis shared state: ${name} must be a positive integer, got ${value}`);
  }
  return value;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A pipeline resolves with one `[error, reply]` per command: the first error fails the call. */
function checkReplies(replies: [Error | null, unknown][] | null): void {
  for (const [error] of replies ?? []) if (error) throw error;
}

function entryFields(fields: string[]): { replica?: string; sample?: string } {
  const out: { replica?: string; sample?: string } = {};
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'replica') out.replica = fields[i + 1];
    else if (fields[i] === 'sample') out.sample = fields[i + 1];
  }
  return out;
}

function parseJsonObject(text: string | undefined): Record<string, unknown> | null {
  if (text === undefined) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function parseSpanKeys(text: string): Omit<SharedSpanKeys, 'ref'> | null {
  const v = parseJsonObject(text);
  if (!v || typeof v.startKey !== 'string') return null;
  if (v.endKey !== null && typeof v.endKey !== 'string') return null;
  return { startKey: v.startKey, endKey: v.endKey };
}

function parseSample(text: string | undefined): OffsetSample | null {
  const v = parseJsonObject(text);
  if (!v || typeof v.a !== 'string' || typeof v.b !== 'string' || !isFiniteNumber(v.t)) return null;
  const { lo, hi } = v;
  if ((lo !== null && !isFiniteNumber(lo)) || (hi !== null && !isFiniteNumber(hi))) return null;
  // Bounds that contradict each other are not an observation: they would poison the estimate.
  if (lo !== null && hi !== null && lo > hi) return null;
  return { a: v.a, b: v.b, t: v.t, lo, hi };
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
