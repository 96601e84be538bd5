import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { fixturePath, readFixture, skipWithoutFixtures } from '../support/fixtures.ts';
import { getJson, postIngest, startService, type RunningService } from '../support/service.ts';

describe('Logstash ingest and the event query, end to end', () => {
  let svc: RunningService;
  before(async () => {
    svc = await startService();
  });
  after(async () => {
    await svc.stop();
  });

  it(
    'stores every Logstash fixture and finds each by a word of its message',
    { skip: skipWithoutFixtures },
    async () => {
      const files = readdirSync(fixturePath('logstash')).filter((f) => /\.(json|ndjson)$/.test(f));
      for (const file of files) {
        const response = await postIngest(svc.url, readFixture('logstash', file));
        assert.equal(response.status, 200, `${file}: ${JSON.stringify(response.body)}`);
      }
      const hello = await getJson(`${svc.url}/v1/events?kind=log&q=hello`);
      assert.equal((hello.body.items as { message: string }[])[0]?.message, 'Hello world!');
      const refused = await getJson(`${svc.url}/v1/events?kind=log&q=connection%20refused`);
      const item = (refused.body.items as { host: string; level: string }[])[0];
      assert.equal(item?.host, 'app-node-01', 'host given as an object');
      assert.equal(item?.level, 'error');
      const hostString = await getJson(`${svc.url}/v1/events?host=Macintosh.local`);
      assert.equal((hostString.body.items as unknown[]).length, 1, 'host given as a string');
    },
  );

  it('keeps 3, 6 and 9 fractional digits of @timestamp', async () => {
    const stamps = [
      '2026-03-01T10:00:00.123Z',
      '2026-03-01T10:00:00.123456Z',
      '2026-03-01T10:00:00.123456789Z',
    ];
    const body = stamps
      .map((s) => JSON.stringify({ '@timestamp': s, message: `precision probe ${s.length}` }))
      .join('\n');
    assert.equal((await postIngest(svc.url, body, 'application/x-ndjson')).status, 200);
    const page = await getJson(`${svc.url}/v1/logs?q=precision%20probe&sort=asc&order=timestamp`);
    const items = page.body.items as { timestamp: string; time: string }[];
    assert.deepEqual(
      items.map((i) => i.timestamp),
      stamps,
    );
    assert.deepEqual(
      items.map((i) => i.time),
      ['2026-03-01T10:00:00.123000000Z', '2026-03-01T10:00:00.123456000Z', '2026-03-01T10:00:00.123456789Z'],
    );
  });

  it('answers 207 for a partly bad body, stores the good records and lists the bad with position', async () => {
    const body = [
      '{"message":"good neighbour one"}',
      'garbage{',
      '{"message":"good neighbour two"}',
      '{"message":7}',
    ].join('\n');
    const response = await postIngest(svc.url, body, 'application/x-ndjson');
    assert.equal(response.status, 207);
    assert.equal(response.body.accepted, 2);
    assert.equal(response.body.rejected, 2);
    const rejections = response.body.rejections as { location: string; reason: string }[];
    assert.deepEqual(
      rejections.map((r) => [r.location, r.reason]),
      [
        ['line 2', 'invalid_json'],
        ['line 4', 'invalid_field_type'],
      ],
    );
    const stored = await getJson(`${svc.url}/v1/logs?q=good%20neighbour`);
    assert.equal((stored.body.items as unknown[]).length, 2);
    const dead = await getJson(`${svc.url}/v1/rejections?source=logstash`);
    assert.ok((dead.body.items as { raw: string }[]).some((r) => r.raw === 'garbage{'));
  });

  it('answers 400 with positions when every record is bad, and for empty bodies', async () => {
    const truncated = await postIngest(svc.url, '{"message":"abc", "host":');
    assert.equal(truncated.status, 400);
    assert.equal((truncated.body.error as { code: string }).code, 'TRB_ALL_REJECTED');
    assert.match(JSON.stringify(truncated.body), /truncated JSON/);
    const empty = await postIngest(svc.url, '   ');
    assert.equal(empty.status, 400);
    assert.equal((empty.body.error as { code: string }).code, 'TRB_EMPTY_BODY');
  });

  it('refuses a 10k-deep object with its position and stays up', async () => {
    const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    const response = await postIngest(svc.url, deep);
    assert.equal(response.status, 400);
    assert.match(JSON.stringify(response.body), /nesting deeper than 64 levels at position 320/);
    assert.equal((await getJson(`${svc.url}/healthz`)).status, 200);
  });

  it('refuses a 50 MB body with 413 and stays up', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${svc.url}/v1/ingest/logstash`,
        { method: 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      let sent = 0;
      const write = (): void => {
        while (sent < 50) {
          sent++;
          if (!req.write(chunk)) {
            req.once('drain', write);
            return;
          }
        }
        req.end();
      };
      write();
    }).catch(() => 413);
    assert.equal(status, 413);
    assert.equal((await getJson(`${svc.url}/healthz`)).status, 200);
  });

  it('refuses unsupported content types with 415', async () => {
    const response = await postIngest(svc.url, 'x', 'multipart/form-data; boundary=x');
    assert.equal(response.status, 415);
  });

  it('counts the rejections in /metrics by source and reason', async () => {
    const text = await (await fetch(`${svc.url}/metrics`)).text();
    assert.match(text, /tributary_events_rejected_total\{source="logstash",reason="invalid_json"\} [1-9]/);
    assert.match(text, /tributary_events_rejected_total\{source="logstash",reason="too_deep"\} [1-9]/);
    assert.match(text, /tributary_events_sent_total\{component="store"\} [1-9]/);
    assert.match(text, /process_cpu_user_seconds_total/);
  });

  it('pages with a cursor and refuses a tampered one', async () => {
    const body = Array.from({ length: 7 }, (_, i) => JSON.stringify({ message: `paging probe ${i}` })).join(
      '\n',
    );
    await postIngest(svc.url, body, 'application/x-ndjson');
    const seen: string[] = [];
    let next: string | null = null;
    do {
      const page: { body: Record<string, unknown> } = await getJson(
        `${svc.url}/v1/logs?q=paging%20probe&limit=3${next ? `&cursor=${next}` : ''}`,
      );
      seen.push(...(page.body.items as { message: string }[]).map((i) => i.message));
      next = page.body.next as string | null;
    } while (next);
    assert.equal(seen.length, 7);
    assert.equal(new Set(seen).size, 7);
    const bad = await getJson(`${svc.url}/v1/logs?q=paging%20probe&limit=3&cursor=AAAA`);
    assert.equal(bad.status, 400);
    assert.equal((bad.body.error as { code: string }).code, 'TRB_INVALID_CURSOR');
  });

  it('accepts relative time bounds', async () => {
    const recent = await getJson(`${svc.url}/v1/events?from=now-15m&limit=1`);
    assert.equal(recent.status, 200);
    const bad = await getJson(`${svc.url}/v1/events?from=yesterday`);
    assert.equal(bad.status, 400);
    assert.match((bad.body.error as { message: string }).message, /now-<duration>/);
  });
});

describe('service identity', () => {
  it('lists each service once across spellings and aliases, with its sources and hosts', async () => {
    const svc = await startService({ services: { aliases: { 'checkout-svc': 'checkout' } } });
    try {
      const body = [
        { message: 'a', service: { name: 'Checkout' }, host: 'web-1', '@timestamp': '2026-01-01T00:00:01Z' },
        {
          message: 'b',
          service: { name: 'checkout-svc' },
          host: { name: 'web-2' },
          '@timestamp': '2026-01-01T00:00:02Z',
        },
        { message: 'c', service: 'payments', host: 'web-3', '@timestamp': '2026-01-01T00:00:03Z' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n');
      assert.equal((await postIngest(svc.url, body, 'application/x-ndjson')).status, 200);
      const { body: services } = await getJson(`${svc.url}/v1/services`);
      const items = services.items as {
        name: string;
        hosts: string[];
        sources: string[];
        counts: Record<string, number>;
        firstSeen: string;
        lastSeen: string;
      }[];
      assert.deepEqual(
        items.map((s) => s.name),
        ['checkout', 'payments'],
      );
      assert.deepEqual(items[0]?.hosts, ['web-1', 'web-2']);
      assert.deepEqual(items[0]?.sources, ['logstash']);
      assert.deepEqual(items[0]?.counts, { log: 2 });
      assert.equal(items[0]?.firstSeen, '2026-01-01T00:00:01.000000000Z');
      assert.equal(items[0]?.lastSeen, '2026-01-01T00:00:02.000000000Z');
      const raw = await getJson(`${svc.url}/v1/logs?service=checkout&q=b`);
      assert.equal(
        (raw.body.items as { attributes: Record<string, unknown> }[])[0]?.attributes['service.raw_name'],
        'checkout-svc',
      );
    } finally {
      await svc.stop();
    }
  });
});
