import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  configuredLayouts,
  createDefaultNagiosConfig,
  createMaxCheckAttempts,
  createServiceResolver,
  parseNagiosConfig,
} from './config.ts';
import { RECOMMENDED_HOST_TEMPLATE, RECOMMENDED_SERVICE_TEMPLATE } from './perfdata-file-layout.ts';

describe('nagios config', () => {
  it('has working defaults', () => {
    const config = createDefaultNagiosConfig();
    assert.deepEqual(config.perfdataFiles, [
      '/usr/local/nagios/var/service-perfdata',
      '/usr/local/nagios/var/host-perfdata',
    ]);
    assert.equal(config.pollIntervalMs, 1000);
    assert.equal(config.defaultMaxCheckAttempts, 3);
    assert.equal(config.passiveHostChecksAreSoft, false);
    assert.deepEqual(config.nrdp, { maxBytes: 4 * 1024 * 1024, maxCheckResults: 10_000, maxXmlDepth: 16 });
    assert.equal(config.serviceMapping.fallback, 'host_name');
  });

  it('lists every problem at once', () => {
    const parsed = parseNagiosConfig({
      pollIntervalMs: 0,
      defaultMaxCheckAttempts: 'three',
      perfdataTemplates: ['$TIMET$\\tfoo$HOSTNAME$'],
      nrdp: { maxXmlDepth: 1 },
    });
    assert.equal(parsed.ok, false);
    if (parsed.ok) return;
    assert.equal(parsed.errors.length, 4);
    assert.ok(parsed.errors.some((e) => e.startsWith('nagios.pollIntervalMs:')));
    assert.ok(parsed.errors.some((e) => e.startsWith('nagios.defaultMaxCheckAttempts:')));
    assert.ok(
      parsed.errors.some((e) => e.startsWith('nagios.perfdataTemplates.0:') && e.includes('mixes text')),
    );
    assert.ok(parsed.errors.some((e) => e.startsWith('nagios.nrdp.maxXmlDepth:')));
  });

  it('maps checks to services: exact check, then host, then the host name', () => {
    const resolve = createServiceResolver({
      byCheck: { 'web01;Checkout API': 'checkout' },
      byHost: { web01: 'storefront' },
      fallback: 'host_name',
    });
    assert.equal(resolve('web01', 'Checkout API'), 'checkout');
    assert.equal(resolve('web01', 'Disk /'), 'storefront');
    assert.equal(resolve('web01', null), 'storefront');
    assert.equal(resolve('db01', 'Disk /'), 'db01');
    const strict = createServiceResolver({ byCheck: {}, byHost: {}, fallback: 'none' });
    assert.equal(strict('db01', null), null);
  });

  it('overrides max_check_attempts per host and per service', () => {
    const parsed = parseNagiosConfig({
      defaultMaxCheckAttempts: 4,
      maxCheckAttempts: [
        { host: 'web01', maxCheckAttempts: 10 },
        { host: 'web01', service: 'HTTP', maxCheckAttempts: 1 },
      ],
    });
    assert.ok(parsed.ok);
    const max = createMaxCheckAttempts(parsed.config);
    assert.equal(max('web01', null), 10);
    assert.equal(max('web01', 'HTTP'), 1);
    assert.equal(max('web01', 'Disk'), 4);
    assert.equal(max('db01', null), 4);
  });

  it('accepts the recommended keyed templates and compiles positional ones', () => {
    const parsed = parseNagiosConfig({
      perfdataTemplates: [
        RECOMMENDED_SERVICE_TEMPLATE,
        RECOMMENDED_HOST_TEMPLATE,
        '$TIMET$\\t$HOSTNAME$\\t$HOSTOUTPUT$',
      ],
    });
    assert.ok(parsed.ok);
    assert.deepEqual(
      configuredLayouts(parsed.config).map((l) => [l.object, l.columns.length]),
      [['host', 3]],
    );
  });
});
