import { Router } from 'express';
import type { Intake } from '../../pipeline/intake.ts';
import type { IdentityRules } from '../../sources/cadvisor/config.ts';
import { parseCadvisorMetrics } from '../../sources/cadvisor/parse-metrics.ts';
import { ingestHandler, rawBody, requireContentType } from './ingest.ts';

const EXPOSITION_TYPES = /^(text\/plain|application\/openmetrics-text|application\/octet-stream)\b/i;

/**
 * `POST /v1/ingest/cadvisor`: cAdvisor's /metrics text pushed by a relay. `?host=` names the machine
 * when the text does not (cAdvisor's own labels carry no host).
 */
export function cadvisorRoutes(deps: {
  intake: Intake;
  maxBody: number;
  identity: IdentityRules;
  host: string | null;
}): Router {
  const router = Router();
  router.post(
    '/v1/ingest/cadvisor',
    requireContentType(EXPOSITION_TYPES, 'text/plain (Prometheus text exposition)'),
    rawBody(deps.maxBody),
    ingestHandler('cadvisor', deps.intake, (body, req, receivedAt) => {
      const host =
        typeof req.query.host === 'string' && req.query.host.length <= 253 ? req.query.host : deps.host;
      return parseCadvisorMetrics(body.toString('utf8'), {
        scrapedAt: receivedAt,
        host,
        identity: deps.identity,
      });
    }),
  );
  return router;
}
