import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Configuration of alerting (the `alerting:` key of the config file), every default here. Environment:
 * TRIBUTARY_ALERTMANAGER_CONFIG, TRIBUTARY_RULES_DIR, TRIBUTARY_REPLICA_ID, TRIBUTARY_EXTERNAL_URL.
 */
export const alertingConfigSchema = z
  .object({
    /** alertmanager.yml, read unchanged; none: every alert to the log receiver. */
    alertmanagerConfig: z.string().min(1).optional(),
    /** Rule files and the `noise:` section (rules/README.md). */
    rulesDir: z.string().min(1).default('rules'),
    /**
     * Who claims notifications in the ledger: unique among running processes. A stable value (pod name)
     * lets a restarted replica resume its own claims at once instead of after the lease.
     */
    replicaId: z.string().min(1).max(200).optional(),
    /** Link to this Tributary in notifications (Alertmanager's externalURL). */
    externalUrl: z.string().url().optional(),
  })
  .strict();

export type AlertingConfig = z.output<typeof alertingConfigSchema>;

export function createDefaultAlertingConfig(): AlertingConfig {
  return alertingConfigSchema.parse({});
}

/** The environment over the file's values (same names, as the rest of the config). */
export function alertingConfigFromEnv(
  env: NodeJS.ProcessEnv,
  file: Partial<AlertingConfig> = {},
): AlertingConfig {
  return alertingConfigSchema.parse({
    ...file,
    ...(env.TRIBUTARY_ALERTMANAGER_CONFIG ? { alertmanagerConfig: env.TRIBUTARY_ALERTMANAGER_CONFIG } : {}),
    ...(env.TRIBUTARY_RULES_DIR ? { rulesDir: env.TRIBUTARY_RULES_DIR } : {}),
    ...(env.TRIBUTARY_REPLICA_ID ? { replicaId: env.TRIBUTARY_REPLICA_ID } : {}),
    ...(env.TRIBUTARY_EXTERNAL_URL ? { externalUrl: env.TRIBUTARY_EXTERNAL_URL } : {}),
  });
}

/** `<hostname>:<pid>` unless configured: never shared by two live processes. */
export function replicaIdOf(config: AlertingConfig): string {
  return config.replicaId ?? `${hostname()}:${process.pid}`;
}

/** The default `rules` resolves to the shipped rule set when the working directory has none. */
export function resolveRulesDir(configured: string): string {
  if (configured !== 'rules' || existsSync(configured)) return configured;
  return resolve(import.meta.dirname, '..', '..', 'rules');
}
