#!/usr/bin/env node
// One readiness probe for scripts/infra/kafka.sh: connects a kafkajs admin client to the broker(s) in
// argv[2] (default 127.0.0.1:19092) and lists topics. Exit 0 when the broker answers, 1 otherwise.
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
const brokers = (process.argv[2] ?? '127.0.0.1:19092').split(',');
const kafka = new Kafka({
  clientId: 'tributary-infra-ready',
  brokers,
  logLevel: logLevel.NOTHING,
  connectionTimeout: 2000,
  requestTimeout: 5000,
  retry: { retries: 0 },
});
const admin = kafka.admin();
let code = 1;
try {
  await admin.connect();
  await admin.listTopics();
  code = 0;
} catch (error) {
  console.error(`kafka-ready: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await admin.disconnect().catch(() => {});
}
process.exit(code);
