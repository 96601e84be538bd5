import { Router } from 'express';
import type { StoredRejection } from '../../store/event-store.ts';
import { validateQuery } from '../validate-request.ts';
import { principalOfRequest } from '../auth/authenticate.ts';
import { ApiError } from '../errors.ts';

export interface RejectionReader {
  list(options: { source?: string; limit: number }): Promise<StoredRejection[]>;
}

/** `GET /v1/rejections`: what was refused, why, and the raw record (dead letters). */
export function rejectionRoutes(deps: { rejections: RejectionReader }): Router {
  const router = Router();
  router.get('/v1/rejections', validateQuery('get', '/v1/rejections'), async (_req, res, next) => {
    try {
      if (principalOfRequest(res)?.team) {
        throw new ApiError(
          'TRB_FORBIDDEN',
          'team-scoped keys cannot read dead letters (they belong to no service)',
        );
      }
      const { source, limit } = res.locals.query as { source?: string; limit: number };
      res.json({ items: await deps.rejections.list({ ...(source ? { source } : {}), limit }) });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
