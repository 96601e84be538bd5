import { Router, type NextFunction, type Request, type Response } from 'express';
import type { EventKind } from '../../core/event.ts';
import { parseDuration } from '../../config/units.ts';
import { instantFromUnixMillis, parseTimestamp } from '../../core/time.ts';
import { InvalidCursor, type EventQuery, type EventStore } from '../../store/event-store.ts';
import { ApiError } from '../errors.ts';
import { validateQuery } from '../validate-request.ts';
import { visibleServices, type TeamServices } from '../auth/team-scope.ts';

/** `GET /v1/events` (everything) and `GET /v1/logs` (logs only), over the same store query. */
export function queryRoutes(deps: { store: EventStore; servicesOfTeam: TeamServices }): Router {
  const router = Router();
  router.get('/v1/events', validateQuery('get', '/v1/events'), handler(deps, null));
  router.get('/v1/logs', validateQuery('get', '/v1/logs'), handler(deps, ['log']));
  return router;
}

function handler(
  { store, servicesOfTeam }: { store: EventStore; servicesOfTeam: TeamServices },
  kinds: EventKind[] | null,
) {
  return async (_req: Request, res: Response, next: NextFunction) => {
    try {
      const query = toEventQuery(res.locals.query as Record<string, string | number | undefined>, kinds);
      const visible = visibleServices(res, servicesOfTeam);
      if (visible) query.services = visible;
      const page = await store.query(query);
      res.json(page);
    } catch (err) {
      if (err instanceof InvalidCursor) next(new ApiError('TRB_INVALID_CURSOR', err.message));
      else next(err);
    }
  };
}

export function toEventQuery(
  p: Record<string, string | number | undefined>,
  kinds: EventKind[] | null,
): EventQuery {
  const text = (name: string): string | undefined =>
    typeof p[name] === 'string' ? (p[name] as string) : undefined;
  const query: EventQuery = {
    limit: Number(p.limit ?? 100),
    order: text('sort') === 'asc' ? 'asc' : 'desc',
  };
  if (text('order') === 'causal') query.sortBy = 'causal';
  const kindParam = text('kind');
  if (kinds) query.kinds = kinds;
  else if (kindParam) query.kinds = [...new Set(kindParam.split(','))] as EventKind[];
  for (const [param, key] of [
    ['service', 'service'],
    ['host', 'host'],
    ['level', 'level'],
    ['source', 'source'],
    ['q', 'q'],
    ['trace_id', 'traceId'],
    ['cursor', 'cursor'],
  ] as const) {
    const value = text(param);
    if (value !== undefined) query[key] = value;
  }
  const from = text('from');
  const to = text('to');
  if (from !== undefined) query.from = instantParam('from', from);
  if (to !== undefined) query.to = instantParam('to', to);
  return query;
}

export function instantParam(name: string, value: string): string {
  const relative = /^now(?:-(.+))?$/.exec(value);
  if (relative) {
    const ago = relative[1] === undefined ? 0 : parseDuration(relative[1]);
    if (ago !== null) return instantFromUnixMillis(Date.now() - ago) as string;
  } else {
    const instant = parseTimestamp(value);
    if (instant !== null) return instant;
  }
  throw new ApiError(
    'TRB_INVALID_REQUEST',
    `invalid query: ${name} "${value.slice(0, 64)}" is neither an ISO-8601 timestamp nor now-<duration> (e.g. now-15m)`,
  );
}
