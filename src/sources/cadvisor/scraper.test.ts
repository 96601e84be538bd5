import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import type { MetricEvent, ParseResult } from '../../core/event.ts';
import { readFixture, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { cadvisorConfigSchema, type CadvisorConfigInput } from './config.ts';
import { createCadvisorScraper, type CadvisorScraper, type ScrapeFailure } from './scraper.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const servers: Server[] = [];
after(() => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
});

/** A loopback HTTP server; resolves with its base URL and the requests it has seen. */
async function serve(handler: Handler): Promise<{ url: string; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

interface Harness {
  scraper: CadvisorScraper;
  results: ParseResult<MetricEvent>[];
  failures: ScrapeFailure[];
}

function harness(
  config: CadvisorConfigInput,
  consume?: (result: ParseResult<MetricEvent>) => Promise<void>,
): Harness {
  const results: ParseResult<MetricEvent>[] = [];
  const failures: ScrapeFailure[] = [];
  const scraper = createCadvisorScraper({
    config: cadvisorConfigSchema.parse(config),
    consume: async (result) => {
      results.push(result);
      await consume?.(result);
    },
    onError: (failure) => failures.push(failure),
  });
  return { scraper, results, failures };
}

function upOf(result: ParseResult<MetricEvent> | undefined): number | undefined {
  return result?.events.find((e) => e.name === 'up')?.value;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('CadvisorScraper against loopback servers', { skip: skipWithoutFixtures }, () => {
  it('GETs /metrics, parses the samples and adds up=1 for the target', async () => {
    const text = readFixture('cadvisor', 'prometheus_metrics.prom');
    const { url, requests } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(text);
    });
    const { scraper, results, failures } = harness({ targets: [url] });
    await scraper.scrapeOnce();

    assert.equal(requests[0]?.url, '/metrics');
    assert.match(requests[0]?.headers.accept ?? '', /text\/plain;version=0\.0\.4/);
    assert.deepEqual(failures, []);
    assert.equal(results.length, 1);
    const [result] = results;
    assert.deepEqual(result?.rejections, []);
    assert.equal(result?.events.length, 287 + 2);
    const memory = result?.events.find((e) => e.name === 'container_memory_working_set_bytes');
    assert.deepEqual([memory?.value, memory?.service, memory?.host], [9, 'testcontaineralias', '127.0.0.1']);
    const up = result?.events.find((e) => e.name === 'up');
    assert.deepEqual(up?.labels, { job: 'cadvisor', instance: new URL(url).host });
    assert.equal(up?.value, 1);
    const duration = result?.events.find((e) => e.name === 'scrape_duration_seconds');
    assert.ok(duration && duration.value >= 0 && duration.value < 5);
    assert.deepEqual(scraper.stats(), { scrapes: 1, failures: 0, skipped: 0 });
  });

  it('reports a target that hangs past the timeout, and hands on up=0', async () => {
    const { url } = await serve(() => undefined);
    const { scraper, results, failures } = harness({ targets: [url], timeout: '200ms' });
    const started = Date.now();
    await scraper.scrapeOnce();
    assert.ok(Date.now() - started < 2000);
    assert.deepEqual(
      failures.map((f) => [f.reason, f.target]),
      [['timeout', url]],
    );
    assert.equal(upOf(results[0]), 0);
    assert.deepEqual(scraper.stats(), { scrapes: 1, failures: 1, skipped: 0 });
  });

  it('reports an HTTP 500 with its status', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(500);
      res.end('boom');
    });
    const { scraper, results, failures } = harness({ targets: [url] });
    await scraper.scrapeOnce();
    assert.deepEqual(
      failures.map((f) => [f.reason, f.status]),
      [['http_status', 500]],
    );
    assert.match(failures[0]?.message ?? '', /HTTP 500/);
    assert.equal(upOf(results[0]), 0);
  });

  it('reports a refused connection and a body over the size limit', async () => {
    const { url } = await serve((_req, res) => res.end('m 1\n'.repeat(1000)));
    const closed = await serve(() => undefined);
    servers.at(-1)?.close();
    await sleep(20);
    const { scraper, failures } = harness({ targets: [url, closed.url], maxBodyBytes: 100 });
    await scraper.scrapeOnce();
    assert.deepEqual(failures.map((f) => f.reason).sort(), ['body_too_large', 'network']);
  });

  it('scrapes several targets in one round, each with its own up', async () => {
    const good = await serve((_req, res) => res.end('container_scrape_error 0\n'));
    const bad = await serve((_req, res) => {
      res.writeHead(503);
      res.end();
    });
    const { scraper, results } = harness({ targets: [good.url, bad.url], host: 'node-09' });
    await scraper.scrapeOnce();
    const ups = results
      .map((r) => [r.events.find((e) => e.name === 'up')?.labels['instance'], upOf(r)])
      .sort();
    assert.deepEqual(
      ups,
      [
        [new URL(good.url).host, 1],
        [new URL(bad.url).host, 0],
      ].sort(),
    );
    assert.ok(results.every((r) => r.events.every((e) => e.host === 'node-09')));
  });

  it('counts a consumer failure and goes on', async () => {
    const { url } = await serve((_req, res) => res.end('m 1\n'));
    const { scraper, failures } = harness({ targets: [url] }, () => Promise.reject(new Error('queue full')));
    await scraper.scrapeOnce();
    await scraper.scrapeOnce();
    assert.deepEqual(
      failures.map((f) => [f.reason, f.message]),
      [
        ['consumer', 'queue full'],
        ['consumer', 'queue full'],
      ],
    );
  });
});

