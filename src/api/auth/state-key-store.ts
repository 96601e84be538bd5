import type { Logger } from 'pino';
import { z } from 'zod';
import type { Component } from '../../core/lifecycle.ts';
import { nowInstant } from '../../core/time.ts';
import type { RegisterState } from '../../state/state-store.ts';
import { SCOPES, type ApiKeyRecord } from './api-keys.ts';

export interface StoredKey extends ApiKeyRecord {
  createdAt: string;
  createdBy: string;
}

/** Keys kept by an earlier version in the embedded database (`SqliteKeyStore` fits). */
export interface LegacyKeySource {
  list(): StoredKey[];
  delete(name: string): boolean;
}

export interface StateKeyStoreOptions {
  /** How often every replica re-reads the keys: the bound on how late a change elsewhere is honoured. */
  refreshIntervalMs?: number;
  /** Keys to move in on start (each one left where it was if its name is taken by a different key). */
  legacy?: LegacyKeySource;
  logger?: Pick<Logger, 'warn' | 'info'>;
}

/** The register holding every key created through the admin API. */
export const KEY_REGISTER = 'api-keys';
export const DEFAULT_KEY_REFRESH_INTERVAL_MS = 1000;
/** Writers racing on the register; each retry means another admin call succeeded meanwhile. */
const MAX_WRITE_ATTEMPTS = 50;

const registerSchema = z.object({
  /** +1 on every write, so a slow read never replaces a newer snapshot. */
  version: z.number().int().nonnegative(),
  keys: z.array(
    z.object({
      name: z.string().min(1),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      scopes: z.array(z.enum(SCOPES)).min(1),
      team: z.string().nullable(),
      createdAt: z.string(),
      createdBy: z.string(),
    }),
  ),
});
type Register = z.infer<typeof registerSchema>;
const EMPTY: Register = { version: 0, keys: [] };

/**
 * API keys created through the admin API, shared by every replica: one JSON register in the
 * `StateStore` (Redis in distributed mode, `state.db` embedded) updated by compare-and-set.
 *
 * Why the StateStore rather than Elasticsearch: it is there in every deployment (Elasticsearch is
 * optional even with several replicas), its compare-and-set is atomic on every backend, and a read is
 * a realtime GET, where an Elasticsearch search would trail by a refresh. Keys are few (one register of
 * tens of keys is a few KiB), so one value read whole is cheaper than one key per key and a listing.
 *
 * - `create` and `delete` are atomic across replicas: a write lands only over the register it read, so
 *   of two replicas creating one name, exactly one succeeds; the other re-reads and finds it taken.
 * - `keys()` is synchronous, for authentication on every request: a snapshot refreshed every
 *   `refreshIntervalMs` and at once after a local change. A key created or deleted on one replica is
 *   honoured (or refused) by another within `refreshIntervalMs` plus one read's round trip; by the
 *   replica that made the change, as soon as the call returns.
 * - While the backend cannot be read, the last snapshot stays in force (logged): keys are neither lost
 *   nor revoked by an outage, and changes wait for it to end (create/delete reject meanwhile).
 */
export class StateKeyStore implements Component {
  readonly name = 'api-keys';
  private snapshot: Register = EMPTY;
  /** Bumped on every snapshot change: a read started before one may not overwrite it with older data. */
  private epoch = 0;
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private failing = false;
  private readonly intervalMs: number;

  constructor(
    private readonly state: RegisterState,
    private readonly options: StateKeyStoreOptions = {},
  ) {
    this.intervalMs = options.refreshIntervalMs ?? DEFAULT_KEY_REFRESH_INTERVAL_MS;
  }

  /** Reads the keys (moving legacy ones in first), then refreshes them on a timer. */
  async start(): Promise<void> {
    if (this.options.legacy) await this.moveLegacyKeys(this.options.legacy);
    await this.refresh();
    this.timer ??= setInterval(() => void this.refreshQuietly(), this.intervalMs);
    this.timer.unref();
  }

