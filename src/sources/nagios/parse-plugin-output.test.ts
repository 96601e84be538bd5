import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFixtureJson, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { parseExternalCommands } from './parse-passive-lines.ts';
import { parsePerfdata } from './parse-perfdata.ts';
import { parsePluginOutput, unescapeNagiosText } from './parse-plugin-output.ts';

interface Sample {
  source: string;
  output: string;
  exit_code?: number;
}

/** [label, value, unit, warn, crit, min, max] */
type Row = [string, number | null, string, string | null, string | null, number | null, number | null];

const procs = (n: number, warn: string | null = null, crit: string | null = null): Row => [
  'procs',
  n,
  '',
  warn,
  crit,
  0,
  null,
];
const procsTriple = (all: number, warn: number, crit: number): Row[] => [
  procs(all),
  ['procs_warn', warn, '', null, null, 0, null],
  ['procs_crit', crit, '', null, null, 0, null],
];
const DISK_ROOT: Row = ['/', 2643, 'MB', '5948', '5958', 0, 5968];
const PING_100: Row[] = [
  ['rta', 5000, 'ms', '3000.000000', '5000.000000', 0, null],
  ['pl', 100, '%', '80', '100', 0, null],
];

/**
 * Expected split of every sample, in fixture order: [output, longOutput, perfdata rows]. For the three
 * perfdata-only samples (no exit code) the rows are those of the raw string itself.
 */
const EXPECTED: [string, string, Row[]][] = [
  ['PROCS OK: 95 processes', '', [procs(95)]],
  ['PROCS WARNING: 95 processes', '', [procs(95, '5')]],
  ['PROCS CRITICAL: 95 processes', '', [procs(95, '4', '44')]],
  ['PROCS OK: 95 processes', '', [procs(95, '100', '200')]],
  ["PROCS CRITICAL: 6 processes with command name 'launchd'", '', [procs(6, null, '5')]],
  ["PROCS CRITICAL: 95 processes with exclude progs 'bash'", '', [procs(95, null, '5')]],
  ["PROCS OK: 1 process with regex args 'mdworker.*501'", '', [procs(1)]],
  [
    "ELAPSED CRITICAL: 10 crit, 0 warn out of 10 processes with command name 'apache2'",
    '',
    procsTriple(10, 0, 10),
  ],
  ['PROCS OK: 24 processes with VSZ >= 1000000', '', [procs(24)]],
  ['PROCS OK: 3 processes with RSS >= 100000', '', [procs(3)]],
  ['PROCS OK: 7 processes with PCPU >= 0.71', '', [procs(7)]],
  ['PROCS OK: 8 processes with PCPU >= 0.70', '', [procs(8)]],
  ['CPU WARNING: 1 warn out of 95 processes', '', procsTriple(95, 1, 0)],
  ['VSZ WARNING: 4 warn out of 95 processes [WindowServer, Safari, Mail, Skype]', '', procsTriple(95, 4, 0)],
  [
    'RSS CRITICAL: 5 crit, 0 warn out of 95 processes [WindowServer, SystemUIServer, Safari, Mail, Safari]',
    '',
    procsTriple(95, 0, 5),
  ],
  ["PROCS OK: 0 processes with regex args '(nosuchname,nosuch2name)'", '', [procs(0)]],
  // Double-quoted label (not guideline-conformant): kept literally, quotes included.
  ["test'test 68662", '', [['"test\'test"', 68662, 'c', null, null, null, null]]],
  [
    "'foo'=23;;; 'bar'=1;;;",
    '',
    [
      ['foo', 23, '', null, null, null, null],
      ['bar', 1, '', null, null, null, null],
    ],
  ],
  ["'foo'=23s;;;", '', [['foo', 23, 's', null, null, null, null]]],
  [
    '[WARNING] - foobar',
    '\t\\_[WARNING] - foobar\n\t\t\\_[OK] - baz',
    [['foo', 23, 's', null, null, null, null]],
  ],
  [
    '[WARNING] - foobar',
    '\t\\_[WARNING] - foobar\n\t\t\\_[OK] - baz\n\t\t\t\\_[OK] - level3\n\t\t\t\t\\_[OK] - level4',
    [
      ['foo', 23, 's', null, null, null, null],
      ['baz', 1024, 'B', null, null, null, null],
      ['floatMe', 1024.1024, '', null, null, null, null],
    ],
  ],
  ['PING CRITICAL - Packet loss = 100%', '', []],
  ['rta=5000.000000ms;3000.000000;5000.000000;0.000000 pl=100%;80;100;0', '', PING_100],
  ['PING ok - Packet loss = 0%, RTA = 0.80 ms', '', []],
  [
    'PING ok - Packet loss = 0%, RTA = 0.80 ms',
    '',
    [
      ['percent_packet_loss', 0, '', null, null, null, null],
      ['rta', 0.8, '', null, null, null, null],
    ],
  ],
  ['DISK OK - free space: / 3326 MB (56%);', '', []],
  ['DISK OK - free space: / 3326 MB (56%);', '', [DISK_ROOT]],
  [
    'DISK OK - free space: / 3326 MB (56%);',
    '/ 15272 MB (77%);\n/boot 68 MB (69%);\n/home 69357 MB (27%);\n/var/log 819 MB (84%);',
    [
      DISK_ROOT,
      ['/boot', 68, 'MB', '88', '93', 0, 98],
      ['/home', 69357, 'MB', '253404', '253409', 0, 253414],
      ['/var/log', 818, 'MB', '970', '975', 0, 980],
    ],
  ],
  ['Everything looks okay!', '', [['perfdata', 1, '', null, null, null, null]]],
  ['WARNING: Danger Will Robinson!', '', [['perfdata', 1, '', null, null, null, null]]],
];

