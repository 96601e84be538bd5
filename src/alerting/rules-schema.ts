import { z } from 'zod';
import { duration } from './alertmanager-schema.ts';

/**
 * The rule files in `rules/` (YAML). Each file holds `groups:` of rules and/or a `noise:` section with
 * Tributary's noise-reduction settings. Unknown keys are errors. See rules/README.md.
 */
const labelMap = z
  .record(z.string().max(1024))
  .refine((m) => Object.keys(m).length <= 64, 'at most 64 entries');
const matchers = z.array(z.string().max(2048)).max(32);
const op = z.enum(['>', '>=', '<', '<=', '==', '!=']);

const seriesRef = z
  .object({
    series: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'must be a metric name'),
    matchers: matchers.default([]),
    /** value (last sample), rate (per second), increase, changes (number of value changes) over `window`. */
    function: z.enum(['value', 'rate', 'increase', 'changes']).default('value'),
    window: duration.default('5m'),
  })
  .strict();

const metricCondition = seriesRef
  .extend({
    /** Ratio: this series (same container or host) divides the first. */
    divide_by: z.union([z.string(), seriesRef]).optional(),
    op,
    threshold: z.number().finite(),
  })
  .strict();

const absentCondition = z
  .object({
    series: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'must be a metric name'),
    matchers: matchers.default([]),
  })
  .strict();

const logCondition = z
  .object({
    level: z.array(z.string().max(32)).max(16).optional(),
    /** RE2 regex searched in the message. */
    pattern: z.string().max(1024).optional(),
    /** Fires when more than this many matching logs arrive within `window`, per service. */
    count_over: z.number().int().min(0).default(0),
    window: duration.default('5m'),
  })
  .strict()
  .refine((c) => c.level !== undefined || c.pattern !== undefined, 'needs level or pattern (or both)');

const checkCondition = z
  .object({
    /** true: host checks only; false: service checks only; absent: both. */
    host_check: z.boolean().optional(),
    /** RE2 regex over the Nagios service description. */
    service: z.string().max(1024).optional(),
    /** RE2 regex of service descriptions this rule leaves to others (RE2 has no negative lookahead). */
    exclude_service: z.string().max(1024).optional(),
    /** RE2 regex over the Nagios host_name. */
    host: z.string().max(1024).optional(),
    /** State names (CRITICAL, WARNING, UNKNOWN, DOWN, UNREACHABLE) that fire. */
    states: z.array(z.enum(['WARNING', 'CRITICAL', 'UNKNOWN', 'DOWN', 'UNREACHABLE'])).min(1),
  })
  .strict();

const prometheusCondition = z.object({ matchers: matchers.default([]) }).strict();

export const ruleSchema = z
  .object({
    alert: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a valid alert name'),
    metric: metricCondition.optional(),
    absent: absentCondition.optional(),
    log: logCondition.optional(),
    check: checkCondition.optional(),
    prometheus: prometheusCondition.optional(),
    for: duration.default('0s'),
    /** A firing alert not confirmed for this long resolves by itself (its source went quiet). */
    stale_after: duration.default('10m'),
    labels: labelMap.default({}),
    annotations: labelMap.default({}),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const kinds = (['metric', 'absent', 'log', 'check', 'prometheus'] as const).filter(
      (k) => rule[k] !== undefined,
    );
    if (kinds.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `a rule needs exactly one of metric, absent, log, check, prometheus (found ${kinds.length ? kinds.join(', ') : 'none'})`,
      });
    }
  });

const noiseSchema = z
  .object({
    merge: z
      .object({
        classes: z.record(z.string()).default({}),
        ignore_labels: z.array(z.string()).default(['replica', 'prometheus_replica']),
      })
      .strict()
      .default({}),
    topology: z
      .object({
        parent_wait: duration.default('10s'),
        parents: z.record(z.array(z.string())).default({}),
        /** A Nagios objects.cache whose host `parents` are read as well. */
        nagios_objects: z.string().optional(),
        down_matchers: matchers.default(['class="down"']),
      })
      .strict()
      .default({}),
    flap: z
      .object({
        low: z.number().min(0).max(100).default(5),
        high: z.number().min(0).max(100).default(20),
        sample_interval: duration.default('1m'),
      })
      .strict()
      .refine((f) => f.low < f.high, 'low must be below high')
      .default({}),
    /** How often quiet flap states are sampled and old incidents forgotten. */
    tick_interval: duration.default('10s'),
    notify: z
      .object({
        timeout: duration.default('1m'),
        initial_backoff: duration.default('1s'),
        max_backoff: duration.default('30s'),
        lease: duration.default('2m'),
      })
      .strict()
      .refine((n) => n.lease > n.timeout, 'lease must be longer than timeout')
      .default({}),
  })
  .strict();

export const ruleFileSchema = z
  .object({
    groups: z.array(z.object({ name: z.string().min(1), rules: z.array(ruleSchema) }).strict()).default([]),
    noise: noiseSchema.optional(),
  })
  .strict();

export type RuleInput = z.output<typeof ruleSchema>;
export type NoiseInput = z.output<typeof noiseSchema>;
export type RuleFileInput = z.output<typeof ruleFileSchema>;
export type MetricConditionInput = z.output<typeof metricCondition>;
export type SeriesRefInput = z.output<typeof seriesRef>;
