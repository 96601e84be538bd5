import { z } from 'zod';

/**
 * Configuration of the cAdvisor source, with every default in this one place. The same identity rules
 * serve the /metrics scrape, HTTP push and the Kafka stats records.
 */

/** Prometheus label names tried in order for a container's service. Empty values count as absent. */
export const DEFAULT_SERVICE_LABELS: readonly string[] = [
  'container_label_com_docker_compose_service',
  'container_label_MARATHON_APP_ID',
  'container_label_io_kubernetes_container_name',
];

/**
 * Container environment variables tried after the labels (cAdvisor exports the ones allowed by its
 * `--env_metadata_whitelist` as `container_env_<lowercased name>`). Marathon sets MARATHON_APP_ID in
 * every task's environment.
 */
export const DEFAULT_SERVICE_ENV_NAMES: readonly string[] = ['MARATHON_APP_ID'];

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;
const DURATION_FACTOR: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `500ms`, `15s`, `1m` or a number of milliseconds. */
const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const m = typeof value === 'number' ? null : DURATION.exec(value.trim());
  const ms =
    typeof value === 'number' ? value : m ? Number(m[1]) * (DURATION_FACTOR[m[2] ?? 'ms'] ?? 1) : NaN;
  if (!Number.isFinite(ms) || ms <= 0) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a positive duration (use e.g. 500ms, 15s, 1m)`,
    });
    return z.NEVER;
  }
  return Math.round(ms);
});

const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a Prometheus label name');

const target = z
  .string()
  .refine(
    (url) => URL.canParse(url) && /^https?:$/.test(new URL(url).protocol),
    'must be an http:// or https:// URL',
  );

export const cadvisorConfigSchema = z
  .object({
    /** cAdvisor base URLs (`http://node-01:8080`); `/metrics` is appended when the URL has no path. */
    targets: z.array(target).default([]),
    interval: duration.default('15s'),
    /** Per-request timeout of one scrape (connect + headers + body). */
    timeout: duration.default('5s'),
    serviceLabels: z.array(labelName).default([...DEFAULT_SERVICE_LABELS]),
    serviceEnvNames: z.array(z.string().min(1)).default([...DEFAULT_SERVICE_ENV_NAMES]),
    /** Host name for every sample; when null, the hostname of the scrape target (or the Kafka `machine_name`). */
    host: z.string().min(1).nullable().default(null),
    /** A /metrics body larger than this is cut off and counted as a failed scrape. */
    maxBodyBytes: z
      .number()
      .int()
      .positive()
      .default(64 * 1024 * 1024),
  })
  .strict()
  // Zod still runs this when a duration failed (its value is then not a number): judge only valid pairs.
  .refine(
    (config) =>
      typeof config.interval !== 'number' ||
      typeof config.timeout !== 'number' ||
      config.timeout <= config.interval,
    {
      message: 'timeout must not exceed interval',
      path: ['timeout'],
    },
  );

export type CadvisorConfig = z.output<typeof cadvisorConfigSchema>;
export type CadvisorConfigInput = z.input<typeof cadvisorConfigSchema>;

/** The part of the configuration that turns container labels into service/container identity. */
export interface IdentityRules {
  serviceLabels: readonly string[];
  serviceEnvNames: readonly string[];
}

export const DEFAULT_IDENTITY_RULES: IdentityRules = {
  serviceLabels: DEFAULT_SERVICE_LABELS,
  serviceEnvNames: DEFAULT_SERVICE_ENV_NAMES,
};

export function createDefaultCadvisorConfig(): CadvisorConfig {
  return cadvisorConfigSchema.parse({});
}
