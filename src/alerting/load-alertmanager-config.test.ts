import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ConfigError } from './config-error.ts';
import { loadAlertmanagerConfigFile, parseAlertmanagerConfig } from './load-alertmanager-config.ts';
import { groupLabelsOf, matchRoutes } from './route-tree.ts';

const realistic = new URL('./testdata/alertmanager.yml', import.meta.url).pathname;

function problemsOf(text: string): readonly string[] {
  try {
    parseAlertmanagerConfig(text);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail('expected the config to be refused');
}

describe('alertmanager.yml parser', () => {
  it('reads a realistic production config unchanged', () => {
    const config = loadAlertmanagerConfigFile(realistic);
    assert.equal(config.resolveTimeout, 300_000);
    assert.equal(config.route.receiver, 'team-X-mails');
    assert.equal(config.route.repeatInterval, 3 * 3_600_000);
    assert.equal(config.route.routes.length, 4);
    assert.deepEqual([...config.receivers.keys()].sort(), [
      'slack-info',
      'team-DB-pager',
      'team-X-mails',
      'team-X-pager',
      'team-Y-mails',
      'team-Y-pager',
    ]);
    assert.deepEqual(config.receivers.get('team-X-mails')?.unsupported, ['email_configs']);
    assert.ok(config.warnings.some((w) => w.includes('email_configs')));
    const slack = config.receivers.get('slack-info')?.integrations[0];
    assert.equal(slack?.kind, 'slack');
    assert.equal(
      slack?.url,
      'https://hooks.slack.com/services/T000/B000/XXXX',
      'global slack_api_url inherited',
    );
    const pd = config.receivers.get('team-Y-pager')?.integrations[0];
    assert.deepEqual(pd, {
      kind: 'pagerduty',
      url: 'https://events.pagerduty.com/v2/enqueue',
      routingKey: 'y-routing-key',
      sendResolved: true,
      severity: 'critical',
    });
    assert.equal(config.inhibitRules.length, 2);
    assert.equal(config.timeIntervals.size, 2);
  });

  it('routes like Alertmanager: nested, inherited settings, continue, legacy match', () => {
    const { route } = loadAlertmanagerConfigFile(realistic);
    const receivers = (labels: Record<string, string>): string[] =>
      matchRoutes(route, labels).map((r) => r.receiver);
    assert.deepEqual(receivers({ service: 'foo1', severity: 'critical' }), ['team-X-pager']);
    assert.deepEqual(receivers({ service: 'baz', severity: 'warning' }), ['team-X-mails']);
    assert.deepEqual(receivers({ service: 'files' }), ['team-Y-mails']);
    assert.deepEqual(receivers({ service: 'other' }), ['team-X-mails'], 'no child matches: the root');
    // continue: true on the owner=team-X child lets the next sibling match as well.
    assert.deepEqual(receivers({ service: 'database', owner: 'team-X' }), ['team-X-pager']);
    assert.deepEqual(receivers({ service: 'database', owner: 'team-Y' }), ['team-Y-pager']);
    const db = matchRoutes(route, { service: 'database', owner: 'nobody' })[0];
    assert.equal(db?.receiver, 'team-DB-pager');
    assert.deepEqual(db?.groupBy, ['alertname', 'cluster', 'database']);
    assert.equal(db?.groupWait, 30_000, 'timers are inherited');
    assert.equal(db?.key, '{}/{service="database"}');
    const info = matchRoutes(route, { severity: 'info', a: '1' })[0];
    assert.equal(info?.groupBy, 'all');
    assert.deepEqual(groupLabelsOf(info!, { severity: 'info', a: '1' }), { severity: 'info', a: '1' });
  });

  it('continue: true sends to the matching sibling too', () => {
    const config = parseAlertmanagerConfig(`
route:
  receiver: root
  routes:
    - matchers: ['team="a"']
      receiver: a
      continue: true
    - matchers: ['severity="critical"']
      receiver: pager
    - matchers: ['team="a"']
      receiver: never
receivers: [{name: root}, {name: a}, {name: pager}, {name: never}]
`);
    assert.deepEqual(
      matchRoutes(config.route, { team: 'a', severity: 'critical' }).map((r) => r.receiver),
      ['a', 'pager'],
    );
    assert.deepEqual(
      matchRoutes(config.route, { team: 'a' }).map((r) => r.receiver),
      ['a', 'never'],
    );
  });

  it('uses a default route and a log receiver when there is no file', () => {
    const config = loadAlertmanagerConfigFile(null);
    assert.equal(config.origin, 'default');
    assert.equal(config.route.receiver, 'log');
    assert.ok(config.receivers.has('log'));
  });

  it('lists every problem with its place: unknown keys, bad durations, undefined receivers', () => {
    const problems = problemsOf(`
route:
  receiver: nobody
  group_wiat: 30s
  group_interval: soon
receivers:
  - name: x
    webhook_configs: [{urll: 'http://x'}]
`);
    assert.ok(
      problems.some((p) => p.includes('route: unknown key(s) "group_wiat"')),
      problems.join('\n'),
    );
    assert.ok(problems.some((p) => p.includes('route.group_interval') && p.includes('not a duration')));
    assert.ok(problems.some((p) => p.includes('receivers[0].webhook_configs[0]: unknown key(s) "urll"')));
  });

  it('refuses an undefined receiver and malformed matchers', () => {
    assert.ok(
      problemsOf('route: {receiver: nobody}\nreceivers: [{name: x}]').some((p) =>
        p.includes('undefined receiver'),
      ),
    );
    assert.ok(
      problemsOf(
        `route:\n  receiver: x\n  routes: [{matchers: ['a=~"(unclosed"']}]\nreceivers: [{name: x}]`,
      ).some((p) => p.includes('invalid regex')),
    );
  });

  it('reports malformed YAML with its position instead of throwing anything else', () => {
    const problems = problemsOf('route:\n  receiver: [unclosed\n');
    assert.match(problems[0] ?? '', /line|column|flow/i);
    assert.ok(problemsOf('route: &a [*a').length > 0);
    assert.ok(problemsOf(': : :').length > 0);
  });

  it('survives hostile regexes and huge inputs with clear errors', () => {
    const long = 'a'.repeat(5000);
    assert.ok(
      problemsOf(
        `route:\n  receiver: x\n  routes: [{matchers: ['a=~"${long}"']}]\nreceivers: [{name: x}]`,
      ).some((p) => p.includes('longer than')),
    );
    assert.ok(
      problemsOf(
        `route:\n  receiver: x\n  routes: [{matchers: ['a=~"(?=x)"']}]\nreceivers: [{name: x}]`,
      ).some((p) => p.includes('invalid regex')),
    );
    const yaml = readFileSync(realistic, 'utf8');
    assert.doesNotThrow(() => parseAlertmanagerConfig(yaml));
  });

  it('reads secrets from *_file settings', () => {
    const config = parseAlertmanagerConfig(
      "route: {receiver: pd}\nreceivers: [{name: pd, pagerduty_configs: [{routing_key_file: '/secret/key'}]}]",
      { readSecretFile: (p) => (p === '/secret/key' ? 'from-file\n' : '') },
    );
    const pd = config.receivers.get('pd')?.integrations[0];
    assert.equal(pd?.kind === 'pagerduty' ? pd.routingKey : null, 'from-file');
  });
});
