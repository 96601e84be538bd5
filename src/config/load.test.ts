import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from './load.ts';

describe('loadConfig', () => {
  it('gives the documented defaults with an empty environment', () => {
    const result = loadConfig({});
    assert.ok(result.ok);
    assert.equal(result.config.server.host, '127.0.0.1');
    assert.equal(result.config.server.port, 8080);
    assert.equal(result.config.storage.dataDir, './data');
    assert.equal(result.config.storage.retention, 7 * 86_400_000);
    assert.equal(result.config.server.maxBody, 10 * 1024 * 1024);
  });

  it('lets env vars override the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trib-config-'));
    const file = join(dir, 'tributary.yaml');
    writeFileSync(file, 'server:\n  port: 9000\n  host: 0.0.0.0\nstorage:\n  retention: 2d\n');
    const result = loadConfig({ TRIBUTARY_CONFIG: file, TRIBUTARY_PORT: '9100' });
    assert.ok(result.ok);
    assert.equal(result.config.server.port, 9100);
    assert.equal(result.config.server.host, '0.0.0.0');
    assert.equal(result.config.storage.retention, 2 * 86_400_000);
  });

  it('lists every error, naming key and env var', () => {
    const result = loadConfig({
      TRIBUTARY_PORT: 'eighty',
      TRIBUTARY_RETENTION: 'forever',
      TRIBUTARY_LOG_LEVEL: 'loud',
      TRIBUTARY_REDIS_URL: 'not a url',
    });
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.errors.length, 4, result.errors.join('\n'));
    assert.ok(result.errors.some((e) => e.startsWith('server.port (TRIBUTARY_PORT)')));
    assert.ok(
      result.errors.some(
        (e) => e.includes('storage.retention (TRIBUTARY_RETENTION)') && e.includes('forever'),
      ),
    );
    assert.ok(result.errors.some((e) => e.startsWith('log.level (TRIBUTARY_LOG_LEVEL)')));
    assert.ok(result.errors.some((e) => e.startsWith('state.redisUrl (TRIBUTARY_REDIS_URL)')));
  });

  it('reports unknown keys and unreadable files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trib-config-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'server:\n  prot: 1\n');
    const unknown = loadConfig({ TRIBUTARY_CONFIG: file });
    assert.ok(!unknown.ok);
    assert.match(unknown.errors.join('\n'), /prot/);
    const missing = loadConfig({ TRIBUTARY_CONFIG: join(dir, 'nope.yaml') });
    assert.ok(!missing.ok);
    assert.match(missing.errors[0] ?? '', /nope\.yaml/);
  });
});
