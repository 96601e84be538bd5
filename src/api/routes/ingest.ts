import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { ParseResult, TributaryEvent } from '../../core/event.ts';
import { nowInstant } from '../../core/time.ts';
import { QueueClosed, QueueFull } from '../../pipeline/event-queue.ts';
import type { Intake } from '../../pipeline/intake.ts';
import { ApiError } from '../errors.ts';

/** How many rejections an ingest answer lists (all are kept as dead letters). */
const LISTED_REJECTIONS = 100;

export type BodyParser = (
  body: Buffer,
  req: Request,
  receivedAt: string,
) => ParseResult<TributaryEvent> | Promise<ParseResult<TributaryEvent>>;

/** Reads the raw body (any type, gzip/deflate inflated, size-limited before and after inflation). */
export function rawBody(limit: number): RequestHandler {
  return express.raw({ type: () => true, limit, inflate: true });
}

/**
 * The common ingest answer: 200 when all stored, 207 with the rejections when some were, 400 when none
 * were; 503 when the pipeline refuses (full or shutting down). Valid records are stored either way.
 */
export function ingestHandler(source: string, intake: Intake, parse: BodyParser): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (body.length === 0)
        throw new ApiError('TRB_EMPTY_BODY', 'the body is empty: send at least one record');
      const result = await parse(body, req, nowInstant());
      if (result.events.length === 0 && result.rejections.length === 0) {
        throw new ApiError('TRB_EMPTY_BODY', 'the body holds no record (only whitespace)');
      }
      const outcome = await submit(intake, source, result);
      const rejections = result.rejections
        .slice(0, LISTED_REJECTIONS)
        .map(({ location, reason, detail }) => ({ location, reason, detail }));
      if (outcome.accepted === 0) {
        throw new ApiError('TRB_ALL_REJECTED', `all ${outcome.rejected} records were rejected`, rejections);
      }
      // 202 when the events are durably queued (Kafka) rather than already stored.
      res
        .status(outcome.rejected > 0 ? 207 : intake.storesBeforeAnswer ? 200 : 202)
        .json({ ...outcome, ...(outcome.rejected > 0 ? { rejections } : {}) });
    } catch (err) {
      next(err);
    }
  };
}

async function submit(intake: Intake, source: string, result: ParseResult<TributaryEvent>) {
  try {
    return await intake.submit(source, result);
  } catch (err) {
    if (err instanceof QueueFull)
      throw new ApiError('TRB_OVERLOADED', err.message, undefined, { 'Retry-After': '1' });
    if (err instanceof QueueClosed)
      throw new ApiError('TRB_SHUTTING_DOWN', err.message, undefined, { 'Retry-After': '1' });
    throw err;
  }
}

const TEXTUAL = /^(application\/(json|x-ndjson|ndjson|jsonlines|x-jsonlines)|text\/plain)\b/i;

/** Refuses, with 415 before reading it, a body whose Content-Type does not match `accepted`. */
export function requireContentType(accepted: RegExp, expected: string) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const type = req.headers['content-type'];
    if (type !== undefined && !accepted.test(type)) {
      next(
        new ApiError(
          'TRB_UNSUPPORTED_MEDIA_TYPE',
          `Content-Type "${type.slice(0, 100)}" is not accepted here: send ${expected}`,
        ),
      );
      return;
    }
    next();
  };
}

/** JSON, NDJSON or plain text. */
export const requireTextualBody = requireContentType(
  TEXTUAL,
  'application/json, application/x-ndjson or text/plain',
);
