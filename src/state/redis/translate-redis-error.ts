import { InvalidStateArgument, StateKindMismatch, StateUnavailable } from '../errors.ts';

/** Server replies that mean "not now" rather than "wrong request". */
const UNAVAILABLE_REPLY = /^(OOM|LOADING|READONLY|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|NOREPLICAS)\b/;

export interface RedisErrorContext {
  /** The state operation, e.g. `claim`. */
  op: string;
  /** The server, password hidden. */
  where: string;
  /** The last connection error the client reported, if any. */
  lastError: Error | null;
}

/**
 * Turns what ioredis rejects with into the state store's errors, with a message that says which server,
 * which operation, and whether the operation may have been applied.
 */
export function translateRedisError(err: unknown, ctx: RedisErrorContext): Error {
  if (!(err instanceof Error)) return new Error(`state ${ctx.op}: ${String(err)}`);
  const message = err.message;
  if (message.includes('WRONGTYPE')) {
    return new StateKindMismatch(`state ${ctx.op}: the key holds another kind of value`, { cause: err });
  }
  if (message.includes('not an integer')) {
    return new StateKindMismatch(`state ${ctx.op}: the value is not an integer`, { cause: err });
  }
  if (message.includes('overflow a safe integer')) {
    return new InvalidStateArgument(`state ${ctx.op}: increment would overflow a safe integer`, {
      cause: err,
    });
  }
  if (err.name === 'ReplyError') {
    if (!UNAVAILABLE_REPLY.test(message)) return err;
    return new StateUnavailable(`state ${ctx.op} refused by Redis at ${ctx.where}: ${message}`, {
      notApplied: true,
      cause: err,
    });
  }
  if (message.includes('enableOfflineQueue')) {
    const last = ctx.lastError ? ` (last error: ${ctx.lastError.message})` : '';
    return new StateUnavailable(
      `state ${ctx.op} not applied: Redis at ${ctx.where} is not connected${last}`,
      {
        notApplied: true,
        cause: err,
      },
    );
  }
  if (message === 'Connection is closed.') {
    return new StateUnavailable(
      `state ${ctx.op}: the connection to Redis at ${ctx.where} was closed (store shut down?); it may or may not have been applied`,
      { notApplied: false, cause: err },
    );
  }
  if (err.name === 'MaxRetriesPerRequestError') {
    return new StateUnavailable(
      `state ${ctx.op}: the connection to Redis at ${ctx.where} was lost before the reply; it may or may not have been applied`,
      { notApplied: false, cause: err },
    );
  }
  if (message === 'Command timed out') {
    return new StateUnavailable(
      `state ${ctx.op}: no reply from Redis at ${ctx.where} in time; it may or may not have been applied`,
      { notApplied: false, cause: err },
    );
  }
  return new StateUnavailable(`state ${ctx.op} failed against Redis at ${ctx.where}: ${message}`, {
    notApplied: false,
    cause: err,
  });
}

/** `redis://host:port/db` with any password replaced by `***`, for messages and logs. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable Redis URL)';
  }
}
