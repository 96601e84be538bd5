import { Redis } from 'ioredis';
import { withDeadline } from '../../core/lifecycle.ts';
import { StateUnavailable } from '../errors.ts';
import type { ClaimResult, StateBackend } from '../state-store.ts';
import { checkIncrement, checkKey, checkText, checkTtl } from '../validate-args.ts';
import { BATCHED_SCRIPTS, STATE_SCRIPTS, type StateScriptCommands } from './lua-scripts.ts';
import { ScriptBatcher, type BatchArgs, type BatchedOp, type BatchReply } from './script-batcher.ts';
import { describeRedisUrl, translateRedisError } from './translate-redis-error.ts';

export interface RedisStateStoreOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://` for TLS. */
  url: string;
  /** Prepended to every key, so several deployments (or tests) can share one Redis. */
  keyPrefix?: string;
  /** A command without a reply after this long rejects with `StateUnavailable` (ms). */
  commandTimeoutMs?: number;
  /** How long `start()` waits for the first connection, and the limit of each TCP connect (ms). */
  connectTimeoutMs?: number;
  /**
   * ioredis auto-pipelining: the commands issued in one tick go out in one write, each resolved when the
   * whole pipeline has answered. Off by default: claims and records are batched into single script calls
   * here already, and on the ledger bench (bench/dedup) auto-pipelining cost about 40% more client CPU per
   * alert and a third of the throughput.
   */
  autoPipelining?: boolean;
}

export const DEFAULT_KEY_PREFIX = 'tributary:';

/**
 * The distributed state store: one ioredis connection, every multi-step operation a Lua script. `get`,
 * `compareAndSet`, `claim` and `recordOnce` (the ledger's hot path) issued in one tick go out as one call
 * of BATCH_SCRIPT, in issue order; any other command first writes what is pending, so commands reach
 * Redis in the order they were issued. On bench/dedup this halved the client CPU per alert.
 *
 * Behaviour while Redis is down (chosen so a replica never acts on a stale or doubled decision):
 * - `enableOfflineQueue: false`: a command issued while disconnected rejects at once with
 *   `StateUnavailable` (`notApplied: true`) naming the last connection error; nothing is queued to run
 *   minutes later when the decision it belonged to is stale.
 * - `maxRetriesPerRequest: 0`, `autoResendUnfulfilledCommands: false`: a command in flight when the
 *   connection drops rejects (`notApplied: false`: it may have run) instead of being re-sent, which would
 *   apply `incr` twice.
 * - `commandTimeout`: a server that accepts but never answers cannot hang the pipeline; the connection
 *   is then dropped and re-opened, since a reply that went missing leaves it wedged or out of step.
 * - The client reconnects by itself (backoff 50 ms doubling to 1 s, forever); commands succeed again as
 *   soon as it is back. `ping()` reports readiness.
 */
export class RedisStateStore implements StateBackend {
  readonly name = 'state-redis';
  private readonly client: Redis;
  private readonly scripts: StateScriptCommands;
  private readonly batcher: ScriptBatcher;
  private readonly prefix: string;
  private readonly where: string;
  private readonly connectTimeoutMs: number;
  private lastError: Error | null = null;
  private stopping: Promise<void> | null = null;

