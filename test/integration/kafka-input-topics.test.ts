import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { requireServer } from '../support/servers.ts';
import { getJson, startService, type RunningService } from '../support/service.ts';

const kafkaServer = requireServer('kafka');

/**
 * Nagios results produced to the `nagios` topic (what a Nagios event broker or an NRDP relay writes) get
 * the same treatment as over HTTP: the configured host -> service mapping, and SOFT/HARD state with
 * max_check_attempts, in partition order.
 */
describe('Nagios results through the Kafka nagios topic', { skip: kafkaServer.skip }, () => {
  const run = `nagios${Date.now().toString(36)}`;
  let svc: RunningService;
  let producer: Producer;
  before(async () => {
    svc = await startService({
      kafka: {
        brokers: kafkaServer.url as string,
        groupId: run,
        topics: {
          events: `${run}.events`,
          logstash: `${run}.logstash`,
          cadvisor: `${run}.cadvisor`,
          nagios: `${run}.nagios`,
          pinpoint: `${run}.pinpoint`,
        },
      },
      nagios: {
        perfdataFiles: [],
        serviceMapping: { byHost: { 'db-7': 'inventory' } },
        maxCheckAttempts: [{ host: 'db-7', service: 'PGSQL', maxCheckAttempts: 3 }],
      },
    });
    const kafka = new Kafka({
      clientId: run,
      brokers: (kafkaServer.url as string).split(','),
      logLevel: logLevel.NOTHING,
    });
    producer = kafka.producer();
    await producer.connect();
  });
  after(async () => {
    await producer?.disconnect();
    await svc?.stop();
  });

  it('maps the host to its service and counts attempts up to HARD', async () => {
    const result = (state: number, output: string) =>
      JSON.stringify({
        checkresults: [
          {
            checkresult: { type: 'service' },
            hostname: 'db-7',
            servicename: 'PGSQL',
            state: String(state),
            output,
          },
        ],
      });
    const outputs = [
      [0, 'OK - 12 connections'],
      [2, 'CRITICAL - connection refused'],
      [2, 'CRITICAL - connection refused'],
      [2, 'CRITICAL - connection refused'],
      [0, 'OK - 3 connections'],
    ] as const;
    // One record at a time, keyed by host (partition order), a millisecond apart so check times differ.
    for (const [state, output] of outputs) {
      await producer.send({
        topic: `${run}.nagios`,
        acks: -1,
        messages: [{ key: 'db-7', value: result(state, output) }],
      });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    type Check = { service: string; status: number; stateType: string; attempt: number };
    let items: Check[] = [];
    for (let i = 0; i < 150 && items.length < outputs.length; i++) {
      const page = await getJson(`${svc.url}/v1/events?kind=check&host=db-7&sort=asc&limit=100`);
      items = page.body.items as Check[];
      if (items.length < outputs.length) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(items.length, outputs.length, 'every result stored');
    assert.deepEqual(
      items.map((c) => [c.service, c.status, c.stateType, c.attempt]),
      [
        ['inventory', 0, 'HARD', 1],
        ['inventory', 2, 'SOFT', 1],
        ['inventory', 2, 'SOFT', 2],
        ['inventory', 2, 'HARD', 3],
        // A recovery from a HARD problem is logged by Nagios with the attempt it was on ("OK;HARD;3").
        ['inventory', 0, 'HARD', 3],
      ],
    );
  });
});
