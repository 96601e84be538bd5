import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { parse } from 'yaml';

const root = resolve(import.meta.dirname, '..', '..');
const schemaPath = resolve(root, '..', 'shared', 'schemas', 'compose', 'compose-spec.json');
const skip = existsSync(schemaPath)
  ? false
  : `compose schema not found at ${schemaPath} (check out ../shared)`;

describe('docker-compose.yml', { skip }, () => {
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<
      string,
      { environment?: Record<string, string>; depends_on?: Record<string, unknown>; volumes?: string[] }
    >;
  };

  it('validates against the Compose specification schema', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    // The spec names draft-07 by its https URL, which Ajv knows as http: drop $schema, the dialect is the same.
    const { $schema: _dialect, ...schema } = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<
      string,
      unknown
    >;
    const validate = ajv.compile(schema);
    const valid = validate(compose);
    assert.ok(valid, JSON.stringify(validate.errors, null, 2));
  });

  it('runs Kafka, Redis, Elasticsearch, Kibana, Grafana, Prometheus, cAdvisor and two Tributary replicas', () => {
    for (const name of [
      'kafka',
      'redis',
      'elasticsearch',
      'kibana',
      'grafana',
      'prometheus',
      'cadvisor',
      'tributary-1',
      'tributary-2',
    ]) {
      assert.ok(compose.services[name], `service ${name} missing`);
    }
  });

  it('wires both replicas to the same Kafka, Redis and Elasticsearch, after they are healthy', () => {
    for (const name of ['tributary-1', 'tributary-2']) {
      const env = compose.services[name]?.environment ?? {};
      assert.equal(env.TRIBUTARY_KAFKA_BROKERS, 'kafka:9092');
      assert.equal(env.TRIBUTARY_REDIS_URL, 'redis://redis:6379');
      assert.equal(env.TRIBUTARY_ELASTICSEARCH_URL, 'http://elasticsearch:9200');
      assert.deepEqual(Object.keys(compose.services[name]?.depends_on ?? {}).sort(), [
        'elasticsearch',
        'kafka',
        'redis',
      ]);
    }
    assert.ok(
      existsSync(join(root, 'deploy', 'prometheus.yml')),
      'the Prometheus config the compose file mounts',
    );
  });
});
