import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CheckEvent } from '../../core/event.ts';
import { parseNrdpJson } from './parse-nrdp.ts';
import { parseNscaLines } from './parse-passive-lines.ts';
import { parsePerfdata, type PerfdataItem } from './parse-perfdata.ts';
import { parsePluginOutput } from './parse-plugin-output.ts';

/**
 * Runs the real Debian monitoring-plugins and feeds their output and exit code through the parsers, the way
 * a passive client (send_nrdp, send_nsca) would deliver them.
 */
const PLUGINS = process.env.TRIBUTARY_NAGIOS_PLUGINS ?? '/usr/lib/nagios/plugins';
const skip = existsSync(join(PLUGINS, 'check_dummy'))
  ? false
  : `monitoring-plugins not found in ${PLUGINS} (apt-get install monitoring-plugins, or set TRIBUTARY_NAGIOS_PLUGINS)`;
const ctx = { receivedAt: '2026-01-02T03:04:05.000000000Z' };

interface Run {
  stdout: string;
  code: number;
}

function runPlugin(name: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      join(PLUGINS, name),
      args,
      { timeout: 20_000, env: { ...process.env, LC_ALL: 'C' } },
      (error, stdout) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ stdout, code: error ? Number(error.code) : 0 });
      },
    );
  });
}

/** The result as send_nrdp would post it: the raw stdout and the exit code as `state`. */
function viaNrdp(service: string, run: Run): CheckEvent {
  const body = {
    checkresults: [
      {
        checkresult: { type: 'service' },
        hostname: 'localhost',
        servicename: service,
        state: String(run.code),
        output: run.stdout,
      },
    ],
  };
  const { events, rejections } = parseNrdpJson(JSON.stringify(body), ctx);
  assert.deepEqual(rejections, [], `rejections for ${JSON.stringify(run.stdout)}`);
  const [event] = events;
  assert.ok(event, `no event for ${JSON.stringify(run.stdout)}`);
  assert.equal(event.status, run.code, 'status is the exit code');
  return event;
}

function item(event: CheckEvent, label: string): PerfdataItem {
  const found = parsePerfdata(event.attributes.perfdataRaw as string).items.find((i) => i.label === label);
  assert.ok(found, `perfdata ${label} in ${String(event.attributes.perfdataRaw)}`);
  return found;
}