  constructor(options: RedisStateStoreOptions) {
    this.prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.where = describeRedisUrl(options.url);
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    this.client = new Redis(options.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      commandTimeout: options.commandTimeoutMs ?? 2000,
      connectTimeout: this.connectTimeoutMs,
      enableAutoPipelining: options.autoPipelining ?? false,
      connectionName: 'tributary-state',
      retryStrategy: (attempt: number) => Math.min(50 * 2 ** Math.min(attempt - 1, 5), 1000),
    });
    // Without a listener ioredis logs every failed reconnect; the last error goes into our messages.
    this.client.on('error', (err: Error) => {
      this.lastError = err;
    });
    this.client.on('ready', () => {
      this.lastError = null;
    });
    for (const [name, lua] of Object.entries(STATE_SCRIPTS)) {
      // A batched script takes its key count as the first argument.
      this.client.defineCommand(name, BATCHED_SCRIPTS.has(name) ? { lua } : { numberOfKeys: 1, lua });
    }
    // The one unchecked step: defineCommand adds these methods at run time.
    this.scripts = this.client as unknown as StateScriptCommands;
    this.batcher = new ScriptBatcher((keys, cells) =>
      this.scripts.tributaryBatch(keys.length, [...keys, ...cells]),
    );
  }

  /** Connects; rejects with `StateUnavailable` if not ready within `connectTimeoutMs` (it keeps trying). */
  async start(): Promise<void> {
    if (this.client.status === 'ready') return;
    if (this.client.status === 'wait') this.client.connect().catch(() => undefined);
    await new Promise<void>((resolve, reject) => {
      const finish = (err?: Error): void => {
        clearTimeout(timer);
        this.client.off('ready', onReady);
        if (err) reject(err);
        else resolve();
      };
      const onReady = (): void => finish();
      const timer = setTimeout(() => {
        const reason = this.lastError?.message ?? 'no answer';
        finish(
          new StateUnavailable(
            `Redis at ${this.where} not ready within ${this.connectTimeoutMs} ms (${reason}); still retrying`,
            { notApplied: true, cause: this.lastError ?? undefined },
          ),
        );
      }, this.connectTimeoutMs);
      this.client.once('ready', onReady);
    });
  }

  /** Closes the connection (QUIT, then a hard disconnect at `deadline`); idempotent. */
  shutdown(deadline: number = Date.now() + 1000): Promise<void> {
    this.stopping ??= (async () => {
      this.batcher.flush();
      if (this.client.status === 'ready') {
        await withDeadline(this.client.quit(), deadline, 'redis QUIT').catch(() => undefined);
      }
      this.client.disconnect();
    })();
    return this.stopping;
  }

  async ping(): Promise<void> {
    await this.run('ping', () => this.client.ping());
  }

  async incr(key: string, by: number, ttlMs?: number): Promise<number> {
    checkKey(key);
    checkIncrement(by);
    checkTtl(ttlMs);
    return this.run('incr', () => this.scripts.tributaryIncr(this.k(key), String(by), ttlArg(ttlMs)));
  }

  async hset(key: string, fields: Readonly<Record<string, string>>, ttlMs?: number): Promise<void> {
    checkKey(key);
    const flat: string[] = [];
    for (const [field, value] of Object.entries(fields)) {
      checkText(field, 'field');
      checkText(value);
      flat.push(field, value);
    }
    checkTtl(ttlMs);
    if (flat.length === 0) return;
    await this.run('hset', () => this.scripts.tributaryHset(this.k(key), ttlArg(ttlMs), flat));
  }

  async hgetall(key: string): Promise<Record<string, string>> {
    checkKey(key);
    return this.run('hgetall', () => this.client.hgetall(this.k(key)));
  }

  async sadd(key: string, members: readonly string[], ttlMs?: number): Promise<number> {
    checkKey(key);
    for (const member of members) checkText(member, 'member');
    checkTtl(ttlMs);
    if (members.length === 0) return 0;
    return this.run('sadd', () => this.scripts.tributarySadd(this.k(key), ttlArg(ttlMs), members));
  }

  async smembers(key: string): Promise<string[]> {
    checkKey(key);
    return this.run('smembers', () => this.client.smembers(this.k(key)));
  }

  async get(key: string): Promise<string | null> {
    checkKey(key);
    const [code, value] = await this.batched('get', this.k(key), ['', '', '', '']);
    return code === 1 ? value : null;
  }

  async compareAndSet(key: string, expected: string | null, next: string, ttlMs?: number): Promise<boolean> {
    checkKey(key);
    if (expected !== null) checkText(expected, 'expected');
    checkText(next, 'next');
    checkTtl(ttlMs);
    const [code] = await this.batched('compareAndSet', this.k(key), [
      expected === null ? '0' : '1',
      expected ?? '',
      next,
      ttlArg(ttlMs),
    ]);
    return code === 1;
  }

  async claim(key: string, owner: string, ttlMs: number): Promise<ClaimResult> {
    checkKey(key);
    checkKey(owner, 'owner');
    checkTtl(ttlMs);
    const [code, holder] = await this.batched('claim', this.k(key), [owner, String(ttlMs), '', '']);
    return { claimed: code === 1, owner: holder };
  }

  async recordOnce(key: string, value: string, ttlMs?: number): Promise<boolean> {
    checkKey(key);
    checkText(value);
    checkTtl(ttlMs);
    const [code] = await this.batched('recordOnce', this.k(key), [value, ttlArg(ttlMs), '', '']);
    return code === 1;
  }

  async del(key: string): Promise<boolean> {
    checkKey(key);
    return (await this.run('del', () => this.client.del(this.k(key)))) === 1;
  }

  private k(key: string): string {
    return this.prefix + key;
  }

  /**
   * Runs one command; the hot path, so a plain `.catch` rather than another async frame. Batched claims
   * and records issued before it are written first, so commands reach Redis in the order they were issued.
   */
  private run<T>(op: string, call: () => Promise<T>): Promise<T> {
    this.batcher.flush();
    return call().catch((err: unknown) => {
      throw this.failure(op, err);
    });
  }

  /** Sent with the other operations of this tick in one script call; -1 is this key's error. */
  private batched(op: BatchedOp, key: string, args: BatchArgs): Promise<BatchReply> {
    return this.batcher.add(op, key, args).then(
      (reply) => {
        if (reply[0] === -1) throw this.failure(op, new Error(reply[1]));
        return reply;
      },
      (err: unknown) => {
        throw this.failure(op, err);
      },
    );
  }

  private failure(op: string, err: unknown): Error {
    // ioredis matches replies to requests in order and keeps a timed-out command waiting for its reply.
    // A connection where a reply went missing is out of step or wedged: drop it and reconnect.
    if (err instanceof Error && err.message === 'Command timed out' && this.client.status === 'ready') {
      this.client.disconnect(true);
    }
    return translateRedisError(err, { op, where: this.where, lastError: this.lastError });
  }
}

function ttlArg(ttlMs: number | undefined): string {
  return ttlMs === undefined ? '0' : String(ttlMs);
}
