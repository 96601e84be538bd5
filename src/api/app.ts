import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Intake } from '../pipeline/intake.ts';
import type { EventStore } from '../store/event-store.ts';
import { ApiError } from './errors.ts';
import { healthRoutes, type ReadinessCheck } from './routes/health.ts';
import { queryRoutes } from './routes/query.ts';
import { rejectionRoutes, type RejectionReader } from './routes/rejections.ts';
import { serviceRoutes } from './routes/services.ts';
import type { ServiceCatalog } from '../stages/resolve-services/service-catalog.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { ApiKeyRecord } from './auth/api-keys.ts';
import { accessControl } from './auth/authenticate.ts';
import { createScopeLookup } from './auth/match-operation.ts';
import { RateLimiter } from './auth/rate-limiter.ts';
import type { TeamServices } from './auth/team-scope.ts';
import { openApiDocument } from './openapi.ts';
import { adminKeyRoutes, type KeyAdmin } from './routes/admin-keys.ts';
import { auditRoutes } from './routes/audit.ts';

export interface AppDeps {
  intake: Intake;
  store: EventStore;
  rejections: RejectionReader;
  catalog: ServiceCatalog;
  registry: Registry;
  readiness: readonly ReadinessCheck[];
  isShuttingDown: () => boolean;
  logger: Logger;
  /** Routes of the sources (ingest) and features (dashboards, web view), built by the pipeline wiring. */
  routes: readonly Router[];
  audit: AuditLog;
  /** Every valid key (config and API-created); none = open mode. */
  keys: () => readonly ApiKeyRecord[];
  keyAdmin: KeyAdmin;
  servicesOfTeam: TeamServices;
  rateLimit: { perSecond: number; burst: number };
}

/** The express application (no listen here: the pipeline wiring owns the server). */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use((_req, res, next) => {
    res.set({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    next();
  });
  app.use(
    accessControl({
      keys: deps.keys,
      scopeOf: createScopeLookup(openApiDocument.paths),
      limiter: new RateLimiter(deps.rateLimit.perSecond, deps.rateLimit.burst),
    }),
  );
  app.use(healthRoutes(deps));
  for (const routes of deps.routes) app.use(routes);
  app.use(queryRoutes(deps));
  app.use(rejectionRoutes(deps));
  app.use(serviceRoutes(deps));
  app.use(auditRoutes(deps));
  app.use(adminKeyRoutes({ keys: deps.keyAdmin, audit: deps.audit }));
  app.use((req, _res, next) => {
    next(
      new ApiError('TRB_NOT_FOUND', `no route ${req.method} ${req.path.slice(0, 200)}: see /openapi.json`),
    );
  });
  app.use(errorHandler(deps.logger));
  return app;
}

/** Turns any error into the catalogue's shape; body-parser's errors become 413/415/400/408. */
function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const apiError = toApiError(err);
    if (apiError.status >= 500 && apiError.code === 'TRB_INTERNAL') {
      logger.error({ err, method: req.method, path: req.path }, 'request failed');
    }
    if (apiError.headers) res.set(apiError.headers);
    if (apiError.status === 413 || apiError.status === 408) res.set('Connection', 'close');
    res.status(apiError.status).json(apiError.toBody());
  };
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as { type?: string; status?: number; limit?: number; message?: string };
  switch (e.type) {
    case 'entity.too.large':
      return new ApiError(
        'TRB_BODY_TOO_LARGE',
        `the body exceeds the limit of ${e.limit} bytes (server.maxBody): split it into smaller batches`,
      );
    case 'encoding.unsupported':
      return new ApiError('TRB_UNSUPPORTED_MEDIA_TYPE', `${e.message}: use gzip, deflate or identity`);
    case 'request.aborted':
      return new ApiError(
        'TRB_REQUEST_TIMEOUT',
        'the client aborted the request before the body was complete',
      );
    case 'request.size.invalid':
    case 'entity.verify.failed':
    case 'entity.parse.failed':
      return new ApiError('TRB_INVALID_REQUEST', e.message ?? 'invalid body');
  }
  if (e.status === 400) return new ApiError('TRB_INVALID_REQUEST', e.message ?? 'invalid request');
  return new ApiError('TRB_INTERNAL', 'internal error: see the server log');
}
