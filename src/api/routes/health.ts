import { Router } from 'express';
import type { Registry } from 'prom-client';
import { openApiDocument } from '../openapi.ts';

/** One backend's readiness: `ok` false with a reason when it cannot serve. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<{ ok: boolean; detail?: string }>;
}

export function healthRoutes(deps: {
  registry: Registry;
  readiness: readonly ReadinessCheck[];
  isShuttingDown: () => boolean;
}): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const checks = await Promise.all(
      deps.readiness.map(async (r) => {
        try {
          return { name: r.name, ...(await r.check()) };
        } catch (err) {
          return { name: r.name, ok: false, detail: (err as Error).message };
        }
      }),
    );
    const shuttingDown = deps.isShuttingDown();
    const ready = !shuttingDown && checks.every((c) => c.ok);
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : shuttingDown ? 'shutting down' : 'not ready', checks });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(deps.registry.contentType).send(await deps.registry.metrics());
  });
  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  return router;
}
