import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import express, { type NextFunction, type Request, type Response } from 'express';
import { pino } from 'pino';
import { ApiError } from '../../src/api/errors.ts';
import { dashboardsConfigSchema } from '../../src/dashboards/config.ts';
import { generateDashboards, runDashboardsCommand } from '../../src/dashboards/generate.ts';
import { buildGrafanaDashboard } from '../../src/dashboards/grafana/build-dashboard.ts';
import { buildKibanaObjects } from '../../src/dashboards/kibana/build-saved-objects.ts';
import { createOnFirstSeen } from '../../src/dashboards/on-first-seen.ts';
import { dashboardRoutes } from '../../src/dashboards/routes.ts';
import type { ServiceCatalog, ServiceEntry } from '../../src/stages/resolve-services/service-catalog.ts';

const OPTIONS = {
  serviceLabel: 'container_label_com_docker_compose_service',
  publicUrl: 'http://127.0.0.1:8080',
};

function catalogOf(names: readonly string[]): ServiceCatalog {
  const entries: ServiceEntry[] = names.map((name) => ({
    name,
    firstSeen: '2026-11-24T10:00:00.000000000Z',
    lastSeen: '2026-11-24T10:00:00.000000000Z',
    sources: ['logstash'],
    hosts: [],
    containers: [],
    counts: { log: 1 },
  }));
  return { observe: async () => [], list: async () => entries };
}

async function listen(app: express.Express): Promise<{ url: string; server: Server }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('GET /v1/dashboards/:service and POST /v1/dashboards/:service/publish', () => {
  let api: { url: string; server: Server };
  let grafana: { url: string; server: Server };
  let grafanaAnswers = 200;

  before(async () => {
    const fake = express();
    fake.get('/api/dashboards/uid/:uid', (_req, res) => {
      res.status(404).json({ message: 'Dashboard not found' });
    });
    fake.post('/api/dashboards/db', (_req, res) => {
      res
        .status(grafanaAnswers)
        .json(grafanaAnswers === 200 ? { status: 'success' } : { message: 'Access denied' });
    });
    grafana = await listen(fake);
    const app = express();
    app.set('query parser', 'simple');
    app.use(
      dashboardRoutes({
        catalog: catalogOf(['checkout', '<img src=x onerror=alert(1)>']),
        dashboards: dashboardsConfigSchema.parse({
          ...OPTIONS,
          grafanaUrl: grafana.url,
          grafanaToken: 'secret-token',
        }),
        logger: pino({ level: 'silent' }),
      }),
    );
    // The same error shape as src/api/app.ts's handler.
    app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
      const e = err instanceof ApiError ? err : new ApiError('TRB_INTERNAL', 'internal error');
      res.status(e.status).json(e.toBody());
    });
    api = await listen(app);
  });
  after(() => {
    api.server.close();
    grafana.server.close();
  });

  it('serves the Grafana dashboard by default, byte for byte the generated one', async () => {
    const response = await fetch(`${api.url}/v1/dashboards/checkout`);
    assert.equal(response.status, 200);
    assert.match(String(response.headers.get('content-type')), /^application\/json/);
    assert.equal(await response.text(), buildGrafanaDashboard('checkout', OPTIONS).json);
  });

  it('serves the Kibana saved objects as NDJSON with format=kibana', async () => {
    const response = await fetch(`${api.url}/v1/dashboards/checkout?format=kibana`);
    assert.equal(response.status, 200);
    assert.match(String(response.headers.get('content-type')), /^application\/x-ndjson/);
    assert.equal(await response.text(), buildKibanaObjects('checkout').ndjson);
  });

  it('serves a service whose name is markup, as long as it holds no path separator', async () => {
    const response = await fetch(
      `${api.url}/v1/dashboards/${encodeURIComponent('<img src=x onerror=alert(1)>')}`,
    );
    assert.equal(response.status, 200);
  });

  it('answers 404 TRB_NOT_FOUND for an unknown service', async () => {
    const response = await fetch(`${api.url}/v1/dashboards/nobody`);
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'TRB_NOT_FOUND');
  });

  it('answers 400 for a bad format and for traversal or control characters in the name', async () => {
    for (const path of [
      '/v1/dashboards/checkout?format=xml',
      '/v1/dashboards/checkout?format=grafana&format=kibana',
      `/v1/dashboards/${encodeURIComponent('../../etc/passwd')}`,
      '/v1/dashboards/...',
      `/v1/dashboards/${encodeURIComponent('<script>alert(1)</script>')}`,
      '/v1/dashboards/check%00out',
      `/v1/dashboards/${'a'.repeat(201)}`,
    ]) {
      const response = await fetch(`${api.url}${path}`);
      assert.equal(response.status, 400, path);
      assert.equal(
        ((await response.json()) as { error: { code: string } }).error.code,
        'TRB_INVALID_REQUEST',
        path,
      );
    }
    // fetch would resolve `..` away; a raw request sends it as it is.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const { hostname, port } = new URL(api.url);
      get({ hostname, port, path: '/v1/dashboards/%2E%2E' }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on('error', reject);
    });
    assert.equal(status, 400);
  });

  it('publishes on POST, and answers 502 with the outcomes when Grafana refuses', async () => {
    grafanaAnswers = 200;
    const ok = await fetch(`${api.url}/v1/dashboards/checkout/publish`, { method: 'POST' });
    assert.equal(ok.status, 200);
    const body = (await ok.json()) as { grafana: { status: string }; kibana: { status: string } };
    assert.equal(body.grafana.status, 'published');
    assert.equal(body.kibana.status, 'not-configured');
    grafanaAnswers = 403;
    const refused = await fetch(`${api.url}/v1/dashboards/checkout/publish`, { method: 'POST' });
    assert.equal(refused.status, 502);
    const error = (
      (await refused.json()) as { error: { code: string; details: { grafana: { status: string } } } }
    ).error;
    assert.equal(error.code, 'TRB_UPSTREAM_FAILED');
    assert.equal(error.details.grafana.status, 'failed');
    assert.equal((await fetch(`${api.url}/v1/dashboards/nobody/publish`, { method: 'POST' })).status, 404);
  });
});

