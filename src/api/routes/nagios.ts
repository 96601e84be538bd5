import { Router } from 'express';
import type { ParseResult, TributaryEvent } from '../../core/event.ts';
import type { Intake } from '../../pipeline/intake.ts';
import {
  parseNagiosPayload,
  trackChecks,
  type CheckStateTracker,
  type ServiceResolver,
} from '../../sources/nagios/index.ts';
import { ApiError } from '../errors.ts';
import { ingestHandler, rawBody, requireContentType } from './ingest.ts';

const NAGIOS_TYPES =
  /^(application\/(json|xml|x-www-form-urlencoded|octet-stream)|text\/(plain|xml|tab-separated-values))\b/i;

/**
 * `POST /v1/ingest/nagios`: passive results as NRDP (form with XMLDATA/JSONDATA, JSON or XML
 * `checkresults`), external-command lines, send_nsca lines, or perfdata-file lines. SOFT/HARD state is
 * tracked per check before the events are queued.
 */
export function nagiosRoutes(deps: {
  intake: Intake;
  maxBody: number;
  tracker: CheckStateTracker;
  resolveService?: ServiceResolver;
  /** When set, an NRDP form must carry this token. */
  nrdpToken?: string;
}): Router {
  const router = Router();
  router.post(
    '/v1/ingest/nagios',
    requireContentType(NAGIOS_TYPES, 'NRDP (form, JSON or XML), or text/plain lines'),
    rawBody(deps.maxBody),
    ingestHandler(
      'nagios',
      deps.intake,
      async (body, req, receivedAt): Promise<ParseResult<TributaryEvent>> => {
        const parsed = parseNagiosPayload(
          body.toString('utf8'),
          { receivedAt, ...(deps.resolveService ? { resolveService: deps.resolveService } : {}) },
          { contentType: req.headers['content-type'] ?? null },
        );
        if (
          deps.nrdpToken !== undefined &&
          parsed.format === 'nrdp-form' &&
          parsed.token !== deps.nrdpToken
        ) {
          throw new ApiError('TRB_FORBIDDEN', 'the NRDP token is not valid');
        }
        const events = await trackChecks(deps.tracker, parsed.result.events);
        return { events, rejections: parsed.result.rejections };
      },
    ),
  );
  return router;
}
