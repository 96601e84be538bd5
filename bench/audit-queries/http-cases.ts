import { PEOPLE } from './audit-entries.ts';
import { draw, type Drawn } from './draw-parameters.ts';
import type { FleetSpec } from './fleet.ts';
import { ADMIN_SECRET, teamSecret, type RunningApi } from './http-api.ts';
import type { QueryCase } from './measure.ts';

/** GET with a bearer key; the number of items (or verified entries) of the answer. */
async function get(api: RunningApi, path: string, secret: string): Promise<number> {
  const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${secret}` } });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${path.slice(0, 80)}: ${response.status} ${text.slice(0, 120)}`);
  const body = JSON.parse(text) as { items?: unknown[]; entries?: number };
  return body.items?.length ?? body.entries ?? 0;
}

/** A few of the store cases again, through the real API, so its overhead shows. */
export function httpCases(api: RunningApi, spec: FleetSpec, withAudit: boolean): QueryCase[] {
  const one = (
    name: string,
    path: (d: Drawn) => string,
    secret = (_d: Drawn) => ADMIN_SECRET,
  ): QueryCase => ({
    name,
    via: 'http',
    prepare: async (random) => {
      const d = draw(spec, random);
      const target = path(d);
      const key = secret(d);
      return () => get(api, target, key);
    },
  });
  const q = (params: Record<string, string>): string => new URLSearchParams(params).toString();
  const cases: QueryCase[] = [
    one('GET /healthz (HTTP floor)', () => '/healthz'),
    one(
      'service + 1 h window, newest 100',
      (d) => `/v1/events?${q({ service: d.service, from: d.from, to: d.to })}`,
    ),
    one('trace_id lookup', (d) => `/v1/events?${q({ trace_id: d.traceId, sort: 'asc' })}`),
    one('q: 2 words', (d) => `/v1/events?${q({ q: d.twoWords })}`),
    one(
      'team-scoped: services list of 5, newest 100',
      () => '/v1/events',
      (d) => teamSecret(d.team),
    ),
    one(
      'logs of a service, latest 100, by timestamp',
      (d) => `/v1/logs?${q({ service: d.service, sort: 'desc', order: 'timestamp' })}`,
    ),
    one(
      'logs of a service, latest 100, causal',
      (d) => `/v1/logs?${q({ service: d.service, sort: 'desc', order: 'causal' })}`,
    ),
  ];
  if (!withAudit) return cases;
  return [
    ...cases,
    {
      name: 'audit: by actor (a person), newest 100',
      via: 'http',
      prepare: async (random) => {
        const actor = PEOPLE[Math.floor(random() * PEOPLE.length)] as string;
        return () => get(api, `/v1/audit?${q({ actor })}`, ADMIN_SECRET);
      },
    },
    {
      name: 'audit: verify the whole chain',
      via: 'http',
      runs: 10,
      prepare: async () => () => get(api, '/v1/audit/verify', ADMIN_SECRET),
    },
  ];
}
