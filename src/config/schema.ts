import { z } from 'zod';
import { parseDuration, parseSize } from './units.ts';
import { cadvisorConfigSchema } from '../sources/cadvisor/config.ts';
import { nagiosConfigSchema } from '../sources/nagios/config.ts';
import { dashboardsConfigSchema } from '../dashboards/config.ts';
import { brokerList, kafkaConfigSchema } from '../sources/kafka/config.ts';
import { elasticsearchStoreConfigSchema } from '../store/elasticsearch/config.ts';
import { stateConfigSchema } from '../state/config.ts';
import { alertingConfigSchema } from '../alerting/config.ts';

const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = typeof value === 'number' ? value : parseDuration(value);
  if (ms === null || ms < 0) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration (use e.g. 500ms, 10s, 5m, 7d)` });
    return z.NEVER;
  }
  return ms;
});

const size = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const bytes = typeof value === 'number' ? value : parseSize(value);
  if (bytes === null || bytes <= 0) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a size (use e.g. 512kb, 10mb)` });
    return z.NEVER;
  }
  return bytes;
});

/**
 * The whole configuration with its defaults, in one place (as the Collector's `createDefaultConfig`).
 * Every key can come from the YAML file named by TRIBUTARY_CONFIG; the env vars in `env.ts` override it.
 */
export const configSchema = z
  .object({
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.coerce.number().int().min(0).max(65535).default(8080),
        maxBody: size.default('10mb'),
        /** Requests slower than this (headers + body) are cut with 408. */
        requestTimeout: duration.default('30s'),
      })
      .strict()
      .default({}),
    storage: z
      .object({
        dataDir: z.string().min(1).default('./data'),
        /** Events older than this (by event time) are deleted. */
        retention: duration.default('7d'),
        retentionSweepInterval: duration.default('10m'),
      })
      .strict()
      .default({}),
    pipeline: z
      .object({
        /** Events waiting in the in-process queue before ingest answers 503 (backpressure). */
        queueCapacity: z.coerce.number().int().positive().default(100_000),
        /** Largest batch handed to the store in one transaction. */
        batchSize: z.coerce.number().int().positive().default(2000),
      })
      .strict()
      .default({}),
    shutdown: z
      .object({ timeout: duration.default('10s') })
      .strict()
      .default({}),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .strict()
      .default({}),
    logstash: z
      .object({
        /** Accept the plain codec's `<timestamp> <host> <message>` lines (Logstash kafka output default). */
        plainLines: z.boolean().default(false),
      })
      .strict()
      .default({}),
    /** The causal ordering of logs and spans (src/stages/order-logs/README.md). */
    ordering: z
      .object({
        /** Off: logs keep the order of their own timestamps (`order=causal` then equals `order=timestamp`). */
        enabled: z.boolean().default(true),
        /** Longest wait for a missing parent span or sequence gap before an event is released (forced). */
        maxWait: duration.default('1200ms'),
        /** Longest any event is held, whatever it waits for. */
        maxHold: duration.default('3s'),
        /** Bytes the buffer may hold before its watermark is forced forward. */
        maxBuffer: size.default('128mb'),
        /** Span keys shared with other replicas (Redis, distributed mode) live this long. */
        sharedTtl: duration.default('5m'),
      })
      .strict()
      .default({}),
    /** cAdvisor scraping and container -> service mapping (src/sources/cadvisor/config.ts). */
    cadvisor: cadvisorConfigSchema.default({}),
    /** Nagios perfdata tailing, NRDP limits, service mapping, max_check_attempts (src/sources/nagios/config.ts). */
    nagios: nagiosConfigSchema
      .extend({ nrdpToken: z.string().min(1).optional() })
      .default({ perfdataFiles: [] }),
    /** Grafana/Kibana generation and publication (src/dashboards/config.ts). */
    dashboards: dashboardsConfigSchema.default({}),
    /** Rules, alertmanager.yml and the noise settings (src/alerting/config.ts, rules/README.md). */
    alerting: alertingConfigSchema.default({}),
    services: z
      .object({
        /** Other names of one service, lowercased alias -> canonical name (e.g. Nagios host -> app). */
        aliases: z.record(z.string().min(1)).default({}),
      })
      .strict()
      .default({}),
    auth: z
      .object({
        /** Keys from the config file; give `sha256` (hex of the secret) rather than `secret` where you can. */
        keys: z
          .array(
            z
              .object({
                name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
                secret: z.string().min(8).optional(),
                sha256: z
                  .string()
                  .regex(/^[0-9a-f]{64}$/)
                  .optional(),
                scopes: z.array(z.enum(['ingest', 'read', 'admin'])).min(1),
                team: z
                  .string()
                  .regex(/^[A-Za-z0-9_.-]{1,64}$/)
                  .optional(),
              })
              .strict()
              .refine(
                (k) => (k.secret === undefined) !== (k.sha256 === undefined),
                'give exactly one of secret or sha256',
              ),
          )
          .default([]),
        /** TRIBUTARY_API_KEYS: `secret:scope+scope[:team]`, comma-separated. */
        keysEnv: z.string().optional(),
        /** Services each team may see; a team not listed sees the service of its own name. */
        teams: z.record(z.object({ services: z.array(z.string().min(1)) }).strict()).default({}),
        rateLimit: z
          .object({
            perSecond: z.coerce.number().positive().default(200),
            burst: z.coerce.number().int().positive().default(400),
          })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
    /** Distributed mode: Kafka carries every input when `kafka.brokers` is set (src/sources/kafka/config.ts). */
    kafka: kafkaConfigSchema.extend({ brokers: brokerList.optional() }).default({}),
    /** Events in Elasticsearch when `elasticsearch.url` is set (src/store/elasticsearch/config.ts). */
    elasticsearch: elasticsearchStoreConfigSchema.extend({ url: z.string().url().optional() }).default({}),
    /** Shared alerting state in Redis when `state.redisUrl` is set, else SQLite (src/state/config.ts). */
    state: stateConfigSchema.default({}),
  })
  .strict();

export type TributaryConfig = z.output<typeof configSchema>;
export type TributaryConfigInput = z.input<typeof configSchema>;
