import type { StateConfig } from './config.ts';
import { openStateDatabase } from './sqlite/open-state-database.ts';
import { SqliteStateStore } from './sqlite/sqlite-state-store.ts';
import type { StateBackend } from './state-store.ts';

/**
 * The state backend for this deployment: Redis when `config.redisUrl` is set, else SQLite in
 * `<dataDir>/state.db` (closed by the backend's shutdown). Call `start()` before use.
 */
export async function createStateBackend(
  config: StateConfig,
  dataDir: string | ':memory:',
): Promise<StateBackend> {
  if (config.redisUrl) {
    // Loaded only in distributed mode: the Redis client is slow to import and unused otherwise.
    const { RedisStateStore } = await import('./redis/redis-state-store.ts');
    return new RedisStateStore({
      url: config.redisUrl,
      keyPrefix: config.keyPrefix,
      commandTimeoutMs: config.commandTimeout,
      connectTimeoutMs: config.connectTimeout,
    });
  }
  return new SqliteStateStore(openStateDatabase(dataDir), {
    sweepIntervalMs: config.sweepInterval,
    closeDatabase: true,
  });
}