describe('real monitoring-plugins', { skip }, () => {
  it('check_load: load1, load5, load15 with the thresholds given', async () => {
    const run = await runPlugin('check_load', ['-w', '1000,900,800', '-c', '2000,1900,1800']);
    const event = viaNrdp('load', run);
    assert.equal(run.code, 0, run.stdout);
    assert.match(event.output, /^LOAD OK - total load average: /);
    assert.deepEqual(
      event.perfdata.map((p) => p.label),
      ['load1', 'load5', 'load15'],
    );
    for (const [label, warn, crit] of [
      ['load1', 1000, 2000],
      ['load5', 900, 1900],
      ['load15', 800, 1800],
    ] as const) {
      const p = item(event, label);
      assert.ok(p.value !== null && p.value >= 0, `${label} value`);
      assert.equal(p.unit, '');
      assert.deepEqual(p.warnRange, { start: 0, end: warn, inside: false });
      assert.deepEqual(p.critRange, { start: 0, end: crit, inside: false });
      assert.equal(p.min, 0);
    }
  });

  it('check_disk -w 10% -c 5% -p /: used bytes with thresholds at 90% and 95% of the size', async () => {
    const run = await runPlugin('check_disk', ['-w', '10%', '-c', '5%', '-p', '/']);
    const event = viaNrdp('disk', run);
    assert.match(event.output, /^DISK (OK|WARNING|CRITICAL)/);
    const root = item(event, '/');
    assert.ok(['B', 'KB', 'MB', 'GB', 'MiB', 'GiB'].includes(root.unit), `unit ${root.unit}`);
    assert.equal(root.min, 0);
    assert.ok(root.max !== null && root.max > 0 && root.value !== null && root.value <= root.max);
    const warnEnd = root.warnRange?.end ?? NaN;
    const critEnd = root.critRange?.end ?? NaN;
    assert.ok(Math.abs(warnEnd / root.max - 0.9) < 0.001, `warn ${warnEnd} of ${root.max}`);
    assert.ok(Math.abs(critEnd / root.max - 0.95) < 0.001, `crit ${critEnd} of ${root.max}`);
  });

  it('check_procs: a process count', async () => {
    const run = await runPlugin('check_procs', ['-w', '100000', '-c', '200000']);
    const event = viaNrdp('procs', run);
    assert.equal(run.code, 0, run.stdout);
    assert.match(event.output, /^PROCS OK: \d+ process/);
    const procs = item(event, 'procs');
    assert.ok(procs.value !== null && Number.isInteger(procs.value) && procs.value >= 1);
    assert.deepEqual([procs.warn, procs.crit, procs.min], ['100000', '200000', 0]);
  });

  it('check_ping -H 127.0.0.1 -w 100,20% -c 200,40% -p 1: rta and packet loss with their thresholds', async () => {
    const run = await runPlugin('check_ping', [
      '-H',
      '127.0.0.1',
      '-w',
      '100,20%',
      '-c',
      '200,40%',
      '-p',
      '1',
    ]);
    const event = viaNrdp('ping', run);
    assert.equal(run.code, 0, `loopback ping should be OK: ${run.stdout}`);
    assert.match(event.output, /^PING OK - Packet loss = 0%, RTA = [\d.]+ ms$/);
    const rta = item(event, 'rta');
    assert.equal(rta.unit, 'ms');
    assert.deepEqual([rta.warnRange?.end, rta.critRange?.end, rta.min], [100, 200, 0]);
    const pl = item(event, 'pl');
    assert.deepEqual([pl.value, pl.unit, pl.warnRange?.end, pl.critRange?.end, pl.min], [0, '%', 20, 40, 0]);
  });

  it('check_tcp against a port opened by the test: response time in seconds', async () => {
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const run = await runPlugin('check_tcp', ['-H', '127.0.0.1', '-p', String(port)]);
      const event = viaNrdp('tcp', run);
      assert.equal(run.code, 0, run.stdout);
      assert.match(
        event.output,
        new RegExp(`^TCP OK - [\\d.]+ second response time on 127\\.0\\.0\\.1 port ${port}$`),
      );
      const time = item(event, 'time');
      assert.equal(time.unit, 's');
      assert.ok(time.value !== null && time.value >= 0 && time.value < 10);
      assert.deepEqual([time.min, time.max], [0, 10]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('check_tcp against a closed port: CRITICAL, no perfdata', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const run = await runPlugin('check_tcp', ['-H', '127.0.0.1', '-p', String(port)]);
    const event = viaNrdp('tcp-closed', run);
    assert.equal(run.code, 2, run.stdout);
    assert.deepEqual(event.perfdata, []);
  });

  it('check_dummy 0..3: status from the exit code, through NRDP and NSCA alike', async () => {
    for (const [code, word] of [
      [0, 'OK'],
      [1, 'WARNING'],
      [2, 'CRITICAL'],
      [3, 'UNKNOWN'],
    ] as const) {
      const run = await runPlugin('check_dummy', [String(code), 'dummy text']);
      assert.equal(run.code, code);
      const event = viaNrdp('dummy', run);
      assert.equal(event.output, `${word}: dummy text`);
      assert.equal(event.attributes.stateName, word);
      const nsca = parseNscaLines(
        `localhost\tdummy\t${run.code}\t${run.stdout.replaceAll('\n', '\\n')}`,
        ctx,
      );
      assert.deepEqual(
        nsca.events.map((e) => [e.status, e.output]),
        [[code, `${word}: dummy text`]],
      );
      assert.deepEqual(parsePluginOutput(run.stdout), {
        output: `${word}: dummy text`,
        longOutput: '',
        perfdata: '',
      });
    }
  });
});
