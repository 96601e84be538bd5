import type { Request } from 'express';
import { ApiError } from '../../api/errors.ts';
import { instantParam } from '../../api/routes/query.ts';

/**
 * Reads a route's query: every parameter must be known and given once; `limit` 1..1000 (default 100);
 * `from`/`to` ISO-8601 or now-<duration>. Errors are 400 TRB_INVALID_REQUEST naming the parameter.
 */
export function readQuery(
  req: Request,
  known: readonly string[],
): Record<string, string> & { limit: string } {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.query)) {
    if (!known.includes(name)) {
      throw new ApiError(
        'TRB_INVALID_REQUEST',
        `invalid query: ${name.slice(0, 64)} is not a known parameter (known: ${known.join(', ')})`,
      );
    }
    if (typeof value !== 'string') {
      throw new ApiError(
        'TRB_INVALID_REQUEST',
        `query parameter "${name}" must be given once, as a plain value`,
      );
    }
    out[name] = value;
  }
  const limit = out.limit ?? '100';
  if (!/^\d{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > 1000) {
    throw new ApiError('TRB_INVALID_REQUEST', 'invalid query: limit must be an integer from 1 to 1000');
  }
  for (const bound of ['from', 'to'])
    if (out[bound] !== undefined) out[bound] = instantParam(bound, out[bound] as string);
  return { ...out, limit };
}

export function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ApiError('TRB_INVALID_REQUEST', `invalid query: ${name} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}
