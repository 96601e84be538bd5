import { z } from 'zod';

/** The cAdvisor label naming a container's service (Docker Compose sets it on every container). */
export const DEFAULT_SERVICE_LABEL = 'container_label_com_docker_compose_service';

const httpUrl = z
  .string()
  .refine(
    (url) => URL.canParse(url) && /^https?:$/.test(new URL(url).protocol),
    'must be an http:// or https:// URL',
  )
  .transform((url) => url.replace(/\/+$/, ''));

const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a Prometheus label name');
const folderUid = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be a Grafana folder uid');

/**
 * Dashboard generation and publishing, with every default here. Publishing to Grafana happens when
 * `grafanaUrl` is set, to Kibana when `kibanaUrl` is set; generation needs neither.
 */
export const dashboardsConfigSchema = z
  .object({
    grafanaUrl: httpUrl.optional(),
    /** Service account token (Editor on the folders), sent as `Authorization: Bearer`. */
    grafanaToken: z.string().min(1).optional(),
    /** Folder of each team's dashboards: team (as in auth.teams) -> Grafana folder uid. */
    grafanaFolderUids: z.record(folderUid).default({}),
    /** Folder of the services no team claims; Grafana's General folder when unset. */
    grafanaDefaultFolderUid: folderUid.optional(),
    kibanaUrl: httpUrl.optional(),
    /** Kibana API key (the base64 `encoded` value), sent as `Authorization: ApiKey`. */
    kibanaApiKey: z.string().min(1).optional(),
    /** Kibana space to import into; the default space when unset. */
    kibanaSpace: z
      .string()
      .regex(/^[a-z0-9_-]{1,64}$/, 'must be a Kibana space id')
      .optional(),
    /** cAdvisor label whose value is the service name in the Prometheus queries. */
    serviceLabel: labelName.default(DEFAULT_SERVICE_LABEL),
    /** Where `dashboards generate` and first-seen services write `<service>/grafana.json` and `kibana.ndjson`. */
    outputDir: z.string().min(1).default('dashboards'),
    /** Tributary's address as people reach it: the dashboards' links to `/v1/logs` start with it. */
    publicUrl: httpUrl.default('http://127.0.0.1:8080'),
    /** Per-request deadline towards Grafana and Kibana, in milliseconds. */
    requestTimeoutMs: z.coerce.number().int().positive().default(10_000),
  })
  .strict()
  .refine((c) => c.grafanaUrl === undefined || c.grafanaToken !== undefined, {
    message: 'grafanaToken is required when grafanaUrl is set',
    path: ['grafanaToken'],
  });

export type DashboardsConfig = z.output<typeof dashboardsConfigSchema>;
export type DashboardsConfigInput = z.input<typeof dashboardsConfigSchema>;

/** Env var -> key under `dashboards.` (for src/config/load.ts's ENV_KEYS and the README table). */
export const DASHBOARDS_ENV_KEYS: readonly (readonly [string, string])[] = [
  ['TRIBUTARY_GRAFANA_URL', 'dashboards.grafanaUrl'],
  ['TRIBUTARY_GRAFANA_TOKEN', 'dashboards.grafanaToken'],
  ['TRIBUTARY_GRAFANA_FOLDER_UID', 'dashboards.grafanaDefaultFolderUid'],
  ['TRIBUTARY_KIBANA_URL', 'dashboards.kibanaUrl'],
  ['TRIBUTARY_KIBANA_API_KEY', 'dashboards.kibanaApiKey'],
  ['TRIBUTARY_KIBANA_SPACE', 'dashboards.kibanaSpace'],
  ['TRIBUTARY_DASHBOARDS_SERVICE_LABEL', 'dashboards.serviceLabel'],
  ['TRIBUTARY_DASHBOARDS_DIR', 'dashboards.outputDir'],
  ['TRIBUTARY_PUBLIC_URL', 'dashboards.publicUrl'],
];

/** Services each team owns (the shape of the config's `auth.teams`). */
export type TeamServices = Readonly<Record<string, { services: readonly string[] }>>;

/**
 * Grafana folder of a service: the folder of the first team (by name) listing it, else the default.
 * A team without a configured folder falls back to the default too.
 */
export function folderUidFor(
  service: string,
  config: Pick<DashboardsConfig, 'grafanaFolderUids' | 'grafanaDefaultFolderUid'>,
  teams: TeamServices = {},
): string | undefined {
  for (const team of Object.keys(teams).sort()) {
    if (!teams[team]?.services.includes(service)) continue;
    const uid = config.grafanaFolderUids[team];
    if (uid !== undefined) return uid;
  }
  return config.grafanaDefaultFolderUid;
}

/** Reads the dashboards section from env vars alone (the CLI, until the main config carries it). */
export function dashboardsConfigFromEnv(
  env: NodeJS.ProcessEnv,
  base: DashboardsConfigInput = {},
): ReturnType<typeof dashboardsConfigSchema.safeParse> {
  const input: Record<string, unknown> = { ...base };
  for (const [name, key] of DASHBOARDS_ENV_KEYS) {
    const value = env[name];
    if (value !== undefined && value !== '') input[key.slice('dashboards.'.length)] = value;
  }
  return dashboardsConfigSchema.safeParse(input);
}
