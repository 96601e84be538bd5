import type { NextFunction, Request, Response } from 'express';
import { ApiError } from '../errors.ts';
import { findKey, principalOf, SCOPES, type ApiKeyRecord, type Principal, type Scope } from './api-keys.ts';
import type { RateLimiter } from './rate-limiter.ts';

/** The scope an operation needs: `public` needs no key. Declared per operation in the OpenAPI document. */
export type RequiredScope = Scope | 'public';

export interface AccessOptions {
  /** Current keys (config + created through the admin API). Empty = open mode (loopback only). */
  keys: () => readonly ApiKeyRecord[];
  /** Scope required by `METHOD path`; `undefined` for a route the document does not describe. */
  scopeOf: (method: string, path: string) => RequiredScope | undefined;
  limiter: RateLimiter;
}

const OPEN_PRINCIPAL: Principal = { id: 'anonymous', scopes: new Set(SCOPES), team: null };

/**
 * Authenticates the bearer key, applies the per-key rate limit, and checks the operation's scope.
 * With no key configured at all the API is open (Tributary refuses to start that way off loopback).
 * Leaves the caller in `res.locals.principal`.
 */
export function accessControl(options: AccessOptions) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const required = options.scopeOf(req.method, req.path);
    const keys = options.keys();
    let principal: Principal | null = null;
    if (keys.length === 0) principal = OPEN_PRINCIPAL;
    else if (required !== 'public') {
      const header = req.headers.authorization ?? '';
      const secret = presentedSecret(header);
      const record = secret === null ? null : findKey(keys, secret);
      if (!record) {
        // Basic lets a browser prompt for the key (as the password) on the built-in view.
        res.set('WWW-Authenticate', 'Bearer realm="tributary", Basic realm="tributary", charset="UTF-8"');
        next(
          new ApiError(
            'TRB_UNAUTHORIZED',
            header === ''
              ? 'an API key is required: send Authorization: Bearer <secret>'
              : 'the API key is not valid (unknown, revoked or malformed)',
          ),
        );
        return;
      }
      principal = principalOf(record);
    }
    if (principal) {
      const wait = options.limiter.take(principal === OPEN_PRINCIPAL ? `ip:${req.ip}` : principal.id);
      if (wait > 0) {
        next(
          new ApiError(
            'TRB_RATE_LIMITED',
            `rate limit exceeded for ${principal.id}: retry in ${wait} s`,
            undefined,
            { 'Retry-After': String(wait) },
          ),
        );
        return;
      }
      if (required !== undefined && required !== 'public' && !principal.scopes.has(required)) {
        next(
          new ApiError(
            'TRB_FORBIDDEN',
            `this key lacks the "${required}" scope needed for ${req.method} ${req.path.slice(0, 100)}`,
          ),
        );
        return;
      }
    }
    res.locals.principal = principal;
    next();
  };
}

/** The caller of a request that went through `accessControl` (null on public routes with keys set). */
export function principalOfRequest(res: Response): Principal | null {
  return (res.locals.principal as Principal | null | undefined) ?? null;
}

/** The key from `Bearer <secret>`, or from `Basic base64(any-user:<secret>)` (browsers), else null. */
export function presentedSecret(header: string): string | null {
  const bearer = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header);
  if (bearer) return bearer[1] as string;
  const basic = /^Basic ([A-Za-z0-9+/=]{1,1024})$/.exec(header);
  if (!basic) return null;
  const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 || colon === decoded.length - 1 ? null : decoded.slice(colon + 1);
}
