import { readFileSync, statSync } from 'node:fs';
import type { ZodError } from 'zod';
import {
  alertmanagerConfigSchema,
  UNSUPPORTED_RECEIVER_KINDS,
  type AlertmanagerConfigInput,
  type ReceiverInput,
} from './alertmanager-schema.ts';
import { ConfigError } from './config-error.ts';
import { parseConfigYaml } from './parse-config-yaml.ts';
import { allOf, matchersFromMaps, parseMatchers, type LabelPredicate } from './matchers.ts';
import { buildRouteTree, walkRoutes, type Route } from './route-tree.ts';
import { compileTimeInterval, type TimeInterval } from './time-intervals.ts';

export interface WebhookTarget {
  kind: 'webhook';
  url: string;
  sendResolved: boolean;
  maxAlerts: number;
}

export interface SlackTarget {
  kind: 'slack';
  url: string;
  sendResolved: boolean;
  channel?: string;
  username?: string;
}

export interface PagerdutyTarget {
  kind: 'pagerduty';
  url: string;
  routingKey: string;
  sendResolved: boolean;
  severity?: string;
}

export type IntegrationTarget = WebhookTarget | SlackTarget | PagerdutyTarget;

export interface ReceiverConfig {
  name: string;
  integrations: readonly IntegrationTarget[];
  /** Alertmanager receiver kinds present in the file that Tributary does not deliver to. */
  unsupported: readonly string[];
}

export interface InhibitRule {
  /** Human-readable, for decisions: `source {severity="critical"} -> target {severity="warning"} equal [cluster]`. */
  description: string;
  source: LabelPredicate;
  target: LabelPredicate;
  equal: readonly string[];
}

/** A usable alertmanager.yml: the routing tree, receivers, inhibition rules and named time intervals. */
export interface AlertmanagerConfig {
  /** Where it came from: a path, or `default`. */
  origin: string;
  resolveTimeout: number;
  route: Route;
  receivers: ReadonlyMap<string, ReceiverConfig>;
  inhibitRules: readonly InhibitRule[];
  timeIntervals: ReadonlyMap<string, TimeInterval>;
  /** Settings accepted but without effect here (unsupported receivers, templates). */
  warnings: readonly string[];
}

/** Receiver of the default config: notifications are written to the service log only. */
export const LOG_RECEIVER = 'log';

/** What runs when no alertmanager.yml is given: every alert to the log, grouped per alert name and service. */
export const DEFAULT_ALERTMANAGER_YAML = `route:
  receiver: ${LOG_RECEIVER}
  group_by: [alertname, service]
receivers:
  - name: ${LOG_RECEIVER}
`;

export interface LoadOptions {
  origin?: string;
  /** Reads `*_file` settings (url_file, routing_key_file...); injectable for tests. */
  readSecretFile?: (path: string) => string;
}

/** The alertmanager.yml path: TRIBUTARY_ALERTMANAGER_CONFIG, else the config file's value, else none. */
export function alertmanagerConfigPath(env: NodeJS.ProcessEnv, configured?: string): string | null {
  return env.TRIBUTARY_ALERTMANAGER_CONFIG || configured || null;
}

/** Larger than any real alertmanager.yml; a bigger file is refused before it is read. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

export function loadAlertmanagerConfigFile(path: string | null): AlertmanagerConfig {
  if (path === null) return parseAlertmanagerConfig(DEFAULT_ALERTMANAGER_YAML, { origin: 'default' });
  let text: string;
  try {
    if (statSync(path).size > MAX_CONFIG_BYTES) {
      throw new ConfigError(
        `${path}: larger than ${MAX_CONFIG_BYTES} bytes: refused (is TRIBUTARY_ALERTMANAGER_CONFIG the right file?)`,
      );
    }
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)} (set TRIBUTARY_ALERTMANAGER_CONFIG or alerting.alertmanagerConfig to a readable alertmanager.yml)`,
    );
  }
  return parseAlertmanagerConfig(text, { origin: path });
}

/** Parses and validates the YAML text; every problem found is listed in the ConfigError. */
export function parseAlertmanagerConfig(text: string, options: LoadOptions = {}): AlertmanagerConfig {
  const origin = options.origin ?? 'alertmanager.yml';
  const yaml = parseConfigYaml(text, origin);
  if (yaml.problems.length > 0) {
    throw new ConfigError(`${origin}: invalid YAML: ${yaml.problems[0]}`, yaml.problems);
  }
  const parsed = alertmanagerConfigSchema.safeParse(yaml.value);
  if (!parsed.success) throw zodToConfigError(parsed.error, origin, yaml.lineOf);
  return build(parsed.data, origin, options.readSecretFile ?? ((p) => readFileSync(p, 'utf8')));
}

