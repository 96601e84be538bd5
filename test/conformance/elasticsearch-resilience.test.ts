import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@elastic/elasticsearch';
import { ElasticsearchWriteError } from '../../src/store/elasticsearch/write-error.ts';
import { createElasticsearchClient } from '../../src/store/elasticsearch/client.ts';
import { parseElasticsearchStoreConfig } from '../../src/store/elasticsearch/config.ts';
import { ElasticsearchEventStore } from '../../src/store/elasticsearch/elasticsearch-event-store.ts';
import { checkElasticsearch } from '../../src/store/elasticsearch/readiness.ts';
import { makeLog } from '../support/events.ts';
import { requireServer } from '../support/servers.ts';

const server = requireServer('elasticsearch');
const prefix = `trib-test-${randomBytes(4).toString('hex')}-net`;

/** What the proxy does to the next `_bulk` request instead of forwarding it as is. */
type Fault = { kind: 'request'; status: number } | { kind: 'items'; items: number[]; status: number };

/**
 * A loopback HTTP proxy in front of the real Elasticsearch that injects network-level faults into
 * `_bulk` requests: a whole-request status, or chosen documents answered with a status without being
 * forwarded (what a full write queue does). It can be closed and reopened on the same port (an outage).
 */
class FaultProxy {
  readonly faults: Fault[] = [];
  /** Documents in each `_bulk` request received. */
  readonly bulkSizes: number[] = [];
  private http: Server | null = null;
  private port = 0;

  constructor(private readonly target: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen(): Promise<void> {
    const http = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        res.writeHead(502).end(String(err));
      });
    });
    await new Promise<void>((resolve) => http.listen(this.port, '127.0.0.1', resolve));
    this.port = (http.address() as AddressInfo).port;
    this.http = http;
  }

  async close(): Promise<void> {
    const http = this.http;
    this.http = null;
    if (!http) return;
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body = Buffer.concat(chunks).toString('utf8');
    const isBulk = (req.url ?? '').split('?')[0]?.endsWith('/_bulk') ?? false;
    const fault = isBulk ? this.faults.shift() : undefined;
    let lines = body.split('\n').filter((line) => line !== '');
    if (isBulk) this.bulkSizes.push(lines.length / 2);
    if (fault?.kind === 'request') {
      res.writeHead(fault.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(esError(fault.status)));
      return;
    }
    const rejected = fault?.kind === 'items' ? fault : null;
    if (rejected) {
      lines = lines.filter((_, i) => !rejected.items.includes(Math.floor(i / 2)));
      body = lines.map((line) => `${line}\n`).join('');
    }
    const forwarded =
      lines.length > 0 || !rejected
        ? await fetch(`${this.target}${req.url ?? '/'}`, {
            method: req.method ?? 'GET',
            headers: pickHeaders(req, ['content-type', 'accept']),
            ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body }),
          })
        : null;
    let text = forwarded ? await forwarded.text() : JSON.stringify({ took: 0, errors: false, items: [] });
    if (rejected) {
      const parsed = JSON.parse(text) as { errors: boolean; items: object[] };
      for (const i of [...rejected.items].sort((a, b) => a - b)) {
        parsed.items.splice(i, 0, {
          create: { status: rejected.status, error: esError(rejected.status).error },
        });
      }
      parsed.errors = true;
      text = JSON.stringify(parsed);
    }
    res.writeHead(forwarded?.status ?? 200, {
      'content-type': forwarded?.headers.get('content-type') ?? 'application/json',
      'x-elastic-product': 'Elasticsearch',
    });
    res.end(text);
  }
}

function esError(status: number): { error: { type: string; reason: string }; status: number } {
  return { error: { type: 'es_rejected_execution_exception', reason: `simulated ${status}` }, status };
}

