import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDefaultStateConfig, stateConfigSchema } from './config.ts';

describe('state config', () => {
  it('defaults to the embedded store with a tributary: prefix and a 2 s command timeout', () => {
    assert.deepEqual(createDefaultStateConfig(), {
      keyPrefix: 'tributary:',
      commandTimeout: 2000,
      connectTimeout: 5000,
      sweepInterval: 60_000,
    });
  });

  it('reads durations and a redis:// or rediss:// URL', () => {
    const config = stateConfigSchema.parse({
      redisUrl: 'rediss://:secret@redis.internal:6380/2',
      keyPrefix: 'prod:',
      commandTimeout: '500ms',
      connectTimeout: 1500,
    });
    assert.equal(config.redisUrl, 'rediss://:secret@redis.internal:6380/2');
    assert.equal(config.commandTimeout, 500);
    assert.equal(config.connectTimeout, 1500);
  });

  it('lists every error at once', () => {
    const result = stateConfigSchema.safeParse({
      redisUrl: 'http://redis:6379',
      keyPrefix: '',
      commandTimeout: '0s',
      retries: 3,
    });
    assert.equal(result.success, false);
    const paths = result.error?.issues.map((i) => i.path.join('.') || i.code).sort();
    assert.deepEqual(paths, ['commandTimeout', 'keyPrefix', 'redisUrl', 'unrecognized_keys']);
  });
});
