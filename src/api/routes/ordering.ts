import { Router } from 'express';
import type { HostOffsetView } from '../../stages/order-logs/host-offsets.ts';
import type { OrderingStats } from '../../stages/order-logs/ordering-stage.ts';
import type { StreamView } from '../../stages/order-logs/watermarks.ts';
import { principalOfRequest } from '../auth/authenticate.ts';
import { ApiError } from '../errors.ts';
import { validateQuery } from '../validate-request.ts';

/** What the ordering stage can say about itself (the stage, or null when ordering is off). */
export interface OrderingView {
  offsets(): HostOffsetView[];
  streams(): StreamView[];
  stats(): OrderingStats;
}

/**
 * `GET /v1/ordering`: why logs sit where they sit. Each host's estimated clock offset with its error
 * bound, each stream's watermark and lateness (the slowest first: those hold the others back), and the
 * stage's counters (late, forced, timeouts, violations).
 */
export function orderingRoutes(deps: { ordering: OrderingView | null }): Router {
  const router = Router();
  router.get('/v1/ordering', validateQuery('get', '/v1/ordering'), (_req, res, next) => {
    try {
      if (principalOfRequest(res)?.team) {
        throw new ApiError(
          'TRB_FORBIDDEN',
          'team-scoped keys cannot read the fleet-wide clock offsets: use a key without a team',
        );
      }
      const { limit } = res.locals.query as { limit: number };
      const { ordering } = deps;
      if (!ordering) {
        res.json({ enabled: false, stats: null, hosts: [], streams: [] });
        return;
      }
      const hosts = ordering
        .offsets()
        .sort((a, b) => Math.abs(b.offsetMs) - Math.abs(a.offsetMs) || (a.host < b.host ? -1 : 1))
        .slice(0, limit);
      const streams = ordering
        .streams()
        .sort((a, b) => a.watermark - b.watermark || (a.stream < b.stream ? -1 : 1))
        .slice(0, limit)
        .map((s) => ({
          ...s,
          watermark: Number.isFinite(s.watermark) ? new Date(s.watermark).toISOString() : null,
        }));
      res.json({ enabled: true, stats: ordering.stats(), hosts, streams });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
