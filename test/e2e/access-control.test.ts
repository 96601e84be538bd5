import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openApiDocument } from '../../src/api/openapi.ts';
import { postIngest, startService, type RunningService } from '../support/service.ts';

const KEYS = {
  ingest: 'ingest-secret-1',
  read: 'read-secret-1',
  admin: 'admin-secret-1',
  payments: 'payments-read-secret',
  checkoutIngest: 'checkout-all-secret',
} as const;

const keysEnv = [
  `${KEYS.ingest}:ingest`,
  `${KEYS.read}:read`,
  `${KEYS.admin}:admin+read`,
  `${KEYS.payments}:read:payments`,
  `${KEYS.checkoutIngest}:read+ingest:checkout`,
].join(',');

async function call(
  url: string,
  method: string,
  key: string | null,
  body?: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = {};
  }
  return { status: response.status, json };
}

describe('access control', () => {
  let svc: RunningService;
  before(async () => {
    svc = await startService({
      auth: { keysEnv, teams: { payments: { services: ['payments', 'billing'] } } },
    });
    const body = ['checkout', 'payments', 'billing', 'search']
      .map((service) => JSON.stringify({ message: `hello from ${service}`, service: { name: service } }))
      .join('\n');
    const response = await fetch(`${svc.url}/v1/ingest/logstash`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.ingest}`, 'content-type': 'application/x-ndjson' },
      body,
    });
    assert.equal(response.status, 200);
  });
  after(async () => {
    await svc.stop();
  });

  it('enforces every documented operation x every scope (the authorization matrix)', async () => {
    const callers: { name: string; key: string | null; scopes: string[] }[] = [
      { name: 'no key', key: null, scopes: [] },
      { name: 'bad key', key: 'not-a-real-key', scopes: [] },
      { name: 'ingest', key: KEYS.ingest, scopes: ['ingest'] },
      { name: 'read', key: KEYS.read, scopes: ['read'] },
      { name: 'admin', key: KEYS.admin, scopes: ['admin', 'read'] },
    ];
    let checked = 0;
    for (const [template, operations] of Object.entries(openApiDocument.paths)) {
      for (const [method, operation] of Object.entries(operations as Record<string, { 'x-scope': string }>)) {
        const scope = operation['x-scope'];
        assert.ok(scope, `${method} ${template} declares no x-scope`);
        const path = template.replace(/\{[^}]+\}/g, 'matrix-probe');
        for (const caller of callers) {
          const body = method === 'post' ? '{}' : undefined;
          const { status } = await call(`${svc.url}${path}`, method.toUpperCase(), caller.key, body);
          const where = `${method.toUpperCase()} ${template} as ${caller.name}`;
          if (scope === 'public') assert.ok(status < 400, `${where}: ${status}`);
          else if (caller.key === null || caller.name === 'bad key') assert.equal(status, 401, where);
          else if (!caller.scopes.includes(scope)) assert.equal(status, 403, where);
          else assert.ok(status !== 401 && status !== 403, `${where}: ${status}`);
          checked++;
        }
      }
    }
    assert.ok(checked >= 60, `only ${checked} combinations`);
  });

  it("shows a team's key only its services, on every read endpoint", async () => {
    const events = await call(`${svc.url}/v1/events?limit=100`, 'GET', KEYS.payments);
    assert.deepEqual(
      [...new Set((events.json.items as { service: string }[]).map((e) => e.service))].sort(),
      ['billing', 'payments'],
    );
    const other = await call(`${svc.url}/v1/logs?service=checkout`, 'GET', KEYS.payments);
    assert.deepEqual(other.json.items, []);
    const services = await call(`${svc.url}/v1/services`, 'GET', KEYS.payments);
    assert.deepEqual(
      (services.json.items as { name: string }[]).map((s) => s.name),
      ['billing', 'payments'],
    );
    const own = await call(`${svc.url}/v1/logs`, 'GET', KEYS.checkoutIngest);
    assert.deepEqual(
      (own.json.items as { service: string }[]).map((e) => e.service),
      ['checkout'],
    );
    assert.equal((await call(`${svc.url}/v1/rejections`, 'GET', KEYS.payments)).status, 403);
    assert.equal((await call(`${svc.url}/v1/audit`, 'GET', KEYS.payments)).status, 403);
    const all = await call(`${svc.url}/v1/events?limit=100&q=hello`, 'GET', KEYS.read);
    assert.equal((all.json.items as unknown[]).length, 4);
  });

  it("shows a team's key only its services in the built-in view; another team's page is not found", async () => {
    const page = async (path: string, key: string) => {
      const response = await fetch(`${svc.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
      return { status: response.status, text: await response.text() };
    };
    const index = await page('/', KEYS.payments);
    assert.equal(index.status, 200);
    assert.match(index.text, /payments/);
    assert.match(index.text, /billing/);
    assert.doesNotMatch(index.text, /checkout|search/);
    assert.equal((await page('/services/payments', KEYS.payments)).status, 200);
    const other = await page('/services/checkout', KEYS.payments);
    assert.equal(other.status, 404);
    assert.doesNotMatch(other.text, /hello from checkout/);
    const everything = await page('/', KEYS.read);
    for (const service of ['checkout', 'payments', 'billing', 'search'])
      assert.match(everything.text, new RegExp(service));
    assert.equal((await page('/services/checkout', KEYS.read)).status, 200);
  });

  it('creates, uses, audits and revokes a key through the admin API', async () => {
    const created = await call(
      `${svc.url}/v1/admin/keys`,
      'POST',
      KEYS.admin,
      JSON.stringify({ name: 'ci-bot', scopes: ['read'] }),
    );
    assert.equal(created.status, 201);
    const secret = created.json.secret as string;
    assert.match(secret, /^trb_/);
    assert.equal((await call(`${svc.url}/v1/events`, 'GET', secret)).status, 200);
    const listed = await call(`${svc.url}/v1/admin/keys`, 'GET', KEYS.admin);
    assert.ok(!JSON.stringify(listed.json).includes(secret), 'secrets are never listed');
    assert.ok((listed.json.items as { name: string }[]).some((k) => k.name === 'ci-bot'));
    assert.equal(
      (
        await call(
          `${svc.url}/v1/admin/keys`,
          'POST',
          KEYS.admin,
          JSON.stringify({ name: 'ci-bot', scopes: ['read'] }),
        )
      ).status,
      409,
    );
    assert.equal(
      (
        await call(
          `${svc.url}/v1/admin/keys`,
          'POST',
          KEYS.admin,
          JSON.stringify({ name: '../x', scopes: ['root'] }),
        )
      ).status,
      400,
    );
    assert.equal((await call(`${svc.url}/v1/admin/keys/ci-bot`, 'DELETE', KEYS.admin)).status, 204);
    assert.equal((await call(`${svc.url}/v1/events`, 'GET', secret)).status, 401);
    const trail = await call(`${svc.url}/v1/audit?target=ci-bot`, 'GET', KEYS.admin);
    assert.deepEqual(
      (trail.json.items as { action: string; actor: string }[]).map((e) => [e.action, e.actor]),
      [
        ['api_key.delete', 'key-' + (await sha8(KEYS.admin))],
        ['api_key.create', 'key-' + (await sha8(KEYS.admin))],
      ],
    );
    const verify = await call(`${svc.url}/v1/audit/verify`, 'GET', KEYS.read);
    assert.deepEqual(verify.json, { ok: true, entries: 2, firstBroken: null });
  });

  it('treats injection attempts in parameters as plain values', async () => {
    for (const hostile of ["' OR 1=1 --", '{"match_all":{}}', '.*', '(a+)+$', '"; DROP TABLE events; --']) {
      const res = await call(
        `${svc.url}/v1/events?service=${encodeURIComponent(hostile)}&q=${encodeURIComponent(hostile)}`,
        'GET',
        KEYS.read,
      );
      assert.ok(res.status === 200 || res.status === 400, `${res.status} for ${hostile}`);
      if (res.status === 200) assert.deepEqual(res.json.items, []);
    }
    const all = await call(`${svc.url}/v1/events?limit=100&q=hello`, 'GET', KEYS.read);
    assert.equal((all.json.items as unknown[]).length, 4, 'stored data untouched');
  });
});

