import { Router } from 'express';
import type { Intake } from '../../pipeline/intake.ts';
import { parseAlertmanagerAlertsText } from '../../sources/alertmanager-api/parse-alerts.ts';
import { ingestHandler, rawBody, requireContentType } from './ingest.ts';

/**
 * `POST /api/v2/alerts`: Alertmanager's API, so a Prometheus sends its alerts here unchanged
 * (`alerting.alertmanagers` pointing at Tributary). Valid alerts are kept even when others are refused.
 */
export function alertmanagerApiRoutes(deps: { intake: Intake; maxBody: number }): Router {
  const router = Router();
  router.post(
    '/api/v2/alerts',
    requireContentType(/^application\/json\b/i, 'application/json'),
    rawBody(deps.maxBody),
    ingestHandler('prometheus', deps.intake, (body, _req, receivedAt) =>
      parseAlertmanagerAlertsText(body.toString('utf8'), receivedAt),
    ),
  );
  return router;
}
