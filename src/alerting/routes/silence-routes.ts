import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { AuditLog } from '../../audit/audit-log.ts';
import { principalOfRequest } from '../../api/auth/authenticate.ts';
import { visibleServices, type TeamServices } from '../../api/auth/team-scope.ts';
import { ApiError } from '../../api/errors.ts';
import {
  silenceInput,
  silenceState,
  type Silence,
  type SilenceInput,
} from '../../stages/reduce-noise/silences.ts';
import { ConfigError } from '../config-error.ts';
import { allOf, parseMatchers } from '../matchers.ts';

/** What the routes need of the silences (the noise reducer's `silences`). */
export interface SilenceApi {
  list(): Promise<Silence[]>;
  get(id: string): Promise<Silence | null>;
  upsert(input: SilenceInput): Promise<Silence>;
  expire(id: string): Promise<boolean>;
}

export interface SilenceRoutesDeps {
  silences: SilenceApi;
  audit: Pick<AuditLog, 'append'>;
  servicesOfTeam: TeamServices;
  now?: () => number;
}

/**
 * Silences over Tributary's API (`/v1/silences`, `/v1/silences/{id}`) and Alertmanager's API v2 shape
 * (`/api/v2/silences`, `/api/v2/silence/{id}`), so amtool and Grafana's Alertmanager datasource work.
 * A team-scoped key sees and writes only silences with a `service="<one of its services>"` matcher.
 */
export function silenceRoutes(deps: SilenceRoutesDeps): Router {
  const router = Router();
  const now = deps.now ?? Date.now;
  const json = express.json({ limit: '64kb', type: () => true });
  const view = (s: Silence) => ({ ...s, status: { state: silenceState(s, now()) } });

  const list = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const filter = typeof req.query.filter === 'string' ? parseFilter(req.query.filter) : null;
      const scope = visibleServices(res, deps.servicesOfTeam);
      const items = (await deps.silences.list()).filter(
        (s) =>
          inScope(s, scope) &&
          (!filter || filter(Object.fromEntries(s.matchers.map((m) => [m.name, m.value])))),
      );
      res.json(items.map(view));
    } catch (err) {
      next(err);
    }
  };
  const create = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const parsed = silenceInput.safeParse(req.body);
      if (!parsed.success) {
        const details = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
        throw new ApiError('TRB_INVALID_REQUEST', `invalid silence: ${details.join('; ')}`, details);
      }
      if (
        !inScope({ matchers: parsed.data.matchers } as Silence, visibleServices(res, deps.servicesOfTeam))
      ) {
        throw new ApiError(
          'TRB_FORBIDDEN',
          'a team-scoped key may only silence its services: add a service="<service>" matcher',
        );
      }
      const silence = await deps.silences.upsert(parsed.data).catch(asRequestError);
      await deps.audit.append({
        actor: principalOfRequest(res)?.id ?? 'anonymous',
        action: parsed.data.id ? 'silence.update' : 'silence.create',
        target: silence.id,
        origin: req.ip ?? 'unknown',
        detail: {
          matchers: silence.matchers,
          startsAt: silence.startsAt,
          endsAt: silence.endsAt,
          comment: silence.comment,
        },
      });
      res.json({ silenceID: silence.id });
    } catch (err) {
      next(err);
    }
  };
  const getOne = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      res.json(view(await found(deps, req, res)));
    } catch (err) {
      next(err);
    }
  };
  const expire = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const silence = await found(deps, req, res);
      await deps.silences.expire(silence.id);
      await deps.audit.append({
        actor: principalOfRequest(res)?.id ?? 'anonymous',
        action: 'silence.expire',
        target: silence.id,
        origin: req.ip ?? 'unknown',
        detail: { matchers: silence.matchers },
      });
      res.json({});
    } catch (err) {
      next(err);
    }
  };

  router.get(['/v1/silences', '/api/v2/silences'], list);
  router.post(['/v1/silences', '/api/v2/silences'], json, create);
  router.get(['/v1/silences/:id', '/api/v2/silence/:id'], getOne);
  router.delete(['/v1/silences/:id', '/api/v2/silence/:id'], expire);
  return router;
}

async function found(deps: SilenceRoutesDeps, req: Request, res: Response): Promise<Silence> {
  const id = String(req.params.id ?? '');
  const silence = id.length <= 64 ? await deps.silences.get(id) : null;
  if (!silence || !inScope(silence, visibleServices(res, deps.servicesOfTeam))) {
    throw new ApiError('TRB_NOT_FOUND', `no silence ${id.slice(0, 64)}`);
  }
  return silence;
}

function inScope(silence: Pick<Silence, 'matchers'>, services: readonly string[] | null): boolean {
  if (services === null) return true;
  return silence.matchers.some(
    (m) => m.name === 'service' && !m.isRegex && m.isEqual !== false && services.includes(m.value),
  );
}

function parseFilter(text: string): ((labels: Record<string, string>) => boolean) | null {
  try {
    return allOf(parseMatchers(text));
  } catch (err) {
    throw new ApiError(
      'TRB_INVALID_REQUEST',
      `invalid filter: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

function asRequestError(err: unknown): never {
  if (err instanceof ConfigError)
    throw new ApiError('TRB_INVALID_REQUEST', `invalid silence: ${err.message}`);
  throw err;
}
