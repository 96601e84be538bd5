import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import { requireServer } from '../support/servers.ts';
import { freePort, spawnTributary, waitUntil } from '../support/tributary-process.ts';

// Serial (see scripts/run-tests.mjs): it freezes the shared test servers, so nothing else may run meanwhile.
const kafkaServer = requireServer('kafka');
const esServer = requireServer('elasticsearch');
const redisServer = requireServer('redis');
const skip = kafkaServer.skip || esServer.skip || redisServer.skip;
const root = resolve(import.meta.dirname, '..', '..');
const OUTAGE_MS = 20_000;

/** The pid of a server started by scripts/infra (from its `status` line). */
function serverPid(name: 'elasticsearch' | 'redis'): number {
  const status = execFileSync('bash', [join(root, 'scripts', 'infra', `${name}.sh`), 'status'], {
    encoding: 'utf8',
  });
  const pid = /pid (\d+)/.exec(status)?.[1];
  if (!pid) throw new Error(`${name} is not running: ${status}`);
  return Number(pid);
}

async function readyz(url: string): Promise<{ status: number; checks: { name: string; ok: boolean }[] }> {
  const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(10_000) });
  const body = (await response.json()) as { checks: { name: string; ok: boolean }[] };
  return { status: response.status, checks: body.checks };
}

describe('a backend out for 20 s during ingest', { skip }, () => {
  for (const backend of ['elasticsearch', 'redis'] as const) {
    it(`${backend}: no accepted event is lost, /readyz reports the outage, ingest resumes by itself`, async () => {
      const run = `outage${backend.slice(0, 2)}${Date.now().toString(36)}`;
      const dir = mkdtempSync(join(tmpdir(), 'trib-outage-'));
      const configFile = join(dir, 'tributary.yaml');
      writeFileSync(
        configFile,
        `kafka:\n  groupId: ${run}\n  internalTopicPartitions: 2\n  topics:\n    events: ${run}.events\n    logstash: ${run}.logstash\n    cadvisor: ${run}.cadvisor\n    nagios: ${run}.nagios\n    pinpoint: ${run}.pinpoint\nelasticsearch:\n  indexPrefix: ${run}\n  requestTimeoutMs: 3000\n`,
      );
      const replica = spawnTributary(
        {
          TRIBUTARY_CONFIG: configFile,
          TRIBUTARY_DATA_DIR: join(dir, 'data'),
          TRIBUTARY_KAFKA_BROKERS: kafkaServer.url as string,
          TRIBUTARY_ELASTICSEARCH_URL: esServer.url as string,
          TRIBUTARY_REDIS_URL: redisServer.url as string,
        },
        freePort(),
      );
      const es = new Client({ node: esServer.url as string });
      const pid = serverPid(backend);
      let frozen = false;
      try {
        await replica.ready;
        const accepted: string[] = [];
        let stop = false;
        const writer = (async () => {
          for (let batch = 0; !stop; batch++) {
            const messages = Array.from({ length: 20 }, (_, i) => `${run} b${batch} m${i}`);
            try {
              const response = await fetch(`${replica.url}/v1/ingest/logstash`, {
                method: 'POST',
                headers: { 'content-type': 'application/x-ndjson' },
                body: messages.map((message) => JSON.stringify({ message, host: 'outage-host' })).join('\n'),
                signal: AbortSignal.timeout(15_000),
              });
              if (response.status === 202) accepted.push(...messages);
              else await response.arrayBuffer();
            } catch {
              // A refused or timed-out request was not accepted; the client would retry it.
            }
            await new Promise((r) => setTimeout(r, 200));
          }
        })();
        await new Promise((r) => setTimeout(r, 3000));
        process.kill(pid, 'SIGSTOP');
        frozen = true;
        const frozenAt = Date.now();
        const report = await waitUntil(
          `/readyz to report ${backend} down`,
          async () => {
            const r = await readyz(replica.url).catch(() => null);
            return r && r.status === 503 && r.checks.some((c) => c.name === backend && !c.ok) ? r : null;
          },
          OUTAGE_MS,
        );
        assert.equal(report.status, 503);
        await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - frozenAt))));
        process.kill(pid, 'SIGCONT');
        frozen = false;
        await new Promise((r) => setTimeout(r, 3000));
        stop = true;
        await writer;
        assert.ok(accepted.length > 100, `only ${accepted.length} events accepted`);

        await waitUntil(
          '/readyz to recover',
          async () => ((await readyz(replica.url)).status === 200 ? true : null),
          60_000,
        );
        const indexPattern = `${run}-events-*`;
        const stored = await waitUntil(
          'every accepted event in Elasticsearch',
          async () => {
            await es.indices.refresh({
              index: indexPattern,
              allow_no_indices: true,
              ignore_unavailable: true,
            });
            const { count } = await es.count({
              index: indexPattern,
              allow_no_indices: true,
              ignore_unavailable: true,
            });
            return count >= accepted.length ? count : null;
          },
          180_000,
        );
        assert.equal(stored, accepted.length, 'exactly the accepted events, once each');
      } finally {
        if (frozen) process.kill(pid, 'SIGCONT');
        replica.child.kill('SIGTERM');
        await replica.exited;
        await es.indices
          .delete({ index: `${run}-*`, allow_no_indices: true, ignore_unavailable: true })
          .catch(() => {});
        await es.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
