import { randomUUID } from 'node:crypto';
import { after } from 'node:test';
import { Redis } from 'ioredis';

/**
 * A raw client on the shared test Redis for a test file: a key prefix per test, and cleanup of every key
 * under it (binary-safe: tests store keys that are not valid UTF-8). Closed after the file's tests.
 */
export function redisAdmin(url: string | undefined) {
  let admin: Redis | null = null;
  after(async () => {
    await admin?.quit();
  });
  const client = (): Redis => {
    admin ??= new Redis(url as string, { maxRetriesPerRequest: 1 });
    return admin;
  };
  return {
    client,
    /** A prefix no other test (or run) uses. */
    testPrefix: (suffix = ''): string => `tributary-test:${process.pid}:${randomUUID()}:${suffix}`,
    async deleteKeys(prefix: string): Promise<void> {
      let cursor = '0';
      do {
        const [next, keys] = await client().scanBuffer(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (keys.length > 0) await client().unlink(...keys);
        cursor = String(next);
      } while (cursor !== '0');
    },
  };
}