function build(
  input: AlertmanagerConfigInput,
  origin: string,
  readSecret: (path: string) => string,
): AlertmanagerConfig {
  const problems: string[] = [];
  const warnings: string[] = [];
  const attempt = <T>(where: string, fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (err) {
      problems.push(`${origin}: ${where}${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  };
  if (input.templates?.length)
    warnings.push('templates are not rendered: notifications use the default texts');

  const receivers = new Map<string, ReceiverConfig>();
  input.receivers.forEach((r, i) => {
    if (receivers.has(r.name))
      problems.push(`${origin}: receivers[${i}]: duplicate receiver name "${r.name}"`);
    const receiver = attempt(`receivers[${i}]: `, () => buildReceiver(r, input, readSecret));
    if (receiver) {
      receivers.set(r.name, receiver);
      for (const kind of receiver.unsupported)
        warnings.push(`receiver "${r.name}": ${kind} are not supported by Tributary and are ignored`);
    }
  });

  const timeIntervals = new Map<string, TimeInterval>();
  [...input.time_intervals, ...input.mute_time_intervals].forEach((ti, i) => {
    if (timeIntervals.has(ti.name)) problems.push(`${origin}: duplicate time interval name "${ti.name}"`);
    const compiled = attempt('', () =>
      compileTimeInterval(ti.time_intervals, `time_intervals[${i}] "${ti.name}"`),
    );
    if (compiled) timeIntervals.set(ti.name, compiled);
  });

  const inhibitRules: InhibitRule[] = [];
  input.inhibit_rules.forEach((rule, i) => {
    const built = attempt(`inhibit_rules[${i}]: `, () => {
      const source = [
        ...matchersFromMaps(rule.source_match, rule.source_match_re),
        ...(rule.source_matchers ?? []).flatMap(parseMatchers),
      ];
      const target = [
        ...matchersFromMaps(rule.target_match, rule.target_match_re),
        ...(rule.target_matchers ?? []).flatMap(parseMatchers),
      ];
      const equal = rule.equal ?? [];
      const show = (ms: typeof source): string =>
        `{${ms.map((m) => `${m.name}${m.type}"${m.value}"`).join(',')}}`;
      return {
        description: `source ${show(source)} -> target ${show(target)}${equal.length ? ` equal [${equal.join(',')}]` : ''}`,
        source: allOf(source),
        target: allOf(target),
        equal,
      };
    });
    if (built) inhibitRules.push(built);
  });

  const route = attempt('', () =>
    buildRouteTree(input.route ?? { receiver: input.receivers[0]?.name ?? LOG_RECEIVER, continue: false }),
  );
  if (route) {
    walkRoutes(route, (r) => {
      if (!receivers.has(r.receiver) && !(r.receiver === LOG_RECEIVER && input.receivers.length === 0))
        problems.push(`${origin}: route ${r.key}: undefined receiver "${r.receiver}" used in route`);
      for (const name of [...r.muteTimeIntervals, ...r.activeTimeIntervals])
        if (!timeIntervals.has(name))
          problems.push(`${origin}: route ${r.key}: undefined time interval "${name}"`);
    });
  }
  if (!receivers.has(LOG_RECEIVER) && input.receivers.length === 0) {
    receivers.set(LOG_RECEIVER, { name: LOG_RECEIVER, integrations: [], unsupported: [] });
  }
  if (problems.length > 0 || !route) {
    throw new ConfigError(`${origin}: ${problems.length} problem(s): ${problems[0] ?? ''}`, problems);
  }
  return {
    origin,
    resolveTimeout: input.global.resolve_timeout,
    route,
    receivers,
    inhibitRules,
    timeIntervals,
    warnings,
  };
}

function buildReceiver(
  r: ReceiverInput,
  input: AlertmanagerConfigInput,
  readSecret: (path: string) => string,
): ReceiverConfig {
  const secret = (value: string | undefined, file: string | undefined, what: string): string => {
    if (value) return value;
    if (file) {
      try {
        return readSecret(file).trim();
      } catch (err) {
        throw new ConfigError(
          `${what}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
        );
      }
    }
    throw new ConfigError(`${what} is missing`);
  };
  const integrations: IntegrationTarget[] = [];
  r.webhook_configs?.forEach((w, i) => {
    integrations.push({
      kind: 'webhook',
      url: secret(w.url, w.url_file, `webhook_configs[${i}]: one of url or url_file`),
      sendResolved: w.send_resolved,
      maxAlerts: w.max_alerts,
    });
  });
  r.slack_configs?.forEach((s, i) => {
    const global = input.global as { slack_api_url?: string; slack_api_url_file?: string };
    integrations.push({
      kind: 'slack',
      url: secret(
        s.api_url ?? global.slack_api_url,
        s.api_url_file ?? global.slack_api_url_file,
        `slack_configs[${i}]: api_url (or global.slack_api_url)`,
      ),
      sendResolved: s.send_resolved,
      ...(s.channel ? { channel: s.channel } : {}),
      ...(s.username ? { username: s.username } : {}),
    });
  });
  r.pagerduty_configs?.forEach((p, i) => {
    if (p.service_key || p.service_key_file) {
      throw new ConfigError(
        `pagerduty_configs[${i}]: service_key (Events API v1) is not supported: use routing_key (v2)`,
      );
    }
    integrations.push({
      kind: 'pagerduty',
      url: p.url ?? (input.global.pagerduty_url as string),
      routingKey: secret(p.routing_key, p.routing_key_file, `pagerduty_configs[${i}]: routing_key`),
      sendResolved: p.send_resolved,
      ...(p.severity ? { severity: p.severity } : {}),
    });
  });
  const unsupported = UNSUPPORTED_RECEIVER_KINDS.filter((k) => {
    const v = (r as Record<string, unknown>)[k];
    return Array.isArray(v) && v.length > 0;
  });
  return { name: r.name, integrations, unsupported };
}

