import type { AuditLog } from '../../src/audit/audit-log.ts';
import { instantFromUnixMillis } from '../../src/core/time.ts';
import type { EventQuery, EventStore } from '../../src/store/event-store.ts';
import { AUDIT_ACTIONS, PEOPLE } from './audit-entries.ts';
import { draw, window, type Drawn } from './draw-parameters.ts';
import type { FleetSpec } from './fleet.ts';
import type { QueryCase } from './measure.ts';

const LIMIT = 100;

/** The typical questions, asked through the EventStore interface. */
export function eventStoreCases(store: EventStore, spec: FleetSpec): QueryCase[] {
  const full = {
    from: instantFromUnixMillis(spec.startMs) as string,
    to: instantFromUnixMillis(spec.endMs) as string,
  };
  const one = (name: string, build: (d: Drawn) => EventQuery): QueryCase => ({
    name,
    via: 'store',
    prepare: async (random) => {
      const query = build(draw(spec, random));
      return async () => (await store.query(query)).items.length;
    },
  });
  const desc = { limit: LIMIT, order: 'desc' } as const;
  return [
    one('service + 1 h window, newest 100', (d) => ({ ...desc, service: d.service, from: d.from, to: d.to })),
    one('service + level=error, full range', (d) => ({
      ...desc,
      service: d.service,
      level: 'error',
      ...full,
    })),
    one('trace_id lookup (causal, as trace assembly)', (d) => ({
      traceId: d.traceId,
      limit: LIMIT,
      order: 'asc',
      sortBy: 'causal',
    })),
    one('q: 1 rare word (an order id)', (d) => ({ ...desc, q: d.orderId })),
    one('q: 1 common word (0.1-10% of events)', (d) => ({ ...desc, q: d.commonWord })),
    one('q: 2 words', (d) => ({ ...desc, q: d.twoWords })),
    one('service + q: 1 common word', (d) => ({ ...desc, service: d.service, q: d.commonWord })),
    one('host + kind', (d) => ({ ...desc, host: d.host, kinds: [d.kind] })),
    {
      name: 'service, pages 2..5 via cursor (one page timed)',
      via: 'store',
      prepare: async (random) => {
        const d = draw(spec, random);
        const query: EventQuery = { ...desc, service: d.service };
        const target = 2 + Math.floor(random() * 4);
        let cursor: string | null = null;
        for (let page = 1; page < target; page++) {
          cursor = (await store.query({ ...query, ...(cursor ? { cursor } : {}) })).next;
          if (cursor === null) break;
        }
        const next = cursor;
        return async () => (next === null ? 0 : (await store.query({ ...query, cursor: next })).items.length);
      },
    },
    one('team-scoped: services list of 5, newest 100', (d) => ({ ...desc, services: d.services })),
    one('team-scoped + level=error', (d) => ({ ...desc, services: d.services, level: 'error' })),
    one('logs of a service, latest 100, causal', (d) => ({
      ...desc,
      kinds: ['log'],
      service: d.service,
      sortBy: 'causal',
    })),
    one('logs of a service, latest 100, by timestamp', (d) => ({
      ...desc,
      kinds: ['log'],
      service: d.service,
    })),
    one('logs of a service, 1 h window, causal, oldest first', (d) => ({
      limit: LIMIT,
      order: 'asc',
      kinds: ['log'],
      service: d.service,
      from: d.from,
      to: d.to,
      sortBy: 'causal',
    })),
    one('logs, all services, latest 100, causal', () => ({ ...desc, kinds: ['log'], sortBy: 'causal' })),
  ];
}

/** The trail's questions through the AuditLog interface; `span` is the trail's [first, last] time. */
export function auditLogCases(log: AuditLog, span: { fromMs: number; toMs: number }): QueryCase[] {
  return [
    {
      name: 'audit: by actor (a person), newest 100',
      via: 'store',
      prepare: async (random) => {
        const actor = PEOPLE[Math.floor(random() * PEOPLE.length)] as string;
        return async () => (await log.query({ actor, limit: LIMIT })).items.length;
      },
    },
    {
      name: 'audit: by action + 10% time range',
      via: 'store',
      prepare: async (random) => {
        const action = AUDIT_ACTIONS[Math.floor(random() * AUDIT_ACTIONS.length)] as string;
        const range = window(random, span.fromMs, span.toMs, 0.1);
        return async () => (await log.query({ action, ...range, limit: LIMIT })).items.length;
      },
    },
    {
      name: 'audit: newest 100, page 2 via cursor',
      via: 'store',
      prepare: async () => {
        const first = await log.query({ limit: LIMIT });
        const cursor = first.next ?? undefined;
        return async () => (await log.query({ limit: LIMIT, ...(cursor ? { cursor } : {}) })).items.length;
      },
    },
    {
      name: 'audit: verify the whole chain',
      via: 'store',
      runs: 10,
      prepare: async () => async () => (await log.verify()).entries,
    },
  ];
}
