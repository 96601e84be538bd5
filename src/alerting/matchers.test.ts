import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ConfigError } from './config-error.ts';
import { allOf, compileAnchored, parseMatchers } from './matchers.ts';

describe('matchers (Alertmanager syntax, RE2)', () => {
  it('parses the four operators, quoted and bare values, escapes and braces', () => {
    assert.deepEqual(
      parseMatchers('{alertname="Disk Full", severity!=info, job=~"node|api", env!~"dev.*"}'),
      [
        { name: 'alertname', type: '=', value: 'Disk Full' },
        { name: 'severity', type: '!=', value: 'info' },
        { name: 'job', type: '=~', value: 'node|api' },
        { name: 'env', type: '!~', value: 'dev.*' },
      ],
    );
    assert.deepEqual(parseMatchers('msg="a, \\"b\\""'), [{ name: 'msg', type: '=', value: 'a, "b"' }]);
  });

  it('anchors regexes and treats a missing label as empty', () => {
    const m = allOf(parseMatchers('job=~"node|api", env!~"dev.*", team!="x"'));
    assert.equal(m({ job: 'node', env: 'prod' }), true);
    assert.equal(m({ job: 'node-exporter', env: 'prod' }), false, 'anchored at both ends');
    assert.equal(m({ job: 'api', env: 'dev-1' }), false);
    assert.equal(m({ job: 'api' }), true, 'absent env is "" which does not match dev.*');
    assert.equal(allOf(parseMatchers('team=""'))({}), true);
  });

  it('refuses malformed matchers with a clear error', () => {
    for (const bad of ['foo', '=x', 'a=~"(unclosed"', 'a="unterminated', '{a="b"', 'a=~"x{2,1}"']) {
      assert.throws(() => parseMatchers(bad), ConfigError, bad);
    }
  });

  it('matches hostile patterns in linear time and bounds their length', () => {
    const evil = compileAnchored('(a+)+$');
    const started = Date.now();
    assert.equal(evil('a'.repeat(50_000) + '!'), false);
    assert.ok(Date.now() - started < 2000);
    assert.throws(() => compileAnchored('a'.repeat(2000)), /longer than 1024/);
  });

  it('never throws anything but ConfigError, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          parseMatchers(text);
        } catch (err) {
          assert.ok(err instanceof ConfigError, String(err));
        }
      }),
      { numRuns: 500 },
    );
  });
});