describe('dashboard files', () => {
  const out = mkdtempSync(join(tmpdir(), 'trib-dashboards-'));
  after(() => rmSync(out, { recursive: true, force: true }));

  it('writes <service>/grafana.json and kibana.ndjson, never outside the output dir', async () => {
    const result = await generateDashboards(
      [
        'checkout',
        '<img src=x onerror=alert(1)>',
        '<script>alert(1)</script>',
        '../../etc/passwd',
        '..',
        'Checkout',
      ],
      OPTIONS,
      out,
    );
    assert.deepEqual(result.failed.map((f) => f.service).sort(), [
      '..',
      '../../etc/passwd',
      '<script>alert(1)</script>',
    ]);
    const dirs = readdirSync(out).sort();
    assert.equal(dirs.length, 3);
    assert.ok(dirs.includes('checkout'));
    for (const dir of dirs) {
      assert.match(dir, /^[a-z0-9._-]+$/, dir);
      assert.deepEqual(readdirSync(join(out, dir)).sort(), ['grafana.json', 'kibana.ndjson']);
    }
    assert.equal(
      readFileSync(join(out, 'checkout', 'grafana.json'), 'utf8'),
      buildGrafanaDashboard('checkout', OPTIONS).json,
    );
    assert.equal(
      readFileSync(join(out, 'checkout', 'kibana.ndjson'), 'utf8'),
      buildKibanaObjects('checkout').ndjson,
    );
  });

  it('leaves unchanged files alone on a second generation', async () => {
    const result = await generateDashboards(['checkout'], OPTIONS, out);
    assert.equal(result.written[0]?.changed, false);
  });

  it('generates from the CLI: tributary dashboards generate --service X --out DIR', async () => {
    const cliOut = join(out, 'cli');
    const data = mkdtempSync(join(tmpdir(), 'trib-data-'));
    const lines: string[] = [];
    const io = {
      env: { TRIBUTARY_DATA_DIR: data },
      out: (l: string) => lines.push(l),
      err: (l: string) => lines.push(l),
    };
    try {
      assert.equal(
        await runDashboardsCommand(
          ['generate', '--service', 'checkout', '--service', 'cart', '--out', cliOut],
          io,
        ),
        0,
      );
      assert.ok(existsSync(join(cliOut, 'checkout', 'grafana.json')));
      assert.ok(existsSync(join(cliOut, 'cart', 'kibana.ndjson')));
      assert.equal(
        await runDashboardsCommand(['dashboards', 'generate', '--out', cliOut], io),
        1,
        'no catalog yet',
      );
      assert.ok(lines.some((l) => l.includes('no service known yet')));
      assert.equal(existsSync(join(data, 'tributary.db')), false, 'does not create a database');
      assert.equal(await runDashboardsCommand(['frobnicate'], io), 2);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});

describe('dashboards for services seen for the first time', () => {
  const out = mkdtempSync(join(tmpdir(), 'trib-first-seen-'));
  after(() => rmSync(out, { recursive: true, force: true }));

  it('writes the files, publishes, never rejects, and counts what failed', async () => {
    const posted: string[] = [];
    const fake = express();
    fake.use(express.json({ limit: '5mb' }));
    fake.get('/api/dashboards/uid/:uid', (_req, res) => void res.status(404).json({}));
    fake.post('/api/dashboards/db', (req, res) => {
      posted.push((req.body as { dashboard: { title: string } }).dashboard.title);
      res.json({ status: 'success' });
    });
    const grafana = await listen(fake);
    const counts = { received: 0, sent: 0, errors: 0 };
    const onFirstSeen = createOnFirstSeen({
      config: dashboardsConfigSchema.parse({
        ...OPTIONS,
        outputDir: out,
        grafanaUrl: grafana.url,
        grafanaToken: 't',
      }),
      logger: pino({ level: 'silent' }),
      counters: {
        received: (n = 1) => void (counts.received += n),
        sent: (n = 1) => void (counts.sent += n),
        rejected: () => {},
        error: (n = 1) => void (counts.errors += n),
      },
    });
    try {
      await onFirstSeen(['checkout', 'bad/name']);
      assert.ok(existsSync(join(out, 'checkout', 'grafana.json')));
      assert.deepEqual(posted, ['checkout (Tributary)']);
      assert.deepEqual(counts, { received: 2, sent: 1, errors: 1 });
    } finally {
      grafana.server.close();
    }
    // Grafana gone: still resolves, the failure is counted.
    await onFirstSeen(['cart']);
    assert.equal(counts.errors, 2);
    assert.ok(existsSync(join(out, 'cart', 'kibana.ndjson')));
  });
});
