import { Router } from 'express';
import type { Intake } from '../../pipeline/intake.ts';
import { parseLogstashBody } from '../../sources/logstash/parse-events.ts';
import { ingestHandler, rawBody, requireTextualBody } from './ingest.ts';

export function logstashRoutes(deps: { intake: Intake; maxBody: number; plainLines: boolean }): Router {
  const router = Router();
  router.post(
    '/v1/ingest/logstash',
    requireTextualBody,
    rawBody(deps.maxBody),
    ingestHandler('logstash', deps.intake, (body, _req, receivedAt) =>
      parseLogstashBody(body.toString('utf8'), { receivedAt, plainLines: deps.plainLines }),
    ),
  );
  return router;
}
