import { Router } from 'express';
import type { Intake } from '../../pipeline/intake.ts';
import { parsePinpointSpansText } from '../../sources/pinpoint/parse-spans.ts';
import { ingestHandler, rawBody, requireContentType } from './ingest.ts';

/**
 * `POST /v1/ingest/pinpoint`: Pinpoint spans, span events and span chunks as JSON (proto3 JSON of
 * PSpan/PSpanChunk, or the plain stored shape). A PSpan carries no application name (the agent sends it
 * in gRPC metadata): give it in the `applicationname` and `agentid` headers.
 */
export function pinpointRoutes(deps: { intake: Intake; maxBody: number }): Router {
  const router = Router();
  router.post(
    '/v1/ingest/pinpoint',
    requireContentType(/^application\/json\b/i, 'application/json'),
    rawBody(deps.maxBody),
    ingestHandler('pinpoint', deps.intake, (body, req, receivedAt) => {
      const header = (name: string): string | undefined => {
        const value = req.headers[name];
        return typeof value === 'string' && value.length <= 255 ? value : undefined;
      };
      const agentId = header('agentid');
      const applicationName = header('applicationname');
      const agent =
        agentId || applicationName
          ? { agentId: agentId ?? null, applicationName: applicationName ?? null }
          : undefined;
      return parsePinpointSpansText(body.toString('utf8'), receivedAt, agent ? { agent } : {});
    }),
  );
  return router;
}
