import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { configSchema, type TributaryConfig } from './schema.ts';
import { DASHBOARDS_ENV_KEYS } from '../dashboards/config.ts';

/** Config keys whose env var is a comma-separated list. */
const LIST_KEYS = new Set(['cadvisor.targets', 'nagios.perfdataFiles']);

/** Each env var and the config key it sets. The README's configuration table lists the same. */
export const ENV_KEYS: readonly (readonly [string, string])[] = [
  ['TRIBUTARY_HOST', 'server.host'],
  ['TRIBUTARY_PORT', 'server.port'],
  ['TRIBUTARY_MAX_BODY', 'server.maxBody'],
  ['TRIBUTARY_REQUEST_TIMEOUT', 'server.requestTimeout'],
  ['TRIBUTARY_DATA_DIR', 'storage.dataDir'],
  ['TRIBUTARY_RETENTION', 'storage.retention'],
  ['TRIBUTARY_QUEUE_CAPACITY', 'pipeline.queueCapacity'],
  ['TRIBUTARY_BATCH_SIZE', 'pipeline.batchSize'],
  ['TRIBUTARY_SHUTDOWN_TIMEOUT', 'shutdown.timeout'],
  ['TRIBUTARY_LOG_LEVEL', 'log.level'],
  ['TRIBUTARY_LOGSTASH_PLAIN_LINES', 'logstash.plainLines'],
  ['TRIBUTARY_ORDERING', 'ordering.enabled'],
  ['TRIBUTARY_ORDERING_MAX_BUFFER', 'ordering.maxBuffer'],
  ['TRIBUTARY_CADVISOR_TARGETS', 'cadvisor.targets'],
  ['TRIBUTARY_CADVISOR_INTERVAL', 'cadvisor.interval'],
  ['TRIBUTARY_NAGIOS_PERFDATA_FILES', 'nagios.perfdataFiles'],
  ['TRIBUTARY_NRDP_TOKEN', 'nagios.nrdpToken'],
  ['TRIBUTARY_ALERTMANAGER_CONFIG', 'alerting.alertmanagerConfig'],
  ['TRIBUTARY_RULES_DIR', 'alerting.rulesDir'],
  ['TRIBUTARY_REPLICA_ID', 'alerting.replicaId'],
  ['TRIBUTARY_EXTERNAL_URL', 'alerting.externalUrl'],
  ['TRIBUTARY_API_KEYS', 'auth.keysEnv'],
  ['TRIBUTARY_RATE_LIMIT', 'auth.rateLimit.perSecond'],
  ['TRIBUTARY_KAFKA_BROKERS', 'kafka.brokers'],
  ['TRIBUTARY_KAFKA_GROUP_ID', 'kafka.groupId'],
  ['TRIBUTARY_REDIS_URL', 'state.redisUrl'],
  ['TRIBUTARY_ELASTICSEARCH_URL', 'elasticsearch.url'],
  ['TRIBUTARY_ELASTICSEARCH_INDEX_PREFIX', 'elasticsearch.indexPrefix'],
  ...DASHBOARDS_ENV_KEYS,
];

export type ConfigResult = { ok: true; config: TributaryConfig } | { ok: false; errors: string[] };

/**
 * Reads the optional YAML file (TRIBUTARY_CONFIG), lays the env vars over it, validates the whole and
 * lists every error (not only the first), each naming the key and the env var that sets it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ConfigResult {
  const errors: string[] = [];
  let fromFile: Record<string, unknown> = {};
  const file = env.TRIBUTARY_CONFIG;
  if (file) {
    try {
      const parsed: unknown = parseYaml(readFileSync(file, 'utf8'));
      if (parsed !== null && parsed !== undefined && typeof parsed !== 'object') {
        errors.push(`${file}: the config file must be a YAML mapping`);
      } else {
        fromFile = (parsed ?? {}) as Record<string, unknown>;
      }
    } catch (err) {
      errors.push(`${file}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  const merged = structuredClone(fromFile);
  for (const [name, key] of ENV_KEYS) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const coerced = LIST_KEYS.has(key)
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
      : coerceEnv(value);
    setPath(merged, key.split('.'), coerced);
  }
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    // One line per key, with every problem zod found for it.
    const byKey = new Map<string, string[]>();
    for (const issue of result.error.issues) {
      const key = issue.path.join('.');
      byKey.set(key, [...(byKey.get(key) ?? []), issue.message]);
    }
    for (const [key, messages] of byKey) {
      const envName = ENV_KEYS.find(([, k]) => k === key)?.[0];
      errors.push(`${key || '(root)'}${envName ? ` (${envName})` : ''}: ${messages.join('; ')}`);
    }
  }
  if (errors.length > 0 || !result.success) return { ok: false, errors };
  return { ok: true, config: result.data };
}

function coerceEnv(value: string): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}
