import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { createAlerting, type Alerting } from '../../src/alerting/create-alerting.ts';
import { parseAlertmanagerConfig } from '../../src/alerting/load-alertmanager-config.ts';
import { parseRuleFiles } from '../../src/alerting/load-rules.ts';
import { loadRulesDir } from '../../src/alerting/load-rules.ts';
import { alertRoutes } from '../../src/alerting/routes/alert-routes.ts';
import { silenceRoutes } from '../../src/alerting/routes/silence-routes.ts';
import { ApiError } from '../../src/api/errors.ts';
import type { AuditRecord } from '../../src/audit/audit-log.ts';
import { alertEvent, checkEvent } from '../../src/stages/evaluate-rules/event-builders.ts';
import { MemoryStateStore } from '../../src/state/memory/memory-state-store.ts';

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('alerting over HTTP: rules -> noise reduction -> webhook, silences and decisions API', () => {
  const hooks: Record<string, unknown>[] = [];
  const audit: AuditRecord[] = [];
  let sink: { server: Server; url: string };
  let api: { server: Server; url: string };
  let alerting: Alerting;

  before(async () => {
    sink = await listen((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hooks.push(JSON.parse(body) as Record<string, unknown>);
        res.end('ok');
      });
    });
    const rules = loadRulesDir(new URL('../../rules/', import.meta.url).pathname);
    alerting = createAlerting({
      alertmanager: parseAlertmanagerConfig(`
route: {receiver: hook, group_by: [alertname, host], group_wait: 200ms, group_interval: 1s}
receivers: [{name: hook, webhook_configs: [{url: '${sink.url}/hook'}]}]
`),
      rules: {
        ...rules,
        noise: parseRuleFiles([{ path: 'n.yaml', text: 'noise: {topology: {parent_wait: 0s}}' }]).noise,
      },
      state: new MemoryStateStore(),
      audit: { append: async (r) => void audit.push(r) as never },
      replicaId: 'e2e',
      externalURL: 'http://tributary.test',
      logger: { info: () => {}, warn: () => {}, error: () => {} },
    });
    for (const c of alerting.components) await c.start();
    const app = express();
    app.set('query parser', 'simple');
    // Stands in for accessControl: `x-team` makes the request team-scoped.
    app.use((req, res, next) => {
      const team = req.headers['x-team'];
      res.locals.principal = { id: 'test', scopes: new Set(), team: typeof team === 'string' ? team : null };
      next();
    });
    app.use(
      silenceRoutes({
        silences: alerting.reducer.silences,
        audit: { append: async (r) => void audit.push(r) as never },
        servicesOfTeam: (t) => [t],
      }),
    );
    app.use(
      alertRoutes({
        incidents: alerting.incidents,
        decisions: alerting.decisions,
        servicesOfTeam: (t) => [t],
      }),
    );
    app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      const e = err instanceof ApiError ? err : new ApiError('TRB_INTERNAL', String(err));
      res.status(e.status).json(e.toBody());
    });
    api = await listen(app);
  });

  after(async () => {
    for (const c of [...alerting.components].reverse()) await c.shutdown(Date.now() + 2000);
    sink.server.closeAllConnections();
    api.server.closeAllConnections();
    await new Promise((r) => sink.server.close(r));
    await new Promise((r) => api.server.close(r));
  });

  const call = async (method: string, path: string, body?: unknown, team?: string) => {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(team ? { 'x-team': team } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };

  it('silences in Alertmanager API v2 shape: create, list with state, expire; invalid ones refused', async () => {
    const now = Date.now();
    const created = await call('POST', '/api/v2/silences', {
      matchers: [{ name: 'host', value: 'db-9', isRegex: false, isEqual: true }],
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      createdBy: 'ops',
      comment: 'maintenance',
    });
    assert.equal(created.status, 200);
    const id = (created.body as { silenceID: string }).silenceID;
    const listed = (await call('GET', '/v1/silences')).body as { id: string; status: { state: string } }[];
    assert.equal(listed.find((s) => s.id === id)?.status.state, 'active');
    const bad = await call('POST', '/v1/silences', {
      matchers: [{ name: 'a', value: '.*', isRegex: true }],
      startsAt: 'x',
    });
    assert.equal(bad.status, 400);
    const matchAll = await call('POST', '/v1/silences', {
      matchers: [{ name: 'a', value: '.*', isRegex: true, isEqual: true }],
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 60_000).toISOString(),
      createdBy: 'x',
      comment: 'y',
    });
    assert.equal(matchAll.status, 400);
    assert.match(JSON.stringify(matchAll.body), /must not match the empty string/);
    assert.equal(
      (
        await call(
          'POST',
          '/v1/silences',
          {
            matchers: [{ name: 'service', value: 'other', isRegex: false, isEqual: true }],
            startsAt: new Date(now).toISOString(),
            endsAt: new Date(now + 60_000).toISOString(),
            createdBy: 'x',
            comment: 'y',
          },
          'payments',
        )
      ).status,
      403,
    );
    assert.equal((await call('GET', `/api/v2/silence/${id}`)).status, 200);
    assert.equal((await call('DELETE', `/v1/silences/${id}`)).status, 200);
    assert.equal(
      ((await call('GET', `/v1/silences/${id}`)).body as { status: { state: string } }).status.state,
      'expired',
    );
    assert.equal((await call('DELETE', '/v1/silences/nope')).status, 404);
    assert.ok(
      audit.some((r) => r.action === 'silence.create') && audit.some((r) => r.action === 'silence.expire'),
    );
  });

  it('a Nagios HARD state and a Prometheus alert become notifications, incidents and recorded decisions', async () => {
    const now = Date.now();
    await alerting.consume([
      checkEvent(now, 'db-1', 'HTTP', 2, 'HARD', 3, 3),
      alertEvent(now, { alertname: 'HighLatency', service: 'payments', host: 'api-1' }),
    ]);
    const deadline = Date.now() + 5000;
    while (hooks.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(hooks.length, 2);
    for (const h of hooks) {
      assert.equal(h.version, '4');
      assert.equal(h.receiver, 'hook');
      assert.equal(h.status, 'firing');
    }
    const incidents = (await call('GET', '/v1/alerts?status=firing')).body as {
      items: { service: string; alerts: unknown[] }[];
    };
    assert.equal(incidents.items.length, 2);
    const scoped = (await call('GET', '/v1/alerts', undefined, 'payments')).body as {
      items: { service: string }[];
    };
    assert.deepEqual(
      scoped.items.map((i) => i.service),
      ['payments'],
    );
    const sent = (await call('GET', '/v1/notifications?decision=sent')).body as {
      items: { reason: string; notificationId: string }[];
    };
    assert.equal(sent.items.length, 2);
    assert.match(sent.items[0]?.reason ?? '', /firing: 1 firing/);
    assert.ok(audit.filter((r) => r.action === 'notification.sent').length === 2);
    assert.ok(audit.some((r) => r.action === 'notification.grouped'));
  });

  it('refuses unknown or malformed query parameters with 400', async () => {
    assert.equal((await call('GET', '/v1/alerts?bogus=1')).status, 400);
    assert.equal((await call('GET', '/v1/alerts?limit=0')).status, 400);
    assert.equal((await call('GET', '/v1/alerts?status=maybe')).status, 400);
    assert.equal((await call('GET', '/v1/notifications?decision=nope')).status, 400);
    assert.equal((await call('GET', '/v1/notifications?cursor=abc')).status, 400);
    assert.equal((await call('GET', '/v1/alerts?cursor=abc')).status, 400);
    assert.equal((await call('GET', '/v1/alerts?from=yesterday')).status, 400);
  });
});
