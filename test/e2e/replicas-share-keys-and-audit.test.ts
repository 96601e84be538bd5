import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_KEY_REFRESH_INTERVAL_MS } from '../../src/api/auth/state-key-store.ts';
import { createElasticsearchClient } from '../../src/store/elasticsearch/client.ts';
import { requireServer } from '../support/servers.ts';
import { startService, type RunningService } from '../support/service.ts';

const redis = requireServer('redis');
const elasticsearch = requireServer('elasticsearch');
const skip = redis.skip || elasticsearch.skip;
const ADMIN = 'admin-secret-of-both';
/** The documented bound (one refresh interval) plus slack for a loaded machine. */
const BOUND_MS = DEFAULT_KEY_REFRESH_INTERVAL_MS + 1000;

async function call(url: string, method: string, key: string, body?: unknown): Promise<Response> {
  return fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

/** Polls `GET /v1/events` with `secret` until it answers `status`; resolves the time it took. */
async function untilStatus(url: string, secret: string, status: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const response = await call(`${url}/v1/events?limit=1`, 'GET', secret);
    await response.body?.cancel();
    if (response.status === status) return performance.now() - started;
    if (performance.now() - started > BOUND_MS)
      throw new Error(`still ${response.status} after ${BOUND_MS} ms`);
    await sleep(20);
  }
}

// Two replicas (two whole services) on one Redis and one Elasticsearch, each with its own data dir.
describe('two replicas share API keys (Redis) and one audit chain (Elasticsearch)', { skip }, () => {
  const indexPrefix = `trib-test-${randomBytes(4).toString('hex')}-replicas`;
  const keyPrefix = `tributary-test:${process.pid}:${randomUUID()}:`;
  let a: RunningService;
  let b: RunningService;
  before(async () => {
    const overrides = {
      auth: { keysEnv: `${ADMIN}:admin+read` },
      state: { redisUrl: redis.url as string, keyPrefix },
      elasticsearch: { url: elasticsearch.url as string, indexPrefix },
    };
    [a, b] = await Promise.all([startService(overrides), startService(overrides)]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    const client = createElasticsearchClient({ url: elasticsearch.url as string, requestTimeoutMs: 30_000 });
    await client.indices.delete({ index: `${indexPrefix}-*` }, { ignore: [404] });
    await client.indices.deleteIndexTemplate({ name: `${indexPrefix}-*` }, { ignore: [404] });
    await client.close();
    const { Redis } = await import('ioredis');
    const raw = new Redis(redis.url as string);
    await raw.del(`${keyPrefix}api-keys`);
    await raw.quit();
  });

  it('a key created on one replica works on the other within the bound, and is refused there once deleted', async (t) => {
    const created = await call(`${a.url}/v1/admin/keys`, 'POST', ADMIN, { name: 'ci-bot', scopes: ['read'] });
    assert.equal(created.status, 201);
    const { secret } = (await created.json()) as { secret: string };
    assert.equal((await call(`${a.url}/v1/events`, 'GET', secret)).status, 200, 'at once where created');
    const honoured = await untilStatus(b.url, secret, 200);
    // Name-taken holds across replicas.
    const again = await call(`${b.url}/v1/admin/keys`, 'POST', ADMIN, { name: 'ci-bot', scopes: ['admin'] });
    assert.equal(again.status, 409);
    assert.equal((await call(`${b.url}/v1/admin/keys/ci-bot`, 'DELETE', ADMIN)).status, 204);
    assert.equal((await call(`${b.url}/v1/events`, 'GET', secret)).status, 401);
    const refused = await untilStatus(a.url, secret, 401);
    t.diagnostic(
      `honoured on B after ${Math.round(honoured)} ms, refused on A after ${Math.round(refused)} ms`,
    );
  });

  it('both replicas append to one audit chain that either can verify', async () => {
    const trail = await call(`${a.url}/v1/audit?target=ci-bot`, 'GET', ADMIN);
    assert.equal(trail.status, 200);
    const { items } = (await trail.json()) as { items: { seq: number; action: string }[] };
    assert.deepEqual(
      items.map((e) => e.action),
      ['api_key.delete', 'api_key.create'],
    );
    assert.ok(items.every((e) => e.seq >= 1));
    for (const replica of [a, b]) {
      const verify = await call(`${replica.url}/v1/audit/verify`, 'GET', ADMIN);
      const report = (await verify.json()) as { ok: boolean; entries: number };
      assert.equal(report.ok, true);
      assert.ok(report.entries >= 2);
    }
    const client = createElasticsearchClient({ url: elasticsearch.url as string, requestTimeoutMs: 30_000 });
    try {
      const stored = await client.count({
        index: `${indexPrefix}-audit`,
        query: { term: { target: 'ci-bot' } },
      });
      assert.equal(stored.count, 2, 'the entries are in Elasticsearch, not in either data dir');
    } finally {
      await client.close();
    }
  });
});
