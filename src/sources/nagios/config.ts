import { z } from 'zod';
import type { ServiceResolver } from './build-check-event.ts';
import type { NrdpLimits } from './parse-nrdp.ts';
import { compileTemplate, type PerfdataFileLayout } from './perfdata-file-layout.ts';

/**
 * Options of the Nagios source.
 *
 * Event mapping. Tributary's `service` is an application entity, not a Nagios check, so:
 * - `checkHost` / `checkService` always carry Nagios' host_name and service description as received;
 * - `service` comes from `serviceMapping`: an exact `"host;service description"` entry in `byCheck`, else an
 *   entry for the host in `byHost`, else (with `fallback: "host_name"`, the default) the host_name itself.
 *   The host_name is the default because it is the identity DESIGN.md resolves Nagios into, and because a
 *   service description ("Disk /", "PING") names a kind of check that many applications share, so using it
 *   would merge unrelated applications. `fallback: "none"` leaves unmapped checks without a service.
 * - `host` is the host_name; `container` is null (Nagios does not know containers).
 *
 * Perfdata files: the default Nagios templates carry no state; configure
 * `RECOMMENDED_SERVICE_TEMPLATE` / `RECOMMENDED_HOST_TEMPLATE` (perfdata-file-layout.ts) in nagios.cfg so
 * lines carry state, attempt and state type. Other positional templates go in `perfdataTemplates`, keyed
 * (`DATATYPE::...`) ones are recognised without configuration.
 */
const attemptsOverride = z.object({
  host: z.string().min(1),
  /** Omitted or null: the host check itself. */
  service: z.string().min(1).nullable().default(null),
  maxCheckAttempts: z.number().int().min(1).max(1000),
});

const perfdataTemplate = z
  .string()
  .min(1)
  .superRefine((template, ctx) => {
    const compiled = compileTemplate('template', template);
    if (compiled.kind === 'invalid') ctx.addIssue({ code: 'custom', message: compiled.error });
  });

export const nagiosConfigSchema = z.object({
  /** Tailed perfdata files (nagios.cfg service_perfdata_file / host_perfdata_file). A missing file is awaited. */
  perfdataFiles: z
    .array(z.string().min(1))
    .default(['/usr/local/nagios/var/service-perfdata', '/usr/local/nagios/var/host-perfdata']),
  pollIntervalMs: z.number().int().min(10).max(3_600_000).default(1000),
  maxBatchBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  maxLineBytes: z
    .number()
    .int()
    .min(256)
    .max(64 * 1024 * 1024)
    .default(256 * 1024),
  /** Extra positional templates, as written in nagios.cfg (`\t` between columns). */
  perfdataTemplates: z.array(perfdataTemplate).default([]),
  /** Nagios' max_check_attempts for checks that do not report it (generic-service in the samples: 3). */
  defaultMaxCheckAttempts: z.number().int().min(1).max(1000).default(3),
  maxCheckAttempts: z.array(attemptsOverride).default([]),
  /** Nagios' passive_host_checks_are_soft (default 0: passive host results are HARD). */
  passiveHostChecksAreSoft: z.boolean().default(false),
  nrdp: z
    .object({
      maxBytes: z
        .number()
        .int()
        .min(1024)
        .max(256 * 1024 * 1024)
        .default(4 * 1024 * 1024),
      maxCheckResults: z.number().int().min(1).max(1_000_000).default(10_000),
      maxXmlDepth: z.number().int().min(3).max(256).default(16),
    })
    .default({}),
  serviceMapping: z
    .object({
      byCheck: z.record(z.string().min(1)).default({}),
      byHost: z.record(z.string().min(1)).default({}),
      fallback: z.enum(['host_name', 'none']).default('host_name'),
    })
    .default({}),
});

export type NagiosConfig = z.infer<typeof nagiosConfigSchema>;

export function createDefaultNagiosConfig(): NagiosConfig {
  return nagiosConfigSchema.parse({});
}

/** Validates options; on failure lists every problem as `path: message`. */
export function parseNagiosConfig(
  input: unknown,
): { ok: true; config: NagiosConfig } | { ok: false; errors: string[] } {
  const parsed = nagiosConfigSchema.safeParse(input ?? {});
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((i) => `nagios.${i.path.join('.')}: ${i.message}`) };
}

export function createServiceResolver(mapping: NagiosConfig['serviceMapping']): ServiceResolver {
  const byCheck = new Map(Object.entries(mapping.byCheck));
  const byHost = new Map(Object.entries(mapping.byHost));
  return (checkHost, checkService) =>
    (checkService === null ? undefined : byCheck.get(`${checkHost};${checkService}`)) ??
    byHost.get(checkHost) ??
    (mapping.fallback === 'host_name' ? checkHost : null);
}

export function createMaxCheckAttempts(
  config: NagiosConfig,
): (checkHost: string, checkService: string | null) => number {
  const overrides = new Map(
    config.maxCheckAttempts.map((o) => [`${o.host};${o.service ?? ''}`, o.maxCheckAttempts]),
  );
  return (checkHost, checkService) =>
    overrides.get(`${checkHost};${checkService ?? ''}`) ?? config.defaultMaxCheckAttempts;
}

/** Layouts compiled from `perfdataTemplates` (keyed templates need none). Valid config only. */
export function configuredLayouts(config: NagiosConfig): PerfdataFileLayout[] {
  return config.perfdataTemplates.flatMap((template, i) => {
    const compiled = compileTemplate(`perfdataTemplates[${i}]`, template);
    return compiled.kind === 'positional' ? [compiled.layout] : [];
  });
}

export function nrdpLimits(config: NagiosConfig): NrdpLimits {
  return { ...config.nrdp };
}
