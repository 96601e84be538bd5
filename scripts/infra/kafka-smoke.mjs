#!/usr/bin/env node
// Compatibility check of the project's Kafka client (kafkajs) against the local test broker:
//   node scripts/infra/kafka-smoke.mjs [brokers]     (default 127.0.0.1:19092)
// Creates a topic, produces with an idempotent producer (acks=-1), consumes the messages in a consumer
// group, commits offsets and reads them back through the admin API. Exit 0 when every step works.
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
const brokers = (process.argv[2] ?? process.env.TRIBUTARY_TEST_KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const suffix = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
const topic = `tributary-smoke-${suffix}`;
const groupId = `tributary-smoke-group-${suffix}`;
const count = 20;

const kafka = new Kafka({ clientId: 'tributary-infra-smoke', brokers, logLevel: logLevel.ERROR });
const admin = kafka.admin();
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });

function step(name) {
  console.log(`kafka-smoke: ${name}`);
}

async function main() {
  const t0 = Date.now();
  await admin.connect();
  const cluster = await admin.describeCluster();
  step(
    `connected, controller ${cluster.controller}, brokers ${cluster.brokers.map((b) => `${b.host}:${b.port}`).join(',')}`,
  );

  const created = await admin.createTopics({
    topics: [{ topic, numPartitions: 4, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  step(`createTopics(${topic}) -> ${created}`);
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  step(`topic has ${metadata.topics[0].partitions.length} partitions`);

  await producer.connect();
  const sent = await producer.send({
    topic,
    acks: -1,
    messages: Array.from({ length: count }, (_, i) => ({ key: `k${i % 5}`, value: `v${i}` })),
  });
  step(
    `idempotent produce acks=-1: ${sent.length} partition results, errors ${sent.filter((r) => r.errorCode !== 0).length}`,
  );

  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen = new Set();
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`consumed ${seen.size}/${count} within 30s`)), 30000);
    consumer
      .run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          seen.add(message.value.toString());
          await consumer.commitOffsets([
            { topic, partition, offset: (BigInt(message.offset) + 1n).toString() },
          ]);
          if (seen.size === count) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  step(`consumed ${seen.size}/${count} messages in group ${groupId}, committed offsets`);
  await consumer.disconnect();

  const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
  // Partitions without a commit report -1.
  const committed = offsets[0].partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  step(`fetchOffsets: committed offsets sum to ${committed} (expect ${count})`);
  if (committed !== count) throw new Error(`committed offsets sum to ${committed}, expected ${count}`);

  const groups = await admin.describeGroups([groupId]);
  step(`describeGroups: state ${groups.groups[0].state}, protocol type ${groups.groups[0].protocolType}`);

  // Auto topic creation through the producer (the broker runs with auto.create.topics.enable=true).
  const autoProducer = kafka.producer({ allowAutoTopicCreation: true });
  await autoProducer.connect();
  await autoProducer.send({ topic: `${topic}-auto`, acks: -1, messages: [{ value: 'x' }] });
  await autoProducer.disconnect();
  const auto = await admin.fetchTopicMetadata({ topics: [`${topic}-auto`] });
  step(`auto-created topic has ${auto.topics[0].partitions.length} partitions`);

  await admin.deleteTopics({ topics: [topic, `${topic}-auto`] });
  await admin.deleteGroups([groupId]);
  step(`deleted topics and group; all steps passed in ${Date.now() - t0} ms`);
}

try {
  await main();
  await producer.disconnect();
  await admin.disconnect();
  process.exit(0);
} catch (error) {
  console.error(`kafka-smoke: FAILED: ${error?.stack ?? error}`);
  process.exit(1);
}
