/**
 * Where the integration tests find their real servers: Elasticsearch, Redis and Kafka started by
 * scripts/infra/ (`npm run test:integration` starts them and exports the variables below).
 * A test whose server is not configured is skipped with a message saying how to run it; with CI=true the
 * test runner turns every skip into a failure, so a missing server fails CI instead of passing silently.
 */
export type TestServerName = 'elasticsearch' | 'redis' | 'kafka';

export interface TestServer {
  /** Address of the server (URL, or `host:port,...` broker list for Kafka); undefined when skipped. */
  url?: string;
  /** A skip message for node:test (`{ skip }`), or false when the server is configured. */
  skip: string | false;
}

const VARIABLES: Record<TestServerName, string> = {
  elasticsearch: 'TRIBUTARY_TEST_ELASTICSEARCH_URL',
  redis: 'TRIBUTARY_TEST_REDIS_URL',
  kafka: 'TRIBUTARY_TEST_KAFKA_BROKERS',
};

export function requireServer(name: TestServerName): TestServer {
  const variable = VARIABLES[name];
  const url = process.env[variable]?.trim();
  if (url) return { url, skip: false };
  return {
    skip:
      `${name} is not configured: set ${variable}, or run \`npm run test:integration\` ` +
      '(starts Kafka, Elasticsearch and Redis on loopback, see scripts/infra/README.md)',
  };
}