function pickHeaders(req: IncomingMessage, names: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

function openStore(url: string): { store: ElasticsearchEventStore; client: Client } {
  const config = parseElasticsearchStoreConfig({
    url,
    indexPrefix: prefix,
    retries: 2,
    retryBaseDelayMs: 10,
    retryMaxDelayMs: 50,
    requestTimeoutMs: 5000,
  });
  const client = createElasticsearchClient(config);
  return { store: new ElasticsearchEventStore(client, config), client };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('Elasticsearch store under faults', { skip: server.skip }, () => {
  const proxy = new FaultProxy(server.url ?? '');
  let direct: { store: ElasticsearchEventStore; client: Client };
  let viaProxy: { store: ElasticsearchEventStore; client: Client };

  before(async () => {
    await proxy.listen();
    direct = openStore(server.url as string);
    viaProxy = openStore(proxy.url);
    await direct.store.init();
  });
  after(async () => {
    await proxy.close();
    const rows = await direct.client.cat.indices({ index: `${prefix}-*`, format: 'json', h: 'index' });
    const names = rows.flatMap((row) => (row.index ? [row.index] : []));
    if (names.length > 0) await direct.client.indices.delete({ index: names });
    await direct.client.indices.deleteIndexTemplate({ name: `${prefix}-*` }, { ignore: [404] });
    await Promise.all([direct.client.close(), viaProxy.client.close()]);
  });

  const storedIds = async (ids: string[]): Promise<string[]> => {
    await direct.store.refresh();
    const page = await direct.store.query({ limit: 1000, order: 'asc' });
    return page.items.map((e) => e.id).filter((id) => ids.includes(id));
  };

  it('retries a bulk answered 429 (and 503) until it goes through', async () => {
    const events = [makeLog(), makeLog()];
    proxy.bulkSizes.length = 0;
    proxy.faults.push({ kind: 'request', status: 429 }, { kind: 'request', status: 503 });
    assert.deepEqual(await viaProxy.store.append(events), { stored: 2 });
    assert.deepEqual(proxy.bulkSizes, [2, 2, 2]);
    assert.deepEqual(
      await storedIds(events.map((e) => e.id)),
      events.map((e) => e.id),
    );
  });

  it('retries only the documents refused with 429 inside a bulk', async () => {
    const events = [makeLog(), makeLog(), makeLog(), makeLog()];
    proxy.bulkSizes.length = 0;
    proxy.faults.push({ kind: 'items', items: [1, 3], status: 429 });
    assert.deepEqual(await viaProxy.store.append(events), { stored: 4 });
    assert.deepEqual(proxy.bulkSizes, [4, 2]);
    assert.equal((await storedIds(events.map((e) => e.id))).length, 4);
  });

  it('gives up after the configured retries, then works again on the next append', async () => {
    const events = [makeLog(), makeLog()];
    proxy.bulkSizes.length = 0;
    proxy.faults.push(
      { kind: 'request', status: 429 },
      { kind: 'request', status: 429 },
      { kind: 'request', status: 429 },
    );
    await assert.rejects(viaProxy.store.append(events), ElasticsearchWriteError);
    assert.deepEqual(proxy.bulkSizes, [2, 2, 2]);
    assert.deepEqual(await viaProxy.store.append(events), { stored: 2 });
  });

  it('rejects while Elasticsearch is unreachable and recovers without a restart', async () => {
    const before = [makeLog()];
    assert.deepEqual(await viaProxy.store.append(before), { stored: 1 });
    await proxy.close();
    const during = [makeLog(), makeLog()];
    const started = Date.now();
    await assert.rejects(viaProxy.store.append(during), /after 3 tries/);
    assert.ok(Date.now() - started < 5000, 'bounded retries');
    assert.equal((await checkElasticsearch(viaProxy.client)).ok, false);
    await proxy.listen(); // the same port: the outage is over
    assert.deepEqual(await viaProxy.store.append(during), { stored: 2 });
    assert.equal((await checkElasticsearch(viaProxy.client)).ok, true);
    const ids = [...before, ...during].map((e) => e.id);
    assert.deepEqual(await storedIds(ids), ids);
  });

  it('rejects when pointed at a closed port, and a store on the real server accepts the same events', async () => {
    const closed = openStore(`http://127.0.0.1:${await freePort()}`);
    const events = [makeLog()];
    await assert.rejects(closed.store.append(events), ElasticsearchWriteError);
    assert.equal((await checkElasticsearch(closed.client)).ok, false);
    await closed.client.close();
    assert.deepEqual(await direct.store.append(events), { stored: 1 });
    assert.deepEqual(await checkElasticsearch(direct.client), { ok: true });
  });
});
