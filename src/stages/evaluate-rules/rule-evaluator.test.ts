import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Alert } from '../../alerting/alert.ts';
import { ManualClock } from '../../alerting/clock.ts';
import { ConfigError } from '../../alerting/config-error.ts';
import { loadRulesDir, parseRuleFiles } from '../../alerting/load-rules.ts';
import { checkRules } from './check-rules.ts';
import { alertEvent, checkEvent, logEvent, metricEvent } from './event-builders.ts';
import { RuleEvaluator } from './rule-evaluator.ts';

const RULES_DIR = new URL('../../../rules/', import.meta.url).pathname;

function evaluator(clock: ManualClock, yaml?: string): { ev: RuleEvaluator; sent: Alert[] } {
  const sent: Alert[] = [];
  const rules = yaml ? parseRuleFiles([{ path: 'test.yaml', text: yaml }]) : loadRulesDir(RULES_DIR);
  const ev = new RuleEvaluator({ rules, clock, onAlerts: async (a) => void sent.push(...a) });
  return { ev, sent };
}

const names = (alerts: Alert[]): string[] =>
  alerts.map(
    (a) => `${a.labels.alertname}:${a.endsAt !== null && a.endsAt <= a.updatedAt ? 'resolved' : 'firing'}`,
  );

describe('rules: the shipped rule set', () => {
  it('validates (rules check)', () => {
    const report = checkRules(RULES_DIR);
    assert.deepEqual(report.problems, []);
    assert.ok(report.rules >= 12);
  });

  it('memory working set near the limit, held for 2m, then resolved', () => {
    const clock = new ManualClock();
    const { ev } = evaluator(clock);
    const who = { host: 'web-1', container: 'cart', service: 'cart' };
    const at = (s: number): number => clock.now() + s * 1000;
    const out: Alert[] = [];
    for (let s = 0; s <= 180; s += 30) {
      out.push(
        ...ev.evaluate([
          metricEvent(at(s), 'container_spec_memory_limit_bytes', 1000, who),
          metricEvent(at(s), 'container_memory_working_set_bytes', 950, who),
        ]),
      );
    }
    assert.deepEqual(names(out), ['ContainerMemoryNearLimit:firing']);
    assert.equal(out[0]?.startsAt, at(120), 'fires when for: 2m has elapsed');
    assert.equal(out[0]?.labels.class, 'memory');
    assert.equal(out[0]?.annotations.summary, 'Container cart on web-1 uses 95.0% of its memory limit');
    const after = ev.evaluate([metricEvent(at(210), 'container_memory_working_set_bytes', 500, who)]);
    assert.deepEqual(names(after), ['ContainerMemoryNearLimit:resolved']);
  });

  it('a 20-second CPU blip does not fire the throttling rule (for: 5m)', () => {
    const clock = new ManualClock();
    const { ev } = evaluator(clock);
    const who = { host: 'web-1', container: 'api' };
    const out: Alert[] = [];
    let throttled = 0;
    let periods = 0;
    for (let s = 0; s <= 600; s += 10) {
      periods += 100;
      if (s >= 300 && s < 320) throttled += 90;
      out.push(
        ...ev.evaluate([
          metricEvent(clock.now() + s * 1000, 'container_cpu_cfs_periods_total', periods, who),
          metricEvent(clock.now() + s * 1000, 'container_cpu_cfs_throttled_periods_total', throttled, who),
        ]),
      );
    }
    assert.deepEqual(out, []);
  });

  it('OOM kills, restarts and absent containers', async () => {
    const clock = new ManualClock();
    const { ev } = evaluator(clock);
    const who = { host: 'web-2', container: 'worker' };
    const t = (s: number): number => clock.now() + s * 1000;
    const oom = [
      ...ev.evaluate([metricEvent(t(0), 'container_oom_events_total', 3, who)]),
      ...ev.evaluate([metricEvent(t(30), 'container_oom_events_total', 4, who)]),
    ];
    assert.deepEqual(names(oom), ['ContainerOomKilled:firing']);
    const restarts = [100, 200, 300].flatMap((v, i) =>
      ev.evaluate([metricEvent(t(i * 60), 'container_start_time_seconds', v, who)]),
    );
    assert.deepEqual(names(restarts), ['ContainerRestarting:firing']);
    ev.evaluate([metricEvent(t(0), 'container_last_seen', t(0) / 1000, who)]);
    await clock.advance(4 * 60_000);
    assert.deepEqual(ev.tick(), []);
    await clock.advance(2 * 60_000);
    assert.deepEqual(names(ev.tick()), ['ContainerAbsent:firing']);
    assert.deepEqual(names(ev.evaluate([metricEvent(clock.now(), 'container_last_seen', 1, who)])), [
      'ContainerAbsent:resolved',
    ]);
  });

  it('Nagios: SOFT states never fire, HARD CRITICAL fires, HARD OK resolves, disk checks get their class', () => {
    const clock = new ManualClock();
    const { ev } = evaluator(clock);
    const t = clock.now();
    assert.deepEqual(ev.evaluate([checkEvent(t, 'db-1', 'HTTP', 2, 'SOFT', 1, 3)]), []);
    assert.deepEqual(ev.evaluate([checkEvent(t + 1, 'db-1', 'HTTP', 2, 'SOFT', 2, 3)]), []);
    const hard = ev.evaluate([checkEvent(t + 2, 'db-1', 'HTTP', 2, 'HARD', 3, 3)]);
    assert.deepEqual(names(hard), ['NagiosServiceCritical:firing']);
    assert.deepEqual(names(ev.evaluate([checkEvent(t + 3, 'db-1', 'HTTP', 0, 'HARD')])), [
      'NagiosServiceCritical:resolved',
    ]);
    // No state type: the attempt against max_check_attempts decides.
    assert.deepEqual(ev.evaluate([checkEvent(t + 4, 'db-1', 'Disk /var', 2, null, 1, 3)]), []);
    const disk = ev.evaluate([checkEvent(t + 5, 'db-1', 'Disk /var', 2, null, 3, 3)]);
    assert.deepEqual(names(disk), ['NagiosDiskCritical:firing']);
    assert.equal(disk[0]?.labels.class, 'disk_full');
    const down = ev.evaluate([checkEvent(t + 6, 'sw-1', null, 1, 'HARD')]);
    assert.deepEqual(names(down), ['NagiosHostDown:firing']);
    assert.equal(down[0]?.labels.class, 'down');
  });

  it('log bursts per service over a window, resolved when the window empties', async () => {
    const clock = new ManualClock();
    const { ev } = evaluator(clock);
    const out: Alert[] = [];
    for (let i = 0; i < 25; i++)
      out.push(...ev.evaluate([logEvent(clock.now() + i * 1000, 'cart', 'web-1', 'error', 'boom')]));
    out.push(
      ...ev.evaluate([logEvent(clock.now(), 'cart', 'web-1', 'info', 'java.lang.OutOfMemoryError: heap')]),
    );
    assert.deepEqual(names(out), ['ErrorLogBurst:firing', 'OutOfMemoryInLogs:firing']);
    await clock.advance(11 * 60_000);
    assert.deepEqual(names(ev.tick()).sort(), ['ErrorLogBurst:resolved', 'OutOfMemoryInLogs:resolved']);
  });

  it('Prometheus alerts pass through with their own labels and end', () => {
    const clock = new ManualClock();
    const { ev } = evaluator(clock);
    const firing = ev.evaluate([alertEvent(clock.now(), { alertname: 'HighLatency', service: 'cart' })]);
    assert.deepEqual(names(firing), ['HighLatency:firing']);
    assert.equal(firing[0]?.endsAt, null, 'no end: resolve_timeout applies');
    assert.deepEqual(
      names(ev.evaluate([alertEvent(clock.now(), { alertname: 'HighLatency', service: 'cart' }, true)])),
      ['HighLatency:resolved'],
    );
  });
});