describe('CadvisorScraper lifecycle', () => {
  it('scrapes on start and every interval, and stops at shutdown', async () => {
    const { url } = await serve((_req, res) => res.end('m 1\n'));
    const { scraper, results } = harness({ targets: [url], interval: '50ms', timeout: '50ms' });
    await scraper.start();
    await waitFor(() => results.length >= 3, 'three scrapes');
    await scraper.shutdown(Date.now() + 1000);
    const { scrapes } = scraper.stats();
    const consumed = results.length;
    await sleep(200);
    assert.equal(scraper.stats().scrapes, scrapes);
    assert.equal(results.length, consumed);
  });

  it('shutdown waits for the scrape in flight and its consumer', async () => {
    let respond: (() => void) | undefined;
    const { url, requests } = await serve((_req, res) => {
      respond = () => res.end('m 1\n');
    });
    const { scraper, results } = harness({ targets: [url], interval: '1h', timeout: '5s' }, () => sleep(50));
    await scraper.start();
    await waitFor(() => requests.length === 1, 'the first request');
    let finished = false;
    const shutdown = scraper.shutdown(Date.now() + 5000).then(() => {
      finished = true;
    });
    await sleep(100);
    assert.equal(finished, false, 'shutdown returned while the scrape was in flight');
    respond?.();
    await shutdown;
    assert.equal(results.length, 1);
    assert.equal(upOf(results[0]), 1);
  });

  it('shutdown aborts a scrape that would outlive the deadline, reporting it', async () => {
    const { url } = await serve(() => undefined);
    const { scraper, results, failures } = harness({ targets: [url], interval: '1h', timeout: '30s' });
    await scraper.start();
    await sleep(50);
    const started = Date.now();
    await scraper.shutdown(Date.now() + 600);
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    assert.deepEqual(
      failures.map((f) => f.reason),
      ['aborted'],
    );
    assert.equal(upOf(results[0]), 0);
  });

  it('reports a target that is not a URL (config not validated) instead of throwing', async () => {
    const failures: ScrapeFailure[] = [];
    const scraper = createCadvisorScraper({
      config: { ...cadvisorConfigSchema.parse({}), targets: ['not a url'] },
      consume: () => Promise.resolve(),
      onError: (failure) => failures.push(failure),
    });
    await scraper.scrapeOnce();
    assert.deepEqual(
      failures.map((f) => f.reason),
      ['invalid_target'],
    );
  });

  it('shutdown is idempotent and safe without start; start after shutdown does nothing', async () => {
    const { url, requests } = await serve((_req, res) => res.end('m 1\n'));
    const { scraper } = harness({ targets: [url] });
    const first = scraper.shutdown(Date.now() + 100);
    assert.equal(scraper.shutdown(Date.now() + 100), first);
    await first;
    await scraper.start();
    await sleep(50);
    assert.equal(requests.length, 0);
  });
});
