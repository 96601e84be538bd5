import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import type { Client } from '@elastic/elasticsearch';
import type { AuditRecord } from '../../src/audit/audit-log.ts';
import { auditHeadIndex, auditIndex } from '../../src/store/elasticsearch/audit-index.ts';
import { createElasticsearchClient } from '../../src/store/elasticsearch/client.ts';
import { parseElasticsearchStoreConfig } from '../../src/store/elasticsearch/config.ts';
import { ElasticsearchAuditLog } from '../../src/store/elasticsearch/elasticsearch-audit-log.ts';
import { requireServer } from '../support/servers.ts';
import { auditLogConformance, type AuditLogHarness } from './audit-log.conformance.ts';

const server = requireServer('elasticsearch');
const run = randomBytes(4).toString('hex');
let opened = 0;

/** One log per test under a prefix of its own; two clients, as two replicas would have. */
async function openLog(): Promise<AuditLogHarness & { prefix: string; clients: Client[] }> {
  const prefix = `trib-test-${run}-audit-${++opened}`;
  const config = parseElasticsearchStoreConfig({ url: server.url as string, indexPrefix: prefix });
  const clients = [createElasticsearchClient(config), createElasticsearchClient(config)];
  const [client, other] = clients as [Client, Client];
  const index = auditIndex(prefix);
  return {
    prefix,
    clients,
    log: new ElasticsearchAuditLog(client, config),
    replica: new ElasticsearchAuditLog(other, config),
    // An intruder with write access to the cluster edits documents directly.
    alter: async (seq, field, value) => {
      await client.update({
        index,
        id: String(seq),
        doc: { [field]: field === 'detail' ? parsedOr(value) : value },
        refresh: true,
      });
    },
    remove: async (seq) => {
      await client.delete({ index, id: String(seq), refresh: true });
    },
    close: async () => {
      await client.indices.delete({ index: `${prefix}-audit*` }, { ignore: [404] });
      await client.indices.deleteIndexTemplate({ name: `${prefix}-audit` }, { ignore: [404] });
      await Promise.all(clients.map((c) => c.close()));
    },
  };
}

function parsedOr(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

const record = (i: number): AuditRecord => ({
  actor: 'system',
  action: 'notification.sent',
  target: `group-${i}`,
  origin: 'reduce-noise',
  detail: { i },
});

describe('Elasticsearch audit log', { skip: server.skip }, () => {
  auditLogConformance('Elasticsearch', openLog);

  describe('on the real cluster', () => {
    const cleanups: (() => Promise<void>)[] = [];
    after(async () => {
      for (const cleanup of cleanups) await cleanup();
    });

    it('a fresh instance continues the chain from the recorded head, even past removed newest entries', async () => {
      const h = await openLog();
      cleanups.push(h.close);
      for (let i = 1; i <= 3; i++) await h.log.append(record(i));
      await h.remove(3);
      // A restarted replica must not re-create seq 3 and so hide the removal.
      const restarted = new ElasticsearchAuditLog(
        h.clients[1] as Client,
        parseElasticsearchStoreConfig({ url: server.url as string, indexPrefix: h.prefix }),
      );
      assert.equal((await restarted.append(record(4))).seq, 4);
      const report = await restarted.verify();
      assert.equal(report.firstBroken?.seq, 3);
      assert.match(report.firstBroken?.reason ?? '', /missing/);
    });

    it('tolerates a head left behind by a crash between the entry and the head write', async () => {
      const h = await openLog();
      cleanups.push(h.close);
      for (let i = 1; i <= 3; i++) await h.log.append(record(i));
      const client = h.clients[0] as Client;
      // What a crash after creating entry 3 and before raising the head leaves behind.
      const second = await client.get<{ hash: string }>({ index: auditIndex(h.prefix), id: '2' });
      await client.index({
        index: auditHeadIndex(h.prefix),
        id: 'head',
        document: { seq: 2, hash: second._source?.hash },
        refresh: true,
      });
      assert.deepEqual(await h.replica.verify(), { ok: true, entries: 3, firstBroken: null });
      assert.equal((await h.replica.append(record(4))).seq, 4);
      const head = await client.get<{ seq: number }>({ index: auditHeadIndex(h.prefix), id: 'head' });
      assert.equal(head._source?.seq, 4);
      assert.deepEqual(await h.log.verify(), { ok: true, entries: 4, firstBroken: null });
    });

    it('keeps detail out of the mapping: hostile keys add no field', async () => {
      const h = await openLog();
      cleanups.push(h.close);
      await h.log.append({ ...record(1), detail: { 'a.b': { c: 1 }, [`k${'x'.repeat(300)}`]: true } });
      const mapping = await (h.clients[0] as Client).indices.getMapping({ index: auditIndex(h.prefix) });
      const fields = Object.keys(mapping[auditIndex(h.prefix)]?.mappings.properties ?? {}).sort();
      assert.deepEqual(fields, [
        'action',
        'actor',
        'detail',
        'hash',
        'origin',
        'prevHash',
        'seq',
        'target',
        'time',
      ]);
      const [entry] = (await h.log.query({ limit: 1 })).items;
      assert.deepEqual(entry?.detail, { 'a.b': { c: 1 }, [`k${'x'.repeat(300)}`]: true });
    });
  });
});