describe('rules: bad input', () => {
  const problems = (text: string): readonly string[] => {
    try {
      parseRuleFiles([{ path: 'bad.yaml', text }]);
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      return err.problems;
    }
    assert.fail('expected a ConfigError');
  };

  it('reports malformed YAML, unknown keys and impossible rules with their place', () => {
    assert.match(problems('groups: [')[0] ?? '', /bad\.yaml:1: invalid YAML/);
    assert.ok(
      problems(
        'groups: [{name: x, rules: [{alert: A, metric: {series: m, op: ">", threshold: 1}, fro: 1m}]}]',
      ).some((p) => p.includes('unknown key(s) "fro"')),
    );
    assert.ok(problems('groups: [{name: x, rules: [{alert: A}]}]').some((p) => p.includes('exactly one of')));
    assert.ok(
      problems('groups: [{name: x, rules: [{alert: A, log: {count_over: 1}}]}]').some((p) =>
        p.includes('needs level or pattern'),
      ),
    );
    assert.ok(
      problems('noise: {flap: {low: 30, high: 20}}').some((p) => p.includes('low must be below high')),
    );
  });

  it('refuses hostile regexes at load, with a reason, and matches long input in linear time', () => {
    const clock = new ManualClock();
    const rules = parseRuleFiles([
      { path: 'r.yaml', text: "groups: [{name: x, rules: [{alert: A, log: {pattern: '(a|a)*b'}}]}]" },
    ]);
    const ev = new RuleEvaluator({ rules, clock, onAlerts: async () => {} });
    const started = Date.now();
    ev.evaluate([logEvent(clock.now(), 's', 'h', 'info', 'a'.repeat(100_000))]);
    assert.ok(Date.now() - started < 2000, 'RE2: no catastrophic backtracking');
    assert.throws(
      () =>
        new RuleEvaluator({
          rules: parseRuleFiles([
            { path: 'r.yaml', text: "groups: [{name: x, rules: [{alert: A, log: {pattern: '(?<=x)a'}}]}]" },
          ]),
          clock,
          onAlerts: async () => {},
        }),
      (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.includes('invalid regex')),
    );
    const report = checkRules('/nonexistent-rules-dir');
    assert.equal(report.ok, false);
    assert.match(report.problems[0] ?? '', /cannot read rules directory/);
  });

  it('keeps bounded state under a huge label set and many series', () => {
    const clock = new ManualClock();
    const { ev } = evaluator(clock);
    const labels = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`l${i}`, 'x'.repeat(100)]));
    assert.doesNotThrow(() =>
      ev.evaluate([
        metricEvent(
          clock.now(),
          'container_memory_working_set_bytes',
          1,
          { host: 'h', container: 'c' },
          labels,
        ),
      ]),
    );
  });
});
