import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { dashboardsConfigSchema, type DashboardsConfigInput } from '../../src/dashboards/config.ts';
import { publishServiceDashboards } from '../../src/dashboards/publish.ts';
import { renderServiceDashboards } from '../../src/dashboards/render.ts';

interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

type Handler = (req: Recorded) => { status: number; body: unknown };

/** A loopback HTTP server that records every request and answers with `handler`. */
async function recordingServer(
  handler: () => Handler,
): Promise<{ url: string; requests: Recorded[]; server: Server }> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(recorded);
      const { status, body } = handler()(recorded);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

function config(input: DashboardsConfigInput) {
  return dashboardsConfigSchema.parse({ publicUrl: 'http://tributary:8080', ...input });
}

/** The multipart body as a server sees it, parsed by the platform's own form-data parser. */
async function multipartFile(req: Recorded): Promise<File> {
  const request = new Request('http://x/', {
    method: 'POST',
    headers: { 'content-type': String(req.headers['content-type']) },
    body: new Uint8Array(req.body),
  });
  const file = (await request.formData()).get('file');
  assert.ok(file instanceof File, 'multipart field "file" holds a file');
  return file;
}

describe('publishing to Grafana (POST /api/dashboards/db)', () => {
  const TOKEN = 'glsa_test_token_1234567890';
  let grafana: Awaited<ReturnType<typeof recordingServer>>;
  /** What the fake Grafana holds, by uid. */
  const stored = new Map<string, { dashboard: Record<string, unknown>; folderUid: string }>();
  let failWith: number | null = null;

  before(async () => {
    grafana = await recordingServer(() => (req) => {
      if (failWith !== null) return { status: failWith, body: { message: 'Invalid API key' } };
      const get = /^\/api\/dashboards\/uid\/([^/?]+)$/.exec(req.path);
      if (req.method === 'GET' && get) {
        const found = stored.get(decodeURIComponent(get[1] ?? ''));
        return found
          ? {
              status: 200,
              body: { dashboard: found.dashboard, meta: { folderUid: found.folderUid, version: 3 } },
            }
          : { status: 404, body: { message: 'Dashboard not found' } };
      }
      if (req.method === 'POST' && req.path === '/api/dashboards/db') {
        const body = JSON.parse(req.body.toString('utf8')) as {
          dashboard: { uid: string };
          folderUid?: string;
        };
        stored.set(body.dashboard.uid, { dashboard: body.dashboard, folderUid: body.folderUid ?? '' });
        return { status: 200, body: { status: 'success', uid: body.dashboard.uid, version: 4, url: '/d/x' } };
      }
      return { status: 404, body: { message: 'Not found' } };
    });
  });
  after(() => grafana.server.close());
  beforeEach(() => {
    grafana.requests.length = 0;
    stored.clear();
    failWith = null;
  });

  const generated = renderServiceDashboards('checkout', {
    serviceLabel: 'container_label_com_docker_compose_service',
    publicUrl: 'http://tributary:8080',
  });

  it('posts the dashboard with a bearer token, the team folder, overwrite and a versioned message', async () => {
    const cfg = config({
      grafanaUrl: `${grafana.url}/`,
      grafanaToken: TOKEN,
      grafanaFolderUids: { payments: 'team-payments' },
    });
    const result = await publishServiceDashboards(generated, cfg, { payments: { services: ['checkout'] } });
    assert.equal(result.grafana.status, 'published', result.grafana.detail);
    assert.equal(result.kibana.status, 'not-configured');
    const [lookup, post] = grafana.requests;
    assert.equal(grafana.requests.length, 2);
    assert.equal(lookup?.method, 'GET');
    assert.equal(lookup?.path, `/api/dashboards/uid/${generated.grafana.uid}`);
    assert.equal(post?.method, 'POST');
    assert.equal(post?.path, '/api/dashboards/db');
    for (const req of [lookup, post]) assert.equal(req?.headers.authorization, `Bearer ${TOKEN}`);
    assert.match(String(post?.headers['content-type']), /^application\/json/);
    const body = JSON.parse(post?.body.toString('utf8') ?? '') as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['dashboard', 'folderUid', 'message', 'overwrite']);
    assert.equal(body.folderUid, 'team-payments');
    assert.equal(body.overwrite, true);
    assert.match(
      String(body.message),
      new RegExp(`^tributary \\d+\\.\\d+\\.\\d+\\S* ${generated.grafana.hash}$`),
    );
    const dashboard = body.dashboard as Record<string, unknown>;
    assert.equal(dashboard.uid, generated.grafana.uid);
    assert.equal(dashboard.id, null, 'id null: Grafana matches by uid');
    assert.equal(dashboard.title, 'checkout (Tributary)');
  });

  it('skips an unchanged dashboard (same hash in the description, same folder) and republishes on change', async () => {
    const cfg = config({ grafanaUrl: grafana.url, grafanaToken: TOKEN });
    assert.equal((await publishServiceDashboards(generated, cfg)).grafana.status, 'published');
    grafana.requests.length = 0;
    const again = await publishServiceDashboards(generated, cfg);
    assert.equal(again.grafana.status, 'unchanged');
    assert.deepEqual(
      grafana.requests.map((r) => r.method),
      ['GET'],
      'no POST when unchanged',
    );

    const moved = await publishServiceDashboards(
      generated,
      config({ grafanaUrl: grafana.url, grafanaToken: TOKEN, grafanaDefaultFolderUid: 'ops' }),
    );
    assert.equal(moved.grafana.status, 'published', 'another folder is a change');

    const edited = stored.get(generated.grafana.uid);
    if (edited) edited.dashboard.description = 'edited by hand';
    assert.equal(
      (await publishServiceDashboards(generated, cfg)).grafana.status,
      'published',
      'a hand edit is overwritten',
    );
  });

  it('reports a refusal as a failure without leaking the token', async () => {
    failWith = 401;
    const result = await publishServiceDashboards(
      generated,
      config({ grafanaUrl: grafana.url, grafanaToken: TOKEN }),
    );
    assert.equal(result.grafana.status, 'failed');
    assert.match(result.grafana.detail ?? '', /401/);
    assert.doesNotMatch(JSON.stringify(result), new RegExp(TOKEN));
  });

  it('reports an unreachable Grafana as a failure', async () => {
    const closed = await recordingServer(() => () => ({ status: 200, body: {} }));
    await new Promise<void>((resolve) => closed.server.close(() => resolve()));
    const result = await publishServiceDashboards(
      generated,
      config({ grafanaUrl: closed.url, grafanaToken: TOKEN }),
    );
    assert.equal(result.grafana.status, 'failed');
    assert.match(result.grafana.detail ?? '', /could not be reached/);
  });
});