  async shutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.refreshing?.catch(() => undefined);
  }

  /** The last snapshot, by name. Never waits. */
  keys(): readonly StoredKey[] {
    return this.snapshot.keys;
  }

  /** Current keys, read from the backend now (the snapshot is updated too). */
  async list(): Promise<StoredKey[]> {
    await this.refresh();
    return [...this.snapshot.keys];
  }

  /** False when a key of that name exists. */
  async create(record: ApiKeyRecord, createdBy: string): Promise<boolean> {
    const key: StoredKey = { ...pickRecord(record), createdAt: nowInstant(), createdBy };
    return this.update((keys) => (keys.some((k) => k.name === key.name) ? null : sortByName([...keys, key])));
  }

  /** False when no key has that name. */
  async delete(name: string): Promise<boolean> {
    return this.update((keys) =>
      keys.some((k) => k.name === name) ? keys.filter((k) => k.name !== name) : null,
    );
  }

  /** Re-reads the register; one read at a time, callers in between share it. */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const epoch = this.epoch;
        const { register } = await this.read();
        this.install(register, epoch);
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private async refreshQuietly(): Promise<void> {
    try {
      await this.refresh();
      if (this.failing) this.options.logger?.info('api keys: the shared keys can be read again');
      this.failing = false;
    } catch (err) {
      if (!this.failing)
        this.options.logger?.warn(
          { err },
          'api keys: cannot read the shared keys; the last ones stay in force',
        );
      this.failing = true;
    }
  }

  /** Applies `change` to the keys read, by compare-and-set; false when `change` declines (null). */
  private async update(change: (keys: readonly StoredKey[]) => StoredKey[] | null): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const epoch = this.epoch;
      const { raw, register } = await this.read();
      this.install(register, epoch);
      const keys = change(register.keys);
      if (keys === null) return false;
      const next: Register = { version: register.version + 1, keys };
      if (await this.state.compareAndSet(KEY_REGISTER, raw, JSON.stringify(next))) {
        this.install(next, this.epoch);
        return true;
      }
      // Another replica wrote in between: read again, after a short random pause to spread retries.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt + 1)));
    }
    throw new Error(`api keys: the shared register changed under ${MAX_WRITE_ATTEMPTS} writes in a row`);
  }

  private async read(): Promise<{ raw: string | null; register: Register }> {
    const raw = await this.state.get(KEY_REGISTER);
    if (raw === null) return { raw, register: EMPTY };
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    const result = registerSchema.safeParse(parsed);
    // Refused rather than overwritten: a write over it would drop every key it holds.
    if (!result.success) throw new Error(`api keys: the shared register "${KEY_REGISTER}" is not valid`);
    return { raw, register: result.data };
  }

  /**
   * A newer version always wins. An older one only when nothing was installed since its read began:
   * then it is the latest state there is (the register was reset by hand).
   */
  private install(register: Register, epochAtRead: number): void {
    if (register.version < this.snapshot.version && epochAtRead !== this.epoch) return;
    this.epoch++;
    this.snapshot = register;
  }

  private async moveLegacyKeys(legacy: LegacyKeySource): Promise<void> {
    for (const old of legacy.list()) {
      const key: StoredKey = { ...pickRecord(old), createdAt: old.createdAt, createdBy: old.createdBy };
      let sameKey = false;
      const moved = await this.update((keys) => {
        const holder = keys.find((k) => k.name === key.name);
        sameKey = holder?.sha256 === key.sha256;
        return holder ? null : sortByName([...keys, key]);
      });
      if (moved || sameKey) legacy.delete(key.name);
      else
        this.options.logger?.warn(
          { name: key.name },
          'api keys: a key kept in the embedded database has the name of another shared key; left there, not in use',
        );
    }
  }
}

function pickRecord(record: ApiKeyRecord): ApiKeyRecord {
  return { name: record.name, sha256: record.sha256, scopes: [...record.scopes], team: record.team };
}

function sortByName(keys: StoredKey[]): StoredKey[] {
  return keys.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
