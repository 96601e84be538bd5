// The notification ledger's hot path against real Redis, next to redis-benchmark running the very same
// Lua scripts by EVALSHA on the same server in the same run: the gap is what the Node side costs.
// RedisStateStore sends the claims and records issued in one tick as one script call (a batch of keys,
// each decided atomically as alone); the baselines run the scripts with one key per call, as the
// single operations do, with redis-benchmark's own pipelining (-P) and connections (-c), and with 16 keys
// per call for the server's ceiling when batched.
//
//   bash scripts/infra/redis.sh start
//   npx tsx bench/dedup/ledger.bench.ts
//
// Scenarios: `claim + recordOnce` per alert (the two ledger scripts), and the NotificationLedger's whole
// notify path per alert (entry, done check, claim, delivery check and record, done record, entry update:
// 7 state operations), with 1 and 2 replicas on one stream; exactly one replica must decide each alert.
//
// Env: TRIBUTARY_BENCH_REDIS_URL (else TRIBUTARY_TEST_REDIS_URL, else redis://127.0.0.1:16379),
// BENCH_ALERTS (default 100000), BENCH_MAX_SECONDS per scenario (default 20). Keys live under
// `tributary-bench:<pid>:` with TTLs and are deleted at the end. Target: >= 20,000 alerts/s per instance.
import { createHash, randomUUID } from 'node:crypto';
import os from 'node:os';
import { Redis } from 'ioredis';
import { BATCH_SCRIPT } from '../../src/state/redis/lua-scripts.ts';
import { RedisStateStore } from '../../src/state/redis/redis-state-store.ts';
import { runLedgerLoad, type LedgerLoadResult, type LedgerPath } from './ledger-load.ts';
import { runRedisBenchmark, type RedisBenchmarkResult } from './redis-benchmark.ts';

const TARGET_ALERTS_PER_SEC = 20_000;
const url =
  process.env.TRIBUTARY_BENCH_REDIS_URL ?? process.env.TRIBUTARY_TEST_REDIS_URL ?? 'redis://127.0.0.1:16379';
const alerts = Number(process.env.BENCH_ALERTS ?? 100_000);
const maxMs = Number(process.env.BENCH_MAX_SECONDS ?? 20) * 1000;
const prefix = `tributary-bench:${process.pid}:`;

interface Row {
  scenario: string;
  alerts: number;
  seconds: number;
  alertsPerSec: number;
  /** State store operations (Node rows) or script calls (redis-benchmark rows) per second. */
  commandsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time per alert of this Node process and of redis-server (load-independent cost). */
  nodeCpuUs: number | null;
  redisCpuUs: number | null;
  note: string;
}

async function nodeScenario(
  scenario: string,
  replicaCount: number,
  concurrency: number,
  autoPipelining: boolean,
  count: number,
  path: LedgerPath = 'primitives',
): Promise<Row> {
  const replicas = Array.from({ length: replicaCount }, (_, i) => ({
    name: `replica-${i}`,
    store: new RedisStateStore({ url, keyPrefix: prefix, autoPipelining }),
  }));
  try {
    await Promise.all(replicas.map((r) => r.store.start()));
    // Warm-up: loads the scripts on each connection and the JIT.
    await runLedgerLoad({ replicas, alerts: 2000, concurrency, maxMs, runId: `warm-${randomUUID()}`, path });
    const redisCpu0 = await redisCpuSeconds();
    const cpu0 = process.cpuUsage();
    const r: LedgerLoadResult = await runLedgerLoad({
      replicas,
      alerts: count,
      concurrency,
      maxMs,
      runId: randomUUID(),
      path,
    });
    const cpu = process.cpuUsage(cpu0);
    const redisCpu = (await redisCpuSeconds()) - redisCpu0;
    const ok = r.duplicates === 0 && r.decided === r.alerts;
    return {
      scenario,
      alerts: r.alerts,
      seconds: r.seconds,
      alertsPerSec: r.alerts / r.seconds,
      commandsPerSec: r.operations / r.seconds,
      p50Ms: r.p50Ms,
      p99Ms: r.p99Ms,
      nodeCpuUs: (cpu.user + cpu.system) / r.alerts,
      redisCpuUs: (redisCpu * 1e6) / r.alerts,
      note: ok
        ? `each alert decided once${path === 'ledger' ? ' (7 state ops per notification)' : ''}`
        : `DECIDED ${r.decided} of ${r.alerts}, ${r.duplicates} duplicates`,
    };
  } finally {
    await Promise.all(replicas.map((r) => r.store.shutdown()));
  }
}