describe('publishing to Kibana (POST /api/saved_objects/_import)', () => {
  let kibana: Awaited<ReturnType<typeof recordingServer>>;
  /** Saved objects the fake Kibana holds, by `type/id`. */
  const stored = new Map<string, unknown>();
  const imports: string[] = [];

  before(async () => {
    kibana = await recordingServer(() => (req) => {
      const path = req.path.replace(/^\/s\/[^/]+/, '');
      const get = /^\/api\/saved_objects\/dashboard\/([^/?]+)$/.exec(path);
      if (req.method === 'GET' && get) {
        const found = stored.get(`dashboard/${decodeURIComponent(get[1] ?? '')}`);
        return found
          ? { status: 200, body: found }
          : { status: 404, body: { statusCode: 404, error: 'Not Found' } };
      }
      if (req.method === 'POST' && path === '/api/saved_objects/_import?overwrite=true') {
        if (req.headers['kbn-xsrf'] === undefined)
          return { status: 400, body: { message: 'Request must contain a kbn-xsrf header.' } };
        return { status: 200, body: { success: true, successCount: 6, successResults: [] } };
      }
      return { status: 404, body: {} };
    });
  });
  after(() => kibana.server.close());
  beforeEach(() => {
    kibana.requests.length = 0;
    stored.clear();
    imports.length = 0;
  });

  const generated = renderServiceDashboards('checkout', {
    serviceLabel: 'container_label_com_docker_compose_service',
    publicUrl: 'http://tributary:8080',
  });

  /** Plays Kibana's part after an import: the objects become readable. */
  async function acceptImport(req: Recorded): Promise<void> {
    const text = await (await multipartFile(req)).text();
    imports.push(text);
    for (const line of text.split('\n').filter(Boolean)) {
      const object = JSON.parse(line) as { type: string; id: string };
      stored.set(`${object.type}/${object.id}`, object);
    }
  }

  it('uploads the NDJSON as multipart field "file" with kbn-xsrf and the API key, overwriting', async () => {
    const cfg = config({ kibanaUrl: kibana.url, kibanaApiKey: 'a2V5OnNlY3JldA==' });
    const result = await publishServiceDashboards(generated, cfg);
    assert.equal(result.kibana.status, 'published', result.kibana.detail);
    assert.equal(result.grafana.status, 'not-configured');
    const [lookup, upload] = kibana.requests;
    assert.equal(lookup?.method, 'GET');
    assert.equal(lookup?.path, `/api/saved_objects/dashboard/${generated.kibana.dashboardId}`);
    assert.equal(upload?.method, 'POST');
    assert.equal(upload?.path, '/api/saved_objects/_import?overwrite=true');
    assert.equal(upload?.headers['kbn-xsrf'], 'true');
    assert.equal(upload?.headers.authorization, 'ApiKey a2V5OnNlY3JldA==');
    assert.match(String(upload?.headers['content-type']), /^multipart\/form-data; boundary=/);
    const file = await multipartFile(upload as Recorded);
    assert.equal(file.name, 'checkout.ndjson');
    assert.equal(await file.text(), generated.kibana.ndjson);
  });

  it('skips the import when Kibana already holds this content, and imports into the configured space', async () => {
    const cfg = config({ kibanaUrl: kibana.url, kibanaSpace: 'payments' });
    await publishServiceDashboards(generated, cfg);
    const upload = kibana.requests.find((r) => r.method === 'POST') as Recorded;
    assert.equal(upload.path, '/s/payments/api/saved_objects/_import?overwrite=true');
    assert.equal(upload.headers.authorization, undefined, 'no API key configured, none sent');
    await acceptImport(upload);
    kibana.requests.length = 0;
    const again = await publishServiceDashboards(generated, cfg);
    assert.equal(again.kibana.status, 'unchanged');
    assert.deepEqual(
      kibana.requests.map((r) => `${r.method} ${r.path}`),
      [`GET /s/payments/api/saved_objects/dashboard/${generated.kibana.dashboardId}`],
    );
  });

  it('reports a partial import as a failure', async () => {
    const refusing = await recordingServer(
      () => (req) =>
        req.method === 'GET'
          ? { status: 404, body: {} }
          : {
              status: 200,
              body: {
                success: false,
                successCount: 5,
                errors: [{ id: 'x', type: 'lens', error: { type: 'unknown' } }],
              },
            },
    );
    const result = await publishServiceDashboards(generated, config({ kibanaUrl: refusing.url }));
    refusing.server.close();
    assert.equal(result.kibana.status, 'failed');
    assert.match(result.kibana.detail ?? '', /refused part of the import/);
  });
});
