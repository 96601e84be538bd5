import { Router, type NextFunction, type Request, type Response } from 'express';
import type { CheckEvent } from '../core/event.ts';
import type { ServiceCatalog } from '../stages/resolve-services/service-catalog.ts';
import type { EventStore } from '../store/event-store.ts';
import { hostOverview, stateChanges } from './host-overview.ts';
import { hostsPage } from './hosts-page.ts';
import { indexPage } from './index-page.ts';
import { readServiceDetail, readServiceHealth } from './read-service.ts';
import { servicePage } from './service-page.ts';
import { CONTENT_SECURITY_POLICY } from './style.ts';
import { html } from './html.ts';
import { page } from './layout.ts';
import { visibleServices, type TeamServices } from '../api/auth/team-scope.ts';

export interface WebDeps {
  catalog: ServiceCatalog;
  store: EventStore;
  /** Wall clock in ms (tests pin it); defaults to Date.now. */
  now?: () => number;
  /** A team key's services: its pages show only those (no other team's service, host or check). */
  servicesOfTeam?: TeamServices;
}

/** Check results read for /hosts: enough for a fleet's latest states and recent changes. */
const HOST_CHECKS = 5000;

/**
 * The built-in view for people who run no Grafana: `GET /` (services and their health), `GET /hosts`
 * (Nagios-style overview) and `GET /services/:name`. Server-rendered HTML, no script; every page is
 * sent with a Content-Security-Policy that allows nothing but its own stylesheet.
 */
export function webRoutes(deps: WebDeps): Router {
  const now = deps.now ?? Date.now;
  const router = Router();
  const send = (res: Response, status: number, body: string): void => {
    res
      .status(status)
      .set({
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-store',
      })
      .type('html')
      .send(body);
  };
  const handle =
    (
      render: (
        req: Request,
        visible: ReadonlySet<string> | null,
      ) => Promise<{ status: number; body: string }>,
    ) =>
    async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      try {
        const services = deps.servicesOfTeam ? visibleServices(res, deps.servicesOfTeam) : null;
        const { status, body } = await render(req, services ? new Set(services) : null);
        send(res, status, body);
      } catch (err) {
        next(err);
      }
    };

  router.get(
    '/',
    handle(async (_req, visible) => {
      const nowMs = now();
      const entries = (await deps.catalog.list()).filter((e) => !visible || visible.has(e.name));
      const health = await Promise.all(entries.map((entry) => readServiceHealth(deps.store, entry, nowMs)));
      return { status: 200, body: indexPage(health, nowMs) };
    }),
  );
  router.get(
    '/hosts',
    handle(async (_req, visible) => {
      const nowMs = now();
      const [found, all] = await Promise.all([
        deps.store.query({
          kinds: ['check'],
          limit: HOST_CHECKS,
          order: 'desc',
          ...(visible ? { services: [...visible] } : {}),
        }),
        deps.catalog.list(),
      ]);
      const entries = all.filter((e) => !visible || visible.has(e.name));
      const checks = found.items.filter((e): e is CheckEvent => e.kind === 'check');
      const otherHosts = [...new Set(entries.flatMap((e) => e.hosts))];
      return {
        status: 200,
        body: hostsPage(hostOverview(checks, otherHosts), stateChanges(checks, 25), nowMs),
      };
    }),
  );
  router.get(
    '/services/:name',
    handle(async (req, visible) => {
      const nowMs = now();
      const name = String(req.params.name);
      // Another team's service is answered as an unknown one: its existence is not theirs to learn.
      const entry = (await deps.catalog.list()).find(
        (e) => e.name === name && (!visible || visible.has(name)),
      );
      if (!entry) {
        return {
          status: 404,
          body: page(
            'Not found',
            'services',
            html`<h1>No such service</h1>
              <p class="sub">
                Tributary has seen no service called “${name.slice(0, 200)}”. <a href="/">All services</a>
              </p>`,
            nowMs,
          ),
        };
      }
      return { status: 200, body: servicePage(await readServiceDetail(deps.store, entry, nowMs), nowMs) };
    }),
  );
  return router;
}
