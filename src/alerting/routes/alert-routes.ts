import { Router, type NextFunction, type Request, type Response } from 'express';
import { visibleServices, type TeamServices } from '../../api/auth/team-scope.ts';
import { ApiError } from '../../api/errors.ts';
import { DECISION_KINDS, type DecisionReader } from '../../stages/reduce-noise/decision.ts';
import { InvalidIncidentCursor, type IncidentReader } from '../../stages/reduce-noise/incident-store.ts';
import { oneOf, readQuery } from './query-params.ts';

export interface AlertRoutesDeps {
  incidents: IncidentReader;
  decisions: DecisionReader;
  servicesOfTeam: TeamServices;
}

/**
 * `GET /v1/alerts`: incidents with their alerts, newest update first (filters status, service, from, to,
 * limit, cursor). `GET /v1/notifications`: every decision with its reason, newest first (filters
 * decision, receiver, service, group_key, from, to, limit, cursor). Team-scoped keys see their services.
 */
export function alertRoutes(deps: AlertRoutesDeps): Router {
  const router = Router();
  router.get('/v1/alerts', (req, res, next) =>
    handle(req, res, next, async () => {
      const q = readQuery(req, ['status', 'service', 'from', 'to', 'limit', 'cursor']);
      const status = oneOf('status', q.status, ['firing', 'resolved'] as const);
      try {
        return await deps.incidents.query({
          limit: Number(q.limit),
          services: visibleServices(res, deps.servicesOfTeam),
          ...(status ? { status } : {}),
          ...(q.service ? { service: q.service } : {}),
          ...(q.from ? { from: toIso(q.from) } : {}),
          ...(q.to ? { to: toIso(q.to) } : {}),
          ...(q.cursor ? { cursor: q.cursor } : {}),
        });
      } catch (err) {
        if (err instanceof InvalidIncidentCursor) throw new ApiError('TRB_INVALID_CURSOR', err.message);
        throw err;
      }
    }),
  );
  router.get('/v1/notifications', (req, res, next) =>
    handle(req, res, next, async () => {
      const q = readQuery(req, [
        'decision',
        'receiver',
        'service',
        'group_key',
        'from',
        'to',
        'limit',
        'cursor',
      ]);
      const decision = oneOf('decision', q.decision, DECISION_KINDS);
      if (q.cursor !== undefined && !/^[1-9]\d{0,15}$/.test(q.cursor)) {
        throw new ApiError('TRB_INVALID_CURSOR', 'cursor is malformed: pass back `next` unchanged');
      }
      const page = await deps.decisions.query({
        limit: Number(q.limit),
        services: visibleServices(res, deps.servicesOfTeam),
        ...(decision ? { decision } : {}),
        ...(q.receiver ? { receiver: q.receiver } : {}),
        ...(q.service ? { service: q.service } : {}),
        ...(q.group_key ? { groupKey: q.group_key } : {}),
        ...(q.from ? { from: Date.parse(toIso(q.from)) } : {}),
        ...(q.to ? { to: Date.parse(toIso(q.to)) } : {}),
        ...(q.cursor ? { cursor: Number(q.cursor) } : {}),
      });
      return {
        items: page.items.map((d) => ({ ...d, time: new Date(d.time).toISOString() })),
        next: page.next,
      };
    }),
  );
  return router;
}

/** The nine-digit instants of the API to the millisecond ISO strings incidents carry. */
function toIso(instant: string): string {
  return new Date(Date.parse(instant)).toISOString();
}

async function handle(
  _req: Request,
  res: Response,
  next: NextFunction,
  work: () => Promise<unknown>,
): Promise<void> {
  try {
    res.json(await work());
  } catch (err) {
    next(err);
  }
}
