import { z } from 'zod';
import type { TributaryEvent } from '../../core/event.ts';

/**
 * What a record of the internal topic must hold to be stored: the TributaryEvent model, checked field by
 * field, since anyone with access to the topic can write to it. Unknown keys are dropped.
 */
const instant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/, 'not a normalized instant');
const nullableString = z.string().nullable();
const stringRecord = z.record(z.string());

const envelope = {
  id: z.string().min(1).max(200),
  source: z.string().min(1),
  service: nullableString,
  host: nullableString,
  container: nullableString,
  time: instant,
  timestamp: nullableString,
  sourceKey: nullableString,
  sequence: z
    .string()
    .regex(/^\d{1,40}$/, 'not a decimal sequence')
    .nullable(),
  trace: z
    .object({
      traceId: z.string().regex(/^[0-9a-f]{32}$/, 'not 32 lowercase hex digits'),
      spanId: z.string().nullable(),
      parentSpanId: z.string().nullable().optional(),
    })
    .nullable(),
  message: z.string(),
  attributes: z.record(z.unknown()),
};

/** JSON has no NaN or infinities: the encoder writes them as these strings (see internal-event-codec). */
const NON_FINITE = { NaN: Number.NaN, '+Inf': Number.POSITIVE_INFINITY, '-Inf': Number.NEGATIVE_INFINITY };
const metricValue = z.union([
  z.number(),
  z.enum(['NaN', '+Inf', '-Inf']).transform((text) => NON_FINITE[text]),
]);

const log = z.object({ ...envelope, kind: z.literal('log'), level: nullableString });

const metric = z.object({
  ...envelope,
  kind: z.literal('metric'),
  name: z.string().min(1),
  value: metricValue,
  valueText: z.string().optional(),
  labels: stringRecord,
  metricType: z.enum(['counter', 'gauge', 'histogram', 'summary', 'untyped']).optional(),
});

const span = z.object({
  ...envelope,
  kind: z.literal('span'),
  name: z.string(),
  spanKind: z.enum(['internal', 'server', 'client', 'producer', 'consumer', 'unspecified']),
  endTime: instant,
  durationMs: z.number(),
  status: z.enum(['unset', 'ok', 'error']),
});

const perfdatum = z.object({
  label: z.string(),
  value: z.number().nullable(),
  unit: z.string(),
  warn: nullableString,
  crit: nullableString,
  min: z.number().nullable(),
  max: z.number().nullable(),
});

const check = z.object({
  ...envelope,
  kind: z.literal('check'),
  checkHost: z.string(),
  checkService: nullableString,
  status: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
  stateType: z.enum(['SOFT', 'HARD']).nullable(),
  attempt: z.number().int().nullable(),
  maxAttempts: z.number().int().nullable(),
  output: z.string(),
  longOutput: z.string(),
  perfdata: z.array(perfdatum),
});

const alert = z.object({
  ...envelope,
  kind: z.literal('alert'),
  name: z.string(),
  status: z.enum(['firing', 'resolved']),
  labels: stringRecord,
  annotations: stringRecord,
  endsAt: instant.nullable(),
});

export const internalEventSchema = z.discriminatedUnion('kind', [log, metric, span, check, alert]);

// Fails to compile when the event model gains a field this schema does not produce.
const _schemaCoversModel: z.output<typeof internalEventSchema> extends TributaryEvent ? true : never = true;
