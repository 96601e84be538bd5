import { Router, type Request } from 'express';
import type { Logger } from 'pino';
import { ApiError } from '../api/errors.ts';
import type { ServiceCatalog } from '../stages/resolve-services/service-catalog.ts';
import type { DashboardsConfig, TeamServices } from './config.ts';
import { anyFailed, publishServiceDashboards } from './publish.ts';
import { loadRenderer } from './load-renderer.ts';
import type { ServiceDashboards } from './render.ts';
import { serviceDirName, serviceNameProblem } from './service-name.ts';

export interface DashboardRouteDeps {
  catalog: ServiceCatalog;
  dashboards: DashboardsConfig;
  teams?: TeamServices;
  logger?: Logger;
}

const FORMATS = ['grafana', 'kibana'] as const;

/**
 * `GET /v1/dashboards/:service?format=grafana|kibana`: the generated dashboard (Grafana JSON or Kibana
 * NDJSON); `POST /v1/dashboards/:service/publish`: publishes both where configured. Only services in
 * the catalog have dashboards here.
 */
export function dashboardRoutes(deps: DashboardRouteDeps): Router {
  const router = Router();
  router.get('/v1/dashboards/:service', async (req, res, next) => {
    try {
      const format = req.query.format ?? 'grafana';
      if (typeof format !== 'string' || !(FORMATS as readonly string[]).includes(format)) {
        throw new ApiError('TRB_INVALID_REQUEST', `invalid query: format must be one of ${FORMATS.join(', ')}`);
      }
      const generated = await dashboardsOf(req, deps);
      const file = serviceDirName(generated.service);
      if (format === 'grafana') {
        res.type('application/json').set('Content-Disposition', `inline; filename="${file}-grafana.json"`);
        res.send(generated.grafana.json);
      } else {
        res.type('application/x-ndjson').set('Content-Disposition', `attachment; filename="${file}-kibana.ndjson"`);
        res.send(generated.kibana.ndjson);
      }
    } catch (err) {
      next(err);
    }
  });
  router.post('/v1/dashboards/:service/publish', async (req, res, next) => {
    try {
      const generated = await dashboardsOf(req, deps);
      const result = await publishServiceDashboards(generated, deps.dashboards, deps.teams);
      if (!anyFailed(result)) {
        res.json(result);
        return;
      }
      deps.logger?.warn({ result }, 'dashboard publish failed');
      // Not an ApiError: the catalogue has no upstream-failure code yet (proposed: TRB_UPSTREAM_FAILED, 502).
      res.status(502).json({
        error: {
          code: 'TRB_UPSTREAM_FAILED',
          message: `publishing the dashboards of "${generated.service}" failed: see details`,
          details: result,
        },
      });
    } catch (err) {
      next(err);
    }
  });
  return router;
}

async function dashboardsOf(req: Request, deps: DashboardRouteDeps): Promise<ServiceDashboards> {
  const service = String(req.params.service);
  const problem = serviceNameProblem(service);
  if (problem !== null) throw new ApiError('TRB_INVALID_REQUEST', `invalid service name: ${problem}`);
  const known = (await deps.catalog.list()).some((entry) => entry.name === service);
  if (!known) {
    throw new ApiError('TRB_NOT_FOUND', `no service ${JSON.stringify(service.slice(0, 200))}: see /v1/services`);
  }
  const { renderServiceDashboards } = await loadRenderer();
  return renderServiceDashboards(service, deps.dashboards);
}
