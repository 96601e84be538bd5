import { z } from 'zod';
import { parsePrometheusDuration } from './prometheus-duration.ts';

/**
 * alertmanager.yml as Alertmanager 0.25 reads it. Unknown keys are refused, as Alertmanager's strict
 * YAML decoding refuses them, so a typo is an error here too and not a silently ignored setting.
 * Receiver kinds Tributary does not deliver to (email, opsgenie...) are accepted and reported.
 */
export const duration = z.string().transform((value, ctx) => {
  const ms = parsePrometheusDuration(value);
  if (ms === null) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value.slice(0, 64)}" is not a duration (e.g. 30s, 5m, 1h30m)`,
    });
    return z.NEVER;
  }
  return ms;
});

const labelMap = z.record(z.string());
const url = z.string().url();
const httpConfig = z.record(z.unknown());

const routeBase = z
  .object({
    receiver: z.string().min(1).optional(),
    group_by: z.array(z.string()).optional(),
    continue: z.boolean().default(false),
    matchers: z.array(z.string()).optional(),
    match: labelMap.optional(),
    match_re: labelMap.optional(),
    group_wait: duration.optional(),
    group_interval: duration.optional(),
    repeat_interval: duration.optional(),
    mute_time_intervals: z.array(z.string()).optional(),
    active_time_intervals: z.array(z.string()).optional(),
  })
  .strict();

export type RouteInput = z.output<typeof routeBase> & { routes?: RouteInput[] };

export const routeSchema: z.ZodType<RouteInput, z.ZodTypeDef, unknown> = routeBase.extend({
  routes: z.lazy(() => z.array(routeSchema)).optional(),
}) as z.ZodType<RouteInput, z.ZodTypeDef, unknown>;

const webhookConfig = z
  .object({
    send_resolved: z.boolean().default(true),
    url: url.optional(),
    url_file: z.string().optional(),
    max_alerts: z.number().int().min(0).default(0),
    http_config: httpConfig.optional(),
  })
  .strict();

const slackConfig = z
  .object({
    send_resolved: z.boolean().default(false),
    api_url: url.optional(),
    api_url_file: z.string().optional(),
    channel: z.string().optional(),
    username: z.string().optional(),
    color: z.string().optional(),
    title: z.string().optional(),
    title_link: z.string().optional(),
    pretext: z.string().optional(),
    text: z.string().optional(),
    footer: z.string().optional(),
    fallback: z.string().optional(),
    icon_emoji: z.string().optional(),
    icon_url: z.string().optional(),
    link_names: z.boolean().optional(),
    short_fields: z.boolean().optional(),
    mrkdwn_in: z.array(z.string()).optional(),
    callback_id: z.string().optional(),
    image_url: z.string().optional(),
    thumb_url: z.string().optional(),
    fields: z.array(z.record(z.unknown())).optional(),
    actions: z.array(z.record(z.unknown())).optional(),
    http_config: httpConfig.optional(),
  })
  .strict();

const pagerdutyConfig = z
  .object({
    send_resolved: z.boolean().default(true),
    routing_key: z.string().optional(),
    routing_key_file: z.string().optional(),
    service_key: z.string().optional(),
    service_key_file: z.string().optional(),
    url: url.optional(),
    client: z.string().optional(),
    client_url: z.string().optional(),
    description: z.string().optional(),
    severity: z.string().optional(),
    class: z.string().optional(),
    component: z.string().optional(),
    group: z.string().optional(),
    source: z.string().optional(),
    details: labelMap.optional(),
    images: z.array(z.record(z.unknown())).optional(),
    links: z.array(z.record(z.unknown())).optional(),
    http_config: httpConfig.optional(),
  })
  .strict();

/** Receiver kinds Alertmanager knows and Tributary does not send to: accepted, reported as unsupported. */
export const UNSUPPORTED_RECEIVER_KINDS = [
  'email_configs',
  'opsgenie_configs',
  'pushover_configs',
  'sns_configs',
  'victorops_configs',
  'wechat_configs',
  'telegram_configs',
  'webex_configs',
  'discord_configs',
  'msteams_configs',
] as const;

const receiverSchema = z
  .object({
    name: z.string().min(1),
    webhook_configs: z.array(webhookConfig).optional(),
    slack_configs: z.array(slackConfig).optional(),
    pagerduty_configs: z.array(pagerdutyConfig).optional(),
    ...Object.fromEntries(UNSUPPORTED_RECEIVER_KINDS.map((k) => [k, z.array(z.unknown()).optional()])),
  })
  .strict();

const inhibitRuleSchema = z
  .object({
    source_matchers: z.array(z.string()).optional(),
    target_matchers: z.array(z.string()).optional(),
    source_match: labelMap.optional(),
    source_match_re: labelMap.optional(),
    target_match: labelMap.optional(),
    target_match_re: labelMap.optional(),
    equal: z.array(z.string()).optional(),
  })
  .strict();

const timeRange = z.object({ start_time: z.string(), end_time: z.string() }).strict();
const timeIntervalSpec = z
  .object({
    times: z.array(timeRange).optional(),
    weekdays: z.array(z.string()).optional(),
    days_of_month: z.array(z.string()).optional(),
    months: z.array(z.string()).optional(),
    years: z.array(z.string()).optional(),
    location: z.string().optional(),
  })
  .strict();
const namedInterval = z
  .object({ name: z.string().min(1), time_intervals: z.array(timeIntervalSpec) })
  .strict();

const globalSchema = z
  .object({
    resolve_timeout: duration.default('5m'),
    http_config: httpConfig.optional(),
    slack_api_url: url.optional(),
    slack_api_url_file: z.string().optional(),
    pagerduty_url: url.default('https://events.pagerduty.com/v2/enqueue'),
    ...Object.fromEntries(
      [
        'smtp_from',
        'smtp_hello',
        'smtp_smarthost',
        'smtp_auth_username',
        'smtp_auth_password',
        'smtp_auth_password_file',
        'smtp_auth_secret',
        'smtp_auth_identity',
        'smtp_require_tls',
        'victorops_api_key',
        'victorops_api_key_file',
        'victorops_api_url',
        'opsgenie_api_key',
        'opsgenie_api_key_file',
        'opsgenie_api_url',
        'wechat_api_url',
        'wechat_api_secret',
        'wechat_api_corp_id',
        'telegram_api_url',
        'webex_api_url',
      ].map((k) => [k, z.unknown().optional()]),
    ),
  })
  .strict();

export const alertmanagerConfigSchema = z
  .object({
    global: globalSchema.default({}),
    templates: z.array(z.string()).optional(),
    route: routeSchema.optional(),
    receivers: z.array(receiverSchema).default([]),
    inhibit_rules: z.array(inhibitRuleSchema).default([]),
    mute_time_intervals: z.array(namedInterval).default([]),
    time_intervals: z.array(namedInterval).default([]),
  })
  .strict();

export type AlertmanagerConfigInput = z.output<typeof alertmanagerConfigSchema>;
export type ReceiverInput = z.output<typeof receiverSchema>;
export type InhibitRuleInput = z.output<typeof inhibitRuleSchema>;
export type TimeIntervalSpecInput = z.output<typeof timeIntervalSpec>;
export type WebhookConfigInput = z.output<typeof webhookConfig>;
export type SlackConfigInput = z.output<typeof slackConfig>;
export type PagerdutyConfigInput = z.output<typeof pagerdutyConfig>;
