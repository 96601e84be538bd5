import { Router, type NextFunction, type Request, type Response } from 'express';
import type { TraceFinder } from '../../stages/link-traces/trace-finder.ts';
import { toOtlpExport } from '../../stages/link-traces/to-otlp.ts';
import { visibleServices, type TeamServices } from '../auth/team-scope.ts';
import { ApiError } from '../errors.ts';

const PARAMETERS: Readonly<Record<string, readonly string[]>> = {
  format: ['json', 'otlp'],
  heuristic: ['true', 'false'],
};

/**
 * `GET /v1/traces/:id`: one request's trace, whichever agents recorded it. `id` is an OTel trace id
 * (32 hex) or a Pinpoint transaction id (`agentId^agentStartTime^sequence`, `^` URL-encoded as %5E).
 * `format=otlp` answers an OTLP/JSON ExportTraceServiceRequest; `heuristic=false` leaves out joins
 * made by timing alone. A team-scoped key sees only its services' spans and logs.
 */
export function traceRoutes(deps: { traces: TraceFinder; servicesOfTeam: TeamServices }): Router {
  const router = Router();
  router.get('/v1/traces/:id', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const query = readQuery(req);
      const services = visibleServices(res, deps.servicesOfTeam);
      const result = await deps.traces.find(String(req.params.id), {
        services,
        ...(query.heuristic === undefined ? {} : { heuristic: query.heuristic === 'true' }),
      });
      if (result.kind === 'invalid') throw new ApiError('TRB_INVALID_REQUEST', result.message);
      if (result.kind === 'not-found') throw new ApiError('TRB_NOT_FOUND', result.message);
      res.json(query.format === 'otlp' ? toOtlpExport(result.trace) : result.trace);
    } catch (err) {
      next(err);
    }
  });
  return router;
}

function readQuery(req: Request): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.query)) {
    const allowed = Object.hasOwn(PARAMETERS, name) ? PARAMETERS[name] : undefined;
    const shown = name.slice(0, 64);
    if (!allowed)
      throw new ApiError(
        'TRB_INVALID_REQUEST',
        `invalid query: ${shown} is not a known parameter (format, heuristic)`,
      );
    if (typeof value !== 'string')
      throw new ApiError(
        'TRB_INVALID_REQUEST',
        `query parameter "${shown}" must be given once, as a plain value`,
      );
    if (!allowed.includes(value))
      throw new ApiError(
        'TRB_INVALID_REQUEST',
        `invalid query: ${shown} must be one of ${allowed.join(', ')}`,
      );
    out[name] = value;
  }
  return out;
}
