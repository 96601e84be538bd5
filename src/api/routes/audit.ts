import { Router } from 'express';
import type { AuditLog } from '../../audit/audit-log.ts';
import { InvalidCursor } from '../../store/event-store.ts';
import { principalOfRequest } from '../auth/authenticate.ts';
import { ApiError } from '../errors.ts';
import { validateQuery } from '../validate-request.ts';
import { instantParam } from './query.ts';

/** `GET /v1/audit` (newest first) and `GET /v1/audit/verify`. Team-scoped keys may not read the trail. */
export function auditRoutes(deps: { audit: AuditLog }): Router {
  const router = Router();
  router.use('/v1/audit', (_req, res, next) => {
    if (principalOfRequest(res)?.team)
      next(new ApiError('TRB_FORBIDDEN', 'team-scoped keys cannot read the audit trail'));
    else next();
  });
  router.get('/v1/audit', validateQuery('get', '/v1/audit'), async (_req, res, next) => {
    try {
      const p = res.locals.query as Record<string, string | number | undefined>;
      const text = (k: string): string | undefined =>
        typeof p[k] === 'string' ? (p[k] as string) : undefined;
      const from = text('from');
      const to = text('to');
      res.json(
        await deps.audit.query({
          limit: Number(p.limit ?? 100),
          ...(text('actor') ? { actor: text('actor') } : {}),
          ...(text('action') ? { action: text('action') } : {}),
          ...(text('target') ? { target: text('target') } : {}),
          ...(from ? { from: instantParam('from', from) } : {}),
          ...(to ? { to: instantParam('to', to) } : {}),
          ...(text('cursor') ? { cursor: text('cursor') } : {}),
        }),
      );
    } catch (err) {
      next(err instanceof InvalidCursor ? new ApiError('TRB_INVALID_CURSOR', err.message) : err);
    }
  });
  router.get('/v1/audit/verify', async (_req, res, next) => {
    try {
      res.json(await deps.audit.verify());
    } catch (err) {
      next(err);
    }
  });
  return router;
}
