import express, { Router, type Request } from 'express';
import { z } from 'zod';
import type { AuditLog } from '../../audit/audit-log.ts';
import { hashSecret, newSecret, SCOPES, type ApiKeyRecord } from '../auth/api-keys.ts';
import { principalOfRequest } from '../auth/authenticate.ts';
import { ApiError } from '../errors.ts';

export type ListedKey = Omit<ApiKeyRecord, 'sha256'> & {
  createdAt?: string;
  createdBy?: string;
  origin: 'config' | 'api';
};

/** Keys created at runtime, shared by every replica (so it may answer later; a fixed set, at once). */
export interface KeyAdmin {
  list(): ListedKey[] | Promise<ListedKey[]>;
  /** False when the name is taken (atomically, across replicas). */
  create(record: ApiKeyRecord, createdBy: string): boolean | Promise<boolean>;
  /** False when no key created through the API has that name. */
  delete(name: string): boolean | Promise<boolean>;
}

const createBody = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'name: 1-64 letters, digits, _ . -'),
    scopes: z.array(z.enum(SCOPES)).min(1).max(3),
    team: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/)
      .optional(),
  })
  .strict();

/** Keys created at runtime: `POST/GET /v1/admin/keys`, `DELETE /v1/admin/keys/{name}`. Audited. */
export function adminKeyRoutes(deps: { keys: KeyAdmin; audit: AuditLog }): Router {
  const router = Router();
  const actor = (res: Parameters<typeof principalOfRequest>[0]): string =>
    principalOfRequest(res)?.id ?? 'anonymous';
  const origin = (req: Request): string => req.ip ?? 'unknown';

  router.get('/v1/admin/keys', async (_req, res, next) => {
    try {
      res.json({ items: await deps.keys.list() });
    } catch (err) {
      next(err);
    }
  });

  router.post('/v1/admin/keys', express.json({ limit: '16kb' }), async (req, res, next) => {
    try {
      const parsed = createBody.safeParse(req.body);
      if (!parsed.success) {
        throw new ApiError(
          'TRB_INVALID_REQUEST',
          `invalid key: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}`,
        );
      }
      const secret = newSecret();
      const record: ApiKeyRecord = {
        name: parsed.data.name,
        sha256: hashSecret(secret),
        scopes: parsed.data.scopes,
        team: parsed.data.team ?? null,
      };
      if (!(await deps.keys.create(record, actor(res)))) {
        throw new ApiError(
          'TRB_CONFLICT',
          `a key named "${record.name}" exists: delete it first or pick another name`,
        );
      }
      await deps.audit.append({
        actor: actor(res),
        action: 'api_key.create',
        target: record.name,
        origin: origin(req),
        detail: { scopes: record.scopes, team: record.team },
      });
      res.status(201).json({ name: record.name, secret, scopes: record.scopes, team: record.team });
    } catch (err) {
      next(err);
    }
  });

  router.delete('/v1/admin/keys/:name', async (req, res, next) => {
    try {
      const name = String(req.params.name);
      if (!(await deps.keys.delete(name)))
        throw new ApiError('TRB_NOT_FOUND', `no key "${name.slice(0, 64)}" created through the API`);
      await deps.audit.append({
        actor: actor(res),
        action: 'api_key.delete',
        target: name,
        origin: origin(req),
        detail: {},
      });
      res.status(204).end();
    } catch (err) {
      next(err);
    }
  });
  return router;
}
