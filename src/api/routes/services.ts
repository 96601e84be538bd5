import { Router } from 'express';
import type { ServiceCatalog } from '../../stages/resolve-services/service-catalog.ts';
import { visibleServices, type TeamServices } from '../auth/team-scope.ts';

/** `GET /v1/services`: every service seen, with the sources, hosts and containers that reported it. */
export function serviceRoutes(deps: { catalog: ServiceCatalog; servicesOfTeam: TeamServices }): Router {
  const router = Router();
  router.get('/v1/services', async (_req, res, next) => {
    try {
      const visible = visibleServices(res, deps.servicesOfTeam);
      const items = await deps.catalog.list();
      res.json({ items: visible ? items.filter((s) => visible.includes(s.name)) : items });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