function rowsOf(perfdata: string): Row[] {
  return parsePerfdata(perfdata).items.map((i) => [i.label, i.value, i.unit, i.warn, i.crit, i.min, i.max]);
}

describe('parsePluginOutput on plugin-output-samples.json', { skip: skipWithoutFixtures }, () => {
  const samples = skipWithoutFixtures
    ? []
    : readFixtureJson<{ samples: Sample[] }>('nagios', 'plugin-output-samples.json').samples;

  it('has the 30 samples this table describes', () => {
    assert.equal(samples.length, 30);
    assert.equal(EXPECTED.length, 30);
  });

  it('splits each sample into output, long output and perfdata values', () => {
    samples.forEach((sample, i) => {
      const [output, longOutput, rows] = EXPECTED[i] ?? ['', '', []];
      const split = parsePluginOutput(sample.output);
      assert.equal(split.output, output, `sample ${i} output`);
      assert.equal(split.longOutput, longOutput, `sample ${i} long output`);
      const perfdataOnly = sample.exit_code === undefined;
      assert.deepEqual(rowsOf(perfdataOnly ? sample.output : split.perfdata), rows, `sample ${i} perfdata`);
    });
  });

  it('joins perfdata from the first line and the long output as Nagios documents (pluginapi case 3)', () => {
    const split = parsePluginOutput(samples[27]?.output ?? '');
    assert.equal(
      split.perfdata,
      '/=2643MB;5948;5958;0;5968 /boot=68MB;88;93;0;98 /home=69357MB;253404;253409;0;253414 /var/log=818MB;970;975;0;980',
    );
  });

  it('gives each sample its exit code as status when it arrives as a passive result', () => {
    const withCodes = samples.filter((s) => s.exit_code !== undefined);
    assert.equal(withCodes.length, 27);
    const lines = withCodes.map(
      (s, i) =>
        `[${1700000000 + i}] PROCESS_SERVICE_CHECK_RESULT;host${i};svc;${s.exit_code};${s.output.replaceAll('\\', '\\\\').replaceAll('\n', '\\n')}`,
    );
    const result = parseExternalCommands(lines.join('\n'), { receivedAt: '2026-01-02T03:04:05.000000000Z' });
    assert.equal(result.events.length, 27);
    result.events.forEach((event, i) => {
      const sample = withCodes[i];
      assert.ok(sample);
      const split = parsePluginOutput(sample.output);
      assert.equal(event.status, sample.exit_code);
      assert.equal(event.output, split.output);
      assert.equal(event.longOutput, split.longOutput);
      assert.deepEqual(
        event.perfdata.map((p) => p.label),
        rowsOf(split.perfdata).map((r) => r[0]),
      );
    });
    // Only non-conformant perfdata may yield rejections; the comma list of the docs is tolerated.
    assert.deepEqual(result.rejections, []);
  });
});

describe('parsePluginOutput', () => {
  it('trims output and perfdata, drops the final newline, handles CRLF', () => {
    assert.deepEqual(parsePluginOutput('OK - fine | a=1\r\nmore detail\r\n'), {
      output: 'OK - fine',
      longOutput: 'more detail',
      perfdata: 'a=1',
    });
  });

  it('treats every line after the first later pipe as perfdata', () => {
    assert.deepEqual(parsePluginOutput('head\nlong 1\nlong 2 | b=2\nc=3\n d=4 '), {
      output: 'head',
      longOutput: 'long 1\nlong 2',
      perfdata: 'b=2 c=3 d=4',
    });
  });

  it('keeps a second pipe on the first line inside the perfdata text', () => {
    assert.deepEqual(parsePluginOutput('a|b=1|c=2'), { output: 'a', longOutput: '', perfdata: 'b=1|c=2' });
  });

  it('returns empty parts for empty output', () => {
    assert.deepEqual(parsePluginOutput(''), { output: '', longOutput: '', perfdata: '' });
  });
});

describe('unescapeNagiosText', () => {
  it('turns \\n into newlines and \\\\ into a backslash, and leaves other escapes', () => {
    assert.equal(unescapeNagiosText('a\\nb\\\\nc\\t'), 'a\nb\\nc\\t');
    assert.equal(unescapeNagiosText('plain'), 'plain');
  });
});
