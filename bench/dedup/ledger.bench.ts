// The notification ledger's hot path (claim + recordOnce) against real Redis, next to redis-benchmark
// running the very same Lua scripts by EVALSHA on the same server: the gap is what the Node client costs.
//
//   bash scripts/infra/redis.sh start
//   npx tsx bench/dedup/ledger.bench.ts
//
// Env: TRIBUTARY_BENCH_REDIS_URL (else TRIBUTARY_TEST_REDIS_URL, else redis://127.0.0.1:16379),
// BENCH_ALERTS (default 100000), BENCH_MAX_SECONDS per scenario (default 20). Keys live under
// `tributary-bench:<pid>:` with TTLs and are deleted at the end. Target: >= 20,000 alerts/s per instance.
import { createHash, randomUUID } from 'node:crypto';
import os from 'node:os';
import { Redis } from 'ioredis';
import { CLAIM_SCRIPT, RECORD_ONCE_SCRIPT } from '../../src/state/redis/lua-scripts.ts';
import { RedisStateStore } from '../../src/state/redis/redis-state-store.ts';
import { runLedgerLoad, type LedgerLoadResult } from './ledger-load.ts';
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
): Promise<Row> {
  const replicas = Array.from({ length: replicaCount }, (_, i) => ({
    name: `replica-${i}`,
    store: new RedisStateStore({ url, keyPrefix: prefix, autoPipelining }),
  }));
  try {
    await Promise.all(replicas.map((r) => r.store.start()));
    // Warm-up: loads the scripts on each connection and the JIT.
    await runLedgerLoad({ replicas, alerts: 2000, concurrency, maxMs, runId: `warm-${randomUUID()}` });
    const redisCpu0 = await redisCpuSeconds();
    const cpu0 = process.cpuUsage();
    const r: LedgerLoadResult = await runLedgerLoad({
      replicas,
      alerts: count,
      concurrency,
      maxMs,
      runId: randomUUID(),
    });
    const cpu = process.cpuUsage(cpu0);
    const redisCpu = (await redisCpuSeconds()) - redisCpu0;
    const commands = r.alerts * replicaCount + r.decided; // one claim per alert and replica, one record per decision
    const ok = r.duplicates === 0 && r.decided === r.alerts;
    return {
      scenario,
      alerts: r.alerts,
      seconds: r.seconds,
      alertsPerSec: r.alerts / r.seconds,
      commandsPerSec: commands / r.seconds,
      p50Ms: r.p50Ms,
      p99Ms: r.p99Ms,
      nodeCpuUs: (cpu.user + cpu.system) / r.alerts,
      redisCpuUs: (redisCpu * 1e6) / r.alerts,
      note: ok
        ? `each alert decided once`
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
  const claimCmd = [
    'EVALSHA',
    sha(CLAIM_SCRIPT),
    '1',
    `${prefix}rb:claim:__rand_int__`,
    'replica-0',
    '60000',
  ];
  const recordCmd = [
    'EVALSHA',
    sha(RECORD_ONCE_SCRIPT),
    '1',
    `${prefix}rb:sent:__rand_int__`,
    '{"r":"pd"}',
    '3600000',
  ];
  const runs: Array<[string, string[]]> = [
    ['redis-benchmark EVALSHA, 50 clients, -P 16', ['-c', '50', '-P', '16']],
    ['redis-benchmark EVALSHA, 1 client, -P 16', ['-c', '1', '-P', '16']],
    ['redis-benchmark EVALSHA, 50 clients, no pipeline', ['-c', '50']],
  ];
  const rows: Row[] = [];
  const commands: string[] = [];
  for (const [label, options] of runs) {
    const claim = bench(label, options, claimCmd);
    const record = bench(label, options, recordCmd);
    rows.push(baselineRow(claim, record, label));
    commands.push(claim.command, record.command);
  }
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
    for (const lua of [CLAIM_SCRIPT, RECORD_ONCE_SCRIPT]) await admin.script('LOAD', lua);
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
    await nodeScenario('RedisStateStore, 1 replica, 1 in flight', 1, 1, false, Math.min(alerts, 5000)),
    await nodeScenario(
      'RedisStateStore, 1 replica, 256 in flight (default: auto-pipelining)',
      1,
      256,
      true,
      alerts,
    ),
    await nodeScenario(
      'RedisStateStore, 1 replica, 256 in flight, no auto-pipelining',
      1,
      256,
      false,
      alerts,
    ),
    await nodeScenario('RedisStateStore, 2 replicas on one stream, 256 in flight each', 2, 256, true, alerts),
  ];
  await loadScripts();
  const baselines = redisBaselines();
  rows.push(...baselines.rows);
  console.log();
  printTable(rows);
  console.log('\nbaseline commands (run by this process):');
  for (const command of baselines.commands) console.log(`  ${command}`);
  const best = Math.max(rows[1]?.alertsPerSec ?? 0, rows[2]?.alertsPerSec ?? 0);
  const verdict = best >= TARGET_ALERTS_PER_SEC ? 'met' : 'NOT met';
  console.log(
    `\ntarget >= ${fmt(TARGET_ALERTS_PER_SEC)} alerts/s per instance: ${verdict} (${fmt(best)} alerts/s measured)`,
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
