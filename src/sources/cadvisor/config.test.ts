import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cadvisorConfigSchema, createDefaultCadvisorConfig } from './config.ts';

describe('cadvisorConfigSchema', () => {
  it('gives the documented defaults', () => {
    assert.deepEqual(createDefaultCadvisorConfig(), {
      targets: [],
      interval: 15_000,
      timeout: 5_000,
      serviceLabels: [
        'container_label_com_docker_compose_service',
        'container_label_MARATHON_APP_ID',
        'container_label_io_kubernetes_container_name',
      ],
      serviceEnvNames: ['MARATHON_APP_ID'],
      host: null,
      maxBodyBytes: 64 * 1024 * 1024,
    });
  });

  it('reads durations as text or milliseconds', () => {
    const config = cadvisorConfigSchema.parse({
      targets: ['http://node-01:8080', 'https://node-02:8443/custom/metrics'],
      interval: '1m',
      timeout: 2500,
      host: 'node-01',
    });
    assert.equal(config.interval, 60_000);
    assert.equal(config.timeout, 2500);
    assert.equal(config.host, 'node-01');
  });

  it('lists every problem with its path', () => {
    const result = cadvisorConfigSchema.safeParse({
      targets: ['ftp://x', 'not a url'],
      interval: 'soon',
      serviceLabels: ['com.docker.compose.service'],
      extra: true,
    });
    assert.equal(result.success, false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.') || issue.message) ?? [];
    assert.deepEqual(
      paths.sort(),
      [
        'interval',
        'serviceLabels.0',
        'targets.0',
        'targets.1',
        "Unrecognized key(s) in object: 'extra'",
      ].sort(),
    );
  });

  it('refuses a timeout longer than the interval', () => {
    const result = cadvisorConfigSchema.safeParse({ interval: '5s', timeout: '10s' });
    assert.equal(result.success, false);
    assert.deepEqual(result.error?.issues[0]?.path, ['timeout']);
  });
});