/** Unknown keys named in one problem; a file with thousands of them must not flood the output. */
const MAX_KEYS_SHOWN = 10;

/**
 * Schema problems as `<origin>:<line>: <path>: <what>` (the line when `lineOf` can place it), each
 * unknown key with a hint, since a typo is the usual cause.
 */
export function zodToConfigError(
  error: ZodError,
  origin: string,
  lineOf?: (path: readonly PropertyKey[], key?: string) => number | null,
): ConfigError {
  const problems = error.issues.map((issue) => {
    const path = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
      .join('')
      .replace(/^\./, '');
    const firstKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const line = lineOf?.(issue.path, firstKey) ?? null;
    const where = line === null ? origin : `${origin}:${line}`;
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown key(s) ${issue.keys
            .slice(0, MAX_KEYS_SHOWN)
            .map((k) => JSON.stringify(k.slice(0, 100)))
            .join(
              ', ',
            )}${issue.keys.length > MAX_KEYS_SHOWN ? ` and ${issue.keys.length - MAX_KEYS_SHOWN} more` : ''}: remove them or fix their spelling`
        : issue.message;
    return `${where}: ${path || '(top level)'}: ${message}`;
  });
  return new ConfigError(`${problems.length} problem(s) in ${origin}: ${problems[0] ?? ''}`, problems);
}