function baselineRow(claim: RedisBenchmarkResult, record: RedisBenchmarkResult, scenario: string): Row {
  // One alert = one claim + one recordOnce, run back to back.
  const alertsPerSec = 1 / (1 / claim.requestsPerSec + 1 / record.requestsPerSec);
  return {
    scenario,
    alerts: alerts,
    seconds: alerts / alertsPerSec,
    alertsPerSec,
    commandsPerSec: alertsPerSec * 2,
    p50Ms: claim.p50Ms + record.p50Ms,
    p99Ms: claim.p99Ms + record.p99Ms,
    nodeCpuUs: null,
    redisCpuUs: null,
    note: `claim ${fmt(claim.requestsPerSec)}/s, recordOnce ${fmt(record.requestsPerSec)}/s`,
  };
}

function redisBaselines(): { rows: Row[]; commands: string[] } {
  const sha = (lua: string): string => createHash('sha1').update(lua).digest('hex');
  const bench = (label: string, options: string[], command: string[]): RedisBenchmarkResult =>
    runRedisBenchmark(url, { label, options, command }, alerts, 120_000);
  // BATCH_SCRIPT takes five cells per key: operation, then four arguments (unused ones are ignored).
  const op = (code: string, a: string, b: string): string[] => [code, a, b, '-', '-'];
  const claimCmd = [
    'EVALSHA',
    sha(BATCH_SCRIPT),
    '1',
    `${prefix}rb:claim:__rand_int__`,
    ...op('c', 'replica-0', '60000'),
  ];
  const recordCmd = [
    'EVALSHA',
    sha(BATCH_SCRIPT),
    '1',
    `${prefix}rb:sent:__rand_int__`,
    ...op('r', '{"r":"pd"}', '3600000'),
  ];
  const runs: Array<[string, string[]]> = [
    ['redis-benchmark EVALSHA 1 key, 50 clients, -P 16', ['-c', '50', '-P', '16']],
    ['redis-benchmark EVALSHA 1 key, 1 client, -P 16', ['-c', '1', '-P', '16']],
    ['redis-benchmark EVALSHA 1 key, 50 clients, no pipeline', ['-c', '50']],
  ];
  const rows: Row[] = [];
  const commands: string[] = [];
  for (const [label, options] of runs) {
    const claim = bench(label, options, claimCmd);
    const record = bench(label, options, recordCmd);
    rows.push(baselineRow(claim, record, label));
    commands.push(claim.command, record.command);
  }
  // The same script with 16 keys per call, as RedisStateStore batches them: the server's ceiling.
  const batch = (kind: string, code: string, a: string, b: string): string[] => {
    const keys = Array.from({ length: 16 }, (_, i) => `${prefix}rb:${kind}${i}:__rand_int__`);
    return ['EVALSHA', sha(BATCH_SCRIPT), '16', ...keys, ...keys.flatMap(() => op(code, a, b))];
  };
  const batchLabel = 'redis-benchmark EVALSHA 16 keys, 1 client, -P 16';
  const batchRuns = Math.max(1, Math.floor(alerts / 16));
  const run16 = (command: string[]): RedisBenchmarkResult =>
    runRedisBenchmark(
      url,
      { label: batchLabel, options: ['-c', '1', '-P', '16'], command },
      batchRuns,
      120_000,
    );
  const claims16 = run16(batch('claim', 'c', 'replica-0', '60000'));
  const records16 = run16(batch('sent', 'r', '{"r":"pd"}', '3600000'));
  const perKey = (r: RedisBenchmarkResult): RedisBenchmarkResult => ({
    ...r,
    requestsPerSec: r.requestsPerSec * 16,
  });
  const batched = baselineRow(perKey(claims16), perKey(records16), batchLabel);
  rows.push({
    ...batched,
    commandsPerSec: batched.commandsPerSec / 16,
    note: `claim ${fmt(claims16.requestsPerSec * 16)} keys/s, recordOnce ${fmt(records16.requestsPerSec * 16)} keys/s`,
  });
  const short = (command: string): string =>
    command.replace(/ 16 \S+:__rand_int__ .*$/, ' 16 <16 keys> <16 x op, 4 arguments>');
  commands.push(short(claims16.command), short(records16.command));
  const set = bench('SET', ['-c', '50', '-P', '16'], ['SET', `${prefix}rb:set:__rand_int__`, 'v']);
  rows.push({
    scenario: 'redis-benchmark plain SET, 50 clients, -P 16',
    alerts: alerts,
    seconds: alerts / set.requestsPerSec,
    alertsPerSec: set.requestsPerSec / 2,
    commandsPerSec: set.requestsPerSec,
    p50Ms: set.p50Ms,
    p99Ms: set.p99Ms,
    nodeCpuUs: null,
    redisCpuUs: null,
    note: 'no Lua: the server ceiling for 2 writes per alert',
  });
  commands.push(set.command);
  return { rows, commands };
}

