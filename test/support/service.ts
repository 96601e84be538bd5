import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { configSchema, type TributaryConfigInput } from '../../src/config/schema.ts';
import { buildService, type Service } from '../../src/pipeline/build-service.ts';

export interface RunningService {
  service: Service;
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts a whole embedded service on a free loopback port with a fresh data dir. */
export async function startService(overrides: TributaryConfigInput = {}): Promise<RunningService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'trib-e2e-'));
  const config = configSchema.parse({
    ...overrides,
    server: { port: 0, ...overrides.server },
    storage: { dataDir, ...overrides.storage },
    dashboards: { outputDir: join(dataDir, 'dashboards'), ...overrides.dashboards },
  });
  const service = await buildService(config, pino({ level: 'silent' }));
  await service.start();
  return {
    service,
    url: service.url,
    dataDir,
    async stop() {
      await service.shutdown(Date.now() + 5000);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function postIngest(
  url: string,
  body: string | Buffer,
  contentType = 'application/json',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/v1/ingest/logstash`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
