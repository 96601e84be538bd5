import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { Registry } from 'prom-client';
import { hashSecret, type ApiKeyRecord } from '../../src/api/auth/api-keys.ts';
import { createApp } from '../../src/api/app.ts';
import type { AuditLog } from '../../src/audit/audit-log.ts';
import type { Intake } from '../../src/pipeline/intake.ts';
import type { ServiceCatalog } from '../../src/stages/resolve-services/service-catalog.ts';
import type { EventStore } from '../../src/store/event-store.ts';
import { SERVICES, TEAM_SIZE, servicesOfTeam } from './fleet.ts';

export const ADMIN_SECRET = 'bench-audit-queries-admin';

export function teamSecret(team: string): string {
  return `bench-audit-queries-${team}`;
}

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

/**
 * The real HTTP API (`createApp`: access control with bearer keys, request validation against the
 * OpenAPI document, the query and audit routes) over the given store and audit log, on a loopback
 * port. One admin key and one team-scoped read key per team; the rate limit is set out of the way.
 */
export async function startApi(store: EventStore, audit: AuditLog): Promise<RunningApi> {
  const teams = Array.from({ length: SERVICES.length / TEAM_SIZE }, (_, t) => `team-${t}`);
  const keys: ApiKeyRecord[] = [
    { name: 'bench-admin', sha256: hashSecret(ADMIN_SECRET), scopes: ['read', 'admin'], team: null },
    ...teams.map((team) => ({
      name: `bench-${team}`,
      sha256: hashSecret(teamSecret(team)),
      scopes: ['read' as const],
      team,
    })),
  ];
  const catalog: ServiceCatalog = { observe: async () => [], list: async () => [] };
  const app = createApp({
    intake: {} as Intake, // no ingest route is mounted
    store,
    rejections: { list: async () => [] },
    catalog,
    registry: new Registry(),
    readiness: [],
    isShuttingDown: () => false,
    logger: pino({ level: 'silent' }),
    routes: [],
    audit,
    keys: () => keys,
    keyAdmin: { list: () => [], create: () => false, delete: () => false },
    servicesOfTeam: servicesOfTeam,
    rateLimit: { perSecond: 1_000_000, burst: 1_000_000 },
  });
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