/** used_cpu_user + used_cpu_sys of the redis-server process, in seconds. */
async function redisCpuSeconds(): Promise<number> {
  const admin = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const info = await admin.info('cpu');
    const field = (name: string): number =>
      Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
    return field('used_cpu_user') + field('used_cpu_sys');
  } finally {
    await admin.quit();
  }
}

async function deleteBenchKeys(): Promise<number> {
  const admin = new Redis(url, { maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
      if (keys.length > 0) deleted += await admin.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    return deleted;
  } finally {
    await admin.quit();
  }
}

async function loadScripts(): Promise<void> {
  const admin = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    await admin.script('LOAD', BATCH_SCRIPT);
  } finally {
    await admin.quit();
  }
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function printTable(rows: readonly Row[]): void {
  const header = [
    'scenario',
    'alerts',
    's',
    'alerts/s',
    'commands/s',
    'p50 ms',
    'p99 ms',
    'node CPU µs/alert',
    'redis CPU µs/alert',
    'note',
  ];
  const body = rows.map((r) => [
    r.scenario,
    fmt(r.alerts),
    fmt(r.seconds, 2),
    fmt(r.alertsPerSec),
    fmt(r.commandsPerSec),
    fmt(r.p50Ms, 2),
    fmt(r.p99Ms, 2),
    r.nodeCpuUs === null ? '-' : fmt(r.nodeCpuUs, 1),
    r.redisCpuUs === null ? '-' : fmt(r.redisCpuUs, 1),
    r.note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => (i === 0 || i === 9 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of body) console.log(line(row));
}

async function main(): Promise<void> {
  console.log(
    `ledger bench: ${fmt(alerts)} alerts per scenario (at most ${maxMs / 1000} s each) against ${url}`,
  );
  const rows: Row[] = [
    await nodeScenario('claim + recordOnce, 1 replica, 1 in flight', 1, 1, false, Math.min(alerts, 5000)),
    await nodeScenario('claim + recordOnce, 1 replica, 256 in flight (default)', 1, 256, false, alerts),
    await nodeScenario('claim + recordOnce, 256 in flight, ioredis auto-pipelining', 1, 256, true, alerts),
    await nodeScenario('claim + recordOnce, 2 replicas on one stream, 256 each', 2, 256, false, alerts),
    await nodeScenario(
      'NotificationLedger notify path, 1 replica, 256 in flight',
      1,
      256,
      false,
      alerts,
      'ledger',
    ),
    await nodeScenario(
      'NotificationLedger notify path, 2 replicas, 256 each',
      2,
      256,
      false,
      alerts,
      'ledger',
    ),
  ];
  await loadScripts();
  const baselines = redisBaselines();
  rows.push(...baselines.rows);
  console.log();
  printTable(rows);
  console.log('\nbaseline commands (run by this process):');
  for (const command of baselines.commands) console.log(`  ${command}`);
  const measured = rows[1]?.alertsPerSec ?? 0;
  const verdict = measured >= TARGET_ALERTS_PER_SEC ? 'met' : 'NOT met';
  console.log(
    `\ntarget >= ${fmt(TARGET_ALERTS_PER_SEC)} alerts/s per instance: ${verdict} (${fmt(measured)} alerts/s, default settings; ` +
      `full notification path ${fmt(rows[4]?.alertsPerSec ?? 0)}/s)`,
  );
  const cpu = rows[1]?.nodeCpuUs;
  if (cpu) {
    console.log(
      `capacity on one dedicated core for the Node side: ${fmt(1e6 / cpu)} alerts/s ` +
        `(${fmt(cpu, 1)} µs CPU per alert); ${os.cpus().length} CPUs here, load average ${os.loadavg()[0]?.toFixed(1)}`,
    );
  }
  console.log(`cleaned up ${fmt(await deleteBenchKeys())} bench keys`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
