import kafkajs from 'kafkajs';
import type { Kafka, LogEntry, logCreator } from 'kafkajs';
import type { Logger } from 'pino';
import type { KafkaConfig } from './config.ts';

const { Kafka: KafkaClient, logLevel } = kafkajs;

/** One kafkajs client for the process, logging through pino (kafkajs' own logger writes plain console). */
export function createKafkaClient(config: Pick<KafkaConfig, 'brokers' | 'clientId'>, logger: Logger): Kafka {
  return new KafkaClient({
    clientId: config.clientId,
    brokers: config.brokers,
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(logger.child({ component: 'kafkajs' })),
  });
}

function pinoLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp: _t, ...extra } = log;
      const fields = { namespace, ...extra };
      // kafkajs logs retriable protocol errors (coordinator loading, rebalances) at ERROR; it recovers from
      // them itself, so they are warnings from Tributary's point of view unless it gives up (then we log).
      if (level === logLevel.ERROR || level === logLevel.WARN) logger.warn(fields, message);
      else if (level === logLevel.INFO) logger.info(fields, message);
      else logger.debug(fields, message);
    };
}
