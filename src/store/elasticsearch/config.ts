import { z } from 'zod';

/**
 * Settings of the Elasticsearch store, with their defaults in one place. Index names are
 * `<indexPrefix>-events-YYYY.MM.DD` (by event time), `<indexPrefix>-events-outliers` and
 * `<indexPrefix>-rejections`.
 */
export const elasticsearchStoreConfigSchema = z
  .object({
    url: z.string().url(),
    /** Lowercase, as Elasticsearch index names must be; no wildcard or separator characters. */
    indexPrefix: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, "_" and "-", not starting with "_" or "-"')
      .max(100)
      .default('tributary'),
    /** Most documents per `_bulk` request. */
    bulkSize: z.number().int().positive().max(10_000).default(1000),
    /** Most bytes of NDJSON per `_bulk` request (Elasticsearch refuses bodies over 100 MB by default). */
    bulkMaxBytes: z
      .number()
      .int()
      .min(64 * 1024)
      .max(90 * 1024 * 1024)
      .default(10 * 1024 * 1024),
    /** `_bulk` requests in flight at once, over all appends of one store. */
    bulkConcurrency: z.number().int().positive().max(64).default(2),
    /** Further tries after a failed one (429, 5xx, network); then `append` rejects. */
    retries: z.number().int().min(0).max(20).default(5),
    retryBaseDelayMs: z.number().int().min(0).default(100),
    retryMaxDelayMs: z.number().int().min(0).default(5000),
    requestTimeoutMs: z.number().int().positive().default(30_000),
    /** `refresh` of each `_bulk`: false (wait for the periodic refresh), `wait_for`, or true (tests only). */
    refresh: z.union([z.boolean(), z.literal('wait_for')]).default(false),
    /** Primary shards of each daily index. */
    shards: z.number().int().positive().max(64).default(1),
    /** `index.auto_expand_replicas`: no replica on a single node, one as soon as there are two nodes. */
    replicas: z
      .string()
      .regex(/^\d+-(\d+|all)$|^false$/)
      .default('0-1'),
    /**
     * Events whose day is further in the past or future than this go to the one `-outliers` index
     * instead of a daily index: a few hostile timestamps cannot create thousands of indices (shards).
     * Keep `outlierPastDays` above the retention period, so an event's index never changes while it is
     * kept (the same id in the same index is what makes replays idempotent).
     */
    outlierPastDays: z.number().int().positive().default(31),
    outlierFutureDays: z.number().int().positive().default(2),
  })
  .strict();

export type ElasticsearchStoreConfigInput = z.input<typeof elasticsearchStoreConfigSchema>;
export type ElasticsearchStoreConfig = z.output<typeof elasticsearchStoreConfigSchema>;

/** Validates and fills in the defaults; throws a ZodError listing every problem. */
export function parseElasticsearchStoreConfig(
  input: ElasticsearchStoreConfigInput,
): ElasticsearchStoreConfig {
  return elasticsearchStoreConfigSchema.parse(input);
}
