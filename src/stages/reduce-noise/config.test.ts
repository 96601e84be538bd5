import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../alerting/config-error.ts';
import { parseRuleFiles } from '../../alerting/load-rules.ts';
import { noiseConfigFromInput } from './config.ts';
import { parentsFromNagiosObjects } from './topology.ts';

const OBJECTS_CACHE = `
define host {
\thost_name\tweb-1
\talias\tWeb 1
\tparents\tswitch-a,switch-b
\t}

define service {
\thost_name\tweb-1
\tservice_description\tHTTP
\t}

define host {
\thost_name\tswitch-a
\tparents\tcore
\t}

define host {
\thost_name\tlonely
\t}
`;

describe('noise settings', () => {
  it('reads Nagios parents from objects.cache', () => {
    assert.deepEqual(
      [...parentsFromNagiosObjects(OBJECTS_CACHE)],
      [
        ['web-1', ['switch-a', 'switch-b']],
        ['switch-a', ['core']],
      ],
    );
  });

  it('builds the noise config from rules/noise.yaml over the defaults; explicit parents win', () => {
    const { noise } = parseRuleFiles([
      {
        path: 'noise.yaml',
        text: `noise:
  topology: {parent_wait: 5s, nagios_objects: /nagios/objects.cache, parents: {web-1: [switch-z]}}
  flap: {low: 10, high: 30}
  merge: {classes: {HostDown: down}}`,
      },
    ]);
    const config = noiseConfigFromInput(noise, () => OBJECTS_CACHE);
    assert.deepEqual(config.topology.parents.get('web-1'), ['switch-z']);
    assert.deepEqual(config.topology.parents.get('switch-a'), ['core']);
    assert.equal(config.topology.parentWaitMs, 5000);
    assert.deepEqual(config.flap, { low: 10, high: 30, sampleIntervalMs: 60_000 });
    assert.deepEqual(config.merge.classes, { HostDown: 'down' });
    assert.deepEqual(config.merge.ignoreLabels, ['replica', 'prometheus_replica']);
  });

  it('says which file it could not read', () => {
    const { noise } = parseRuleFiles([
      { path: 'n.yaml', text: 'noise: {topology: {nagios_objects: /nope}}' },
    ]);
    assert.throws(
      () =>
        noiseConfigFromInput(noise, () => {
          throw Object.assign(new Error('no'), { code: 'ENOENT' });
        }),
      (err: unknown) => err instanceof ConfigError && /cannot read \/nope: ENOENT/.test(err.message),
    );
  });
});
