import { Router, type NextFunction, type Request, type Response } from 'express';
import { nowInstant } from '../../core/time.ts';
import { QueueClosed, QueueFull } from '../../pipeline/event-queue.ts';
import type { Intake } from '../../pipeline/intake.ts';
import { decodeOtlpRequest, type OtlpSignal } from '../../sources/otlp/decode.ts';
import { parseOtlpLogs } from '../../sources/otlp/parse-logs.ts';
import { parseOtlpTraces } from '../../sources/otlp/parse-traces.ts';
import { otlpErrorResponse, otlpExportResponse, type OtlpHttpResponse } from '../../sources/otlp/respond.ts';
import { ApiError } from '../errors.ts';
import { rawBody } from './ingest.ts';

/**
 * OTLP/HTTP receivers: `POST /v1/traces` and `POST /v1/logs`, JSON or protobuf, gzip. Answers per the
 * OTLP spec: 200 with `partialSuccess` when some records were refused (they are kept as dead letters),
 * a google.rpc.Status body on 400/413/415, 503 with Retry-After when the pipeline is full.
 */
export function otlpRoutes(deps: { intake: Intake; maxBody: number }): Router {
  const router = Router();
  for (const signal of ['traces', 'logs'] as const) {
    router.post(`/v1/${signal}`, rawBody(deps.maxBody), handler(signal, deps.intake));
  }
  return router;
}

function handler(signal: Extract<OtlpSignal, 'traces' | 'logs'>, intake: Intake) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      // The body was already inflated (and size-limited) by the raw body reader.
      const decoded = decodeOtlpRequest({ signal, body, contentType: req.headers['content-type'] });
      if (!decoded.ok) return send(res, otlpErrorResponse(decoded.error));
      const receivedAt = nowInstant();
      const parsed =
        signal === 'traces'
          ? parseOtlpTraces(decoded.request.message, receivedAt)
          : parseOtlpLogs(decoded.request.message, receivedAt);
      try {
        await intake.submit('otlp', { events: parsed.events, rejections: parsed.rejections });
      } catch (err) {
        if (err instanceof QueueFull || err instanceof QueueClosed) {
          throw new ApiError(
            err instanceof QueueFull ? 'TRB_OVERLOADED' : 'TRB_SHUTTING_DOWN',
            err.message,
            undefined,
            {
              'Retry-After': '1',
            },
          );
        }
        throw err;
      }
      send(res, otlpExportResponse(signal, decoded.request.encoding, parsed.partialSuccess));
    } catch (err) {
      next(err);
    }
  };
}

function send(res: Response, response: OtlpHttpResponse): void {
  res.status(response.status).type(response.contentType).send(Buffer.from(response.body));
}