async function sha8(secret: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sha256').update(secret).digest('hex').slice(0, 8);
}

describe('rate limits', () => {
  it('answers 429 with Retry-After once a key exceeds its rate', async () => {
    const svc = await startService({
      auth: { keysEnv: `${KEYS.read}:read`, rateLimit: { perSecond: 1, burst: 3 } },
    });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const response = await fetch(`${svc.url}/v1/events`, {
          headers: { authorization: `Bearer ${KEYS.read}` },
        });
        statuses.push(response.status);
        if (response.status === 429) retryAfter = response.headers.get('retry-after');
        await response.arrayBuffer();
      }
      assert.deepEqual(statuses.slice(0, 3), [200, 200, 200]);
      assert.equal(statuses[4], 429);
      assert.equal(retryAfter, '1');
      assert.equal((await postIngest(svc.url, '{}')).status, 401, 'ingest without a key is refused too');
    } finally {
      await svc.stop();
    }
  });
});

describe('secure by default', () => {
  it('refuses to start on a non-loopback address without keys, and says why', async () => {
    const root = resolve(import.meta.dirname, '..', '..');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
      cwd: root,
      env: { ...process.env, TRIBUTARY_HOST: '0.0.0.0', TRIBUTARY_PORT: '0', TRIBUTARY_API_KEYS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    assert.equal(code, 1);
    assert.match(stderr, /refusing to start/);
    assert.match(stderr, /0\.0\.0\.0.*no API key is configured/);
  });

  it('refuses malformed TRIBUTARY_API_KEYS without echoing the secret', async () => {
    const root = resolve(import.meta.dirname, '..', '..');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
      cwd: root,
      env: { ...process.env, TRIBUTARY_PORT: '0', TRIBUTARY_API_KEYS: 'supersecretvalue:root' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    assert.equal(code, 1);
    assert.match(stderr, /entry 1: scopes must be ingest, read, admin/);
    assert.ok(!stderr.includes('supersecretvalue'));
  });
});

describe('the built-in view behind keys', () => {
  it('challenges browsers with Basic and accepts the key as the password', async () => {
    const svc = await startService({ auth: { keysEnv: `${KEYS.read}:read` } });
    try {
      const challenge = await fetch(`${svc.url}/`);
      assert.equal(challenge.status, 401);
      assert.match(challenge.headers.get('www-authenticate') ?? '', /Basic realm="tributary"/);
      await challenge.arrayBuffer();
      const basic = `Basic ${Buffer.from(`anyone:${KEYS.read}`).toString('base64')}`;
      const page = await fetch(`${svc.url}/`, { headers: { authorization: basic } });
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
      await page.arrayBuffer();
      const wrong = await fetch(`${svc.url}/`, {
        headers: { authorization: `Basic ${Buffer.from('x:nope-nope').toString('base64')}` },
      });
      assert.equal(wrong.status, 401);
      await wrong.arrayBuffer();
    } finally {
      await svc.stop();
    }
  });
});
