import { z } from 'zod';
import { parseDuration } from '../config/units.ts';
import { DEFAULT_KEY_PREFIX } from './redis/redis-state-store.ts';

/** `500ms`, `2s`, `1m` or a number of milliseconds; strictly positive. */
const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = typeof value === 'number' ? value : parseDuration(value);
  if (ms === null || !Number.isFinite(ms) || ms <= 0) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a positive duration (use e.g. 500ms, 2s, 1m)`,
    });
    return z.NEVER;
  }
  return Math.round(ms);
});

const redisUrl = z
  .string()
  .url()
  // zod runs the refinement even when .url() failed, so the URL may not parse here.
  .refine(
    (url) => URL.canParse(url) && /^rediss?:$/.test(new URL(url).protocol),
    'must be a redis:// or rediss:// URL',
  );

/**
 * Configuration of the shared alerting state, every default here. Redis is used when `redisUrl` is set
 * (distributed mode, TRIBUTARY_REDIS_URL); otherwise the embedded SQLite store in the data directory.
 */
export const stateConfigSchema = z
  .object({
    redisUrl: redisUrl.optional(),
    /** Prepended to every Redis key; lets several deployments share one Redis. */
    keyPrefix: z.string().min(1).default(DEFAULT_KEY_PREFIX),
    /** A Redis command without a reply after this long fails (the caller decides what to do). */
    commandTimeout: duration.default('2s'),
    /** How long start-up waits for Redis; also the limit of each TCP connect. */
    connectTimeout: duration.default('5s'),
    /** How often the embedded store deletes expired keys. */
    sweepInterval: duration.default('1m'),
  })
  .strict();

export type StateConfig = z.output<typeof stateConfigSchema>;
export type StateConfigInput = z.input<typeof stateConfigSchema>;

export function createDefaultStateConfig(): StateConfig {
  return stateConfigSchema.parse({});
}
