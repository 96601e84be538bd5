import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

const root = resolve(import.meta.dirname, '..', '..');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `tributary rules check ...` as a real process, with no alerting setting inherited from this shell. */
function tributary(args: readonly string[], env: Record<string, string> = {}): Run {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !['TRIBUTARY_CONFIG', 'TRIBUTARY_RULES_DIR', 'TRIBUTARY_ALERTMANAGER_CONFIG'].includes(k),
    ),
  );
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: root,
    env: { ...inherited, TRIBUTARY_LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const VALID = `groups:
  - name: app
    rules:
      - alert: AppErrors
        log: { level: [error], count_over: 5, window: 5m }
        labels: { severity: warning }
`;

describe('tributary rules check (as a process)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rules-check-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('passes the shipped rules/ (the default directory): each file OK, exit 0', () => {
    const run = tributary(['rules', 'check']);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    for (const file of ['cadvisor', 'logs', 'nagios', 'noise', 'prometheus'])
      assert.match(run.stdout, new RegExp(`^OK +rules/${file}\\.yaml$`, 'm'));
    assert.match(run.stdout, /^OK +alertmanager\.yml: none configured/m);
    assert.match(
      run.stdout,
      /^rules OK: 1\d rule\(s\) in 5 file\(s\) \(metric \d, absent \d, log \d, check \d/m,
    );
  });

  it('validates the alertmanager.yml named by --alertmanager and reports what it ignores', () => {
    const run = tributary([
      'rules',
      'check',
      'rules',
      '--alertmanager',
      'src/alerting/testdata/alertmanager.yml',
    ]);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^OK +src\/alerting\/testdata\/alertmanager\.yml$/m);
    assert.match(run.stdout, /^warning +receiver "team-X-mails": email_configs are not supported/m);
  });

  it('reads TRIBUTARY_RULES_DIR when no path is given', () => {
    const own = mkdtempSync(join(dir, 'own-'));
    writeFileSync(join(own, 'app.yml'), VALID);
    const run = tributary(['rules', 'check'], { TRIBUTARY_RULES_DIR: own });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^OK +.*own-\w+\/app\.yml$/m);
    assert.match(run.stdout, /^rules OK: 1 rule\(s\) in 1 file\(s\) \(log 1\)$/m);
  });

  it('names the file, line and field of each mistake, and exits 1', () => {
    const good = write('good.yaml', VALID);
    const types = write(
      'types.yaml',
      `groups:
  - name: app
    rules:
      - alert: Typed
        log: { level: error, count_over: ten }
`,
    );
    const unknown = write(
      'unknown.yaml',
      `groups:
  - name: app
    rules:
      - alert: Unknown
        log: { level: [error] }
        severty: page
`,
    );
    const duration = write(
      'duration.yaml',
      `groups:
  - name: app
    rules:
      - alert: Slow
        log: { level: [error] }
        for: 5 minutes
`,
    );
    const yaml = write('broken.yaml', 'groups:\n  - name: app\n    rules: [\n');
    const regex = write(
      'regex.yaml',
      `groups:
  - name: app
    rules:
      - alert: Lookbehind
        log: { pattern: '(?<=x)a' }
`,
    );
    const run = tributary(['rules', 'check', good, types, unknown, duration, yaml, regex]);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    const out = run.stderr;
    assert.match(out, new RegExp(`^OK +${good}$`, 'm'));
    for (const file of [types, unknown, duration, yaml, regex])
      assert.match(out, new RegExp(`^INVALID +${file}$`, 'm'));
    assert.ok(out.includes(`${types}:5: groups[0].rules[0].log.level: Expected array, received string`), out);
    assert.ok(
      out.includes(`${types}:5: groups[0].rules[0].log.count_over: Expected number, received string`),
      out,
    );
    assert.ok(
      out.includes(
        `${unknown}:6: groups[0].rules[0]: unknown key(s) "severty": remove them or fix their spelling`,
      ),
      out,
    );
    assert.ok(
      out.includes(
        `${duration}:6: groups[0].rules[0].for: "5 minutes" is not a duration (e.g. 30s, 5m, 1h30m)`,
      ),
      out,
    );
    assert.match(out, new RegExp(`${yaml}:\\d: invalid YAML: `));
    assert.ok(out.includes(`${regex}:4: groups[0].rules[0]: invalid regex "(?<=x)a"`), out);
    assert.match(out, /rules INVALID: 6 problem\(s\)\. Fix each at the file and line shown/);
  });

  it('refuses hostile and oversized files with a reason, promptly, without crashing', () => {
    const hostile = mkdtempSync(join(dir, 'hostile-'));
    writeFileSync(join(hostile, 'deep.yaml'), '['.repeat(200_000) + ']'.repeat(200_000));
    writeFileSync(
      join(hostile, 'indent.yaml'),
      Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n'),
    );
    writeFileSync(
      join(hostile, 'laughs.yaml'),
      ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]']
        .concat(['c', 'd', 'e', 'f', 'g'].map((k, i) => `${k}: &${k} [${`*${'bcdef'[i]}, `.repeat(9)}x]`))
        .join('\n'),
    );
    writeFileSync(join(hostile, 'big.yaml'), `# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    writeFileSync(join(hostile, 'keys.yaml'), Array.from({ length: 5000 }, (_, i) => `k${i}: 1`).join('\n'));
    writeFileSync(join(hostile, 'binary.yaml'), Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x5b, 0x7b, 0x0a]));
    const started = Date.now();
    const run = tributary(['rules', 'check', hostile]);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.ok(Date.now() - started < 30_000, 'answers promptly');
    const out = run.stderr;
    assert.ok(out.includes(`${hostile}/deep.yaml:1: nested deeper than 64 levels: refused`), out);
    assert.match(out, new RegExp(`${hostile}/indent\\.yaml:\\d+: nested deeper than 64 levels`));
    assert.ok(out.includes(`${hostile}/laughs.yaml: refused: Excessive alias count`), out);
    assert.ok(out.includes(`${hostile}/big.yaml: larger than 1048576 bytes: refused`), out);
    assert.ok(out.includes('unknown key(s) "k0", "k1"'), out);
    assert.ok(out.includes('and 4990 more: remove them or fix their spelling'), out);
    assert.match(out, new RegExp(`^INVALID +${hostile}/binary\\.yaml$`, 'm'));
    assert.ok(out.length < 20_000, `the report stays readable (${out.length} characters)`);
  });

  it('checks the noise section against the noise stage', () => {
    const noise = write('noise-bad.yaml', "noise:\n  topology:\n    down_matchers: ['class=\"down']\n");
    const missing = write(
      'noise-missing.yaml',
      'noise:\n  topology:\n    nagios_objects: /nonexistent/objects.cache\n',
    );
    const bad = tributary(['rules', 'check', noise]);
    assert.equal(bad.status, 1, bad.stdout + bad.stderr);
    assert.ok(bad.stderr.includes(`${noise}: noise.topology.down_matchers: `), bad.stderr);
    const gone = tributary(['rules', 'check', missing]);
    assert.equal(gone.status, 1);
    assert.ok(
      gone.stderr.includes(
        `${missing}: noise.topology.nagios_objects: cannot read /nonexistent/objects.cache: ENOENT`,
      ),
      gone.stderr,
    );
  });

  it('validates TRIBUTARY_ALERTMANAGER_CONFIG: every problem with its line', () => {
    const am = write(
      'alertmanager.yml',
      `route:
  receiver: pager
  group_wiat: 30s
  repeat_interval: soon
receivers:
  - name: team
`,
    );
    const run = tributary(['rules', 'check'], { TRIBUTARY_ALERTMANAGER_CONFIG: am });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stderr, /^OK +rules\/cadvisor\.yaml$/m);
    assert.match(run.stderr, new RegExp(`^INVALID +${am}$`, 'm'));
    assert.ok(run.stderr.includes(`${am}:3: route: unknown key(s) "group_wiat"`), run.stderr);
    assert.ok(run.stderr.includes(`${am}:4: route.repeat_interval: "soon" is not a duration`), run.stderr);
  });

  it('says what to do when a path cannot be read (exit 1) or the command is wrong (exit 2)', () => {
    const missing = tributary(['rules', 'check', join(dir, 'nope')]);
    assert.equal(missing.status, 1);
    assert.match(
      missing.stderr,
      /cannot read rules directory or file .*nope: ENOENT \(set TRIBUTARY_RULES_DIR/,
    );
    const noVerb = tributary(['rules']);
    assert.equal(noVerb.status, 2);
    assert.match(noVerb.stderr, /missing rules command[\s\S]*Usage: tributary rules check/);
    const badFlag = tributary(['rules', 'check', '--alertmanagr', 'x']);
    assert.equal(badFlag.status, 2);
    assert.match(badFlag.stderr, /Unknown option '--alertmanagr'[\s\S]*Usage: tributary rules check/);
    const help = tributary(['rules', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: tributary rules check/);
  });
});
