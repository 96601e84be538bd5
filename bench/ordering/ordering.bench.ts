/**
 * Causal ordering benchmark (issue 5): a simulated fleet (src/simulate/causal-fleet.ts) with the true
 * happens-before graph, ordered by Tributary's ordering stage (as the embedded service runs it: the span
 * keys it forgets kept in SQLite) and by a plain sort on timestamps, in the same run. Run: `npx tsx bench/ordering/ordering.bench.ts [--seconds 10] [--e2e-seconds 3] [--seed 1]`.
 */
import { performance } from 'node:perf_hooks';
import { defaultCausalFleetOptions, simulateCausalFleet } from '../../src/simulate/causal-fleet.ts';
import { InMemoryOrderingState } from '../../src/stages/order-logs/in-memory-shared-state.ts';
import { evaluateOrder, ranksOf } from '../../src/simulate/evaluate-order.ts';
import { indexFleet, naiveOrder } from '../../src/simulate/fleet-index.ts';
import { quantile } from './quantile.ts';
import { runEndToEnd } from './run-end-to-end.ts';
import { runThroughStage } from './run-stage.ts';
import { measureThroughput } from './throughput.ts';
import { breakDownViolations, formatBreakdown, summarizeBreakdown } from './violation-breakdown.ts';
import { EMBEDDED_STAGE, embeddedSharedState, scratchDatabase } from './embedded-ordering.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  return Number.isFinite(value) ? value : fallback;
}

const seconds = arg('seconds', 10);
const e2eSeconds = arg('e2e-seconds', 3);
const seed = arg('seed', 1);
const started = performance.now();
const log = (message: string): void =>
  console.error(`[${((performance.now() - started) / 1000).toFixed(0)}s] ${message}`);

// How fast this machine is right now: sorting 1M doubles takes ~80 ms of CPU on an idle modern core.
const calibration = (() => {
  const values = Float64Array.from({ length: 1_000_000 }, Math.random);
  const cpu = process.cpuUsage();
  values.sort();
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000;
})();

const options = defaultCausalFleetOptions();
Object.assign(options, { seed, durationMs: seconds * 1000, eventsPerSecond: 50_000 });
log(
  `simulating ${seconds} s of a fleet at 50k events/s, ${options.hosts} hosts, skew ±${options.clocks.skewMs} ms`,
);
const fleet = simulateCausalFleet(options);
// Throughput first, while the heap holds only the simulated fleet: the judging below keeps maps of a
// million keys alive, which every garbage collection of the stage would walk (the service has none).
log('measuring the throughput of the stage (3 runs, the median counts)');
const throughputs: Awaited<ReturnType<typeof measureThroughput>>[] = [];
for (let i = 0; i < 3; i++) {
  const throughputDb = scratchDatabase();
  throughputs.push(
    await measureThroughput(fleet, Math.min(250_000, fleet.deliveries.length), {
      stage: EMBEDDED_STAGE,
      shared: (now) => embeddedSharedState(throughputDb.db, now),
    }),
  );
  throughputDb.close();
}
const cpuRates = throughputs.map((t) => t.events / t.cpuSeconds).sort((a, b) => a - b);
const cpuRate = cpuRates[1] as number;
const wallRate = throughputs.map((t) => t.events / t.wallSeconds).sort((a, b) => a - b)[1] as number;
const peakRetained = Math.max(...throughputs.map((t) => t.peakRetainedBytes));
const index = indexFleet(fleet);
const points = fleet.events.length * 2;
log(
  `${fleet.events.length} events, ${fleet.deliveries.length} deliveries, ${fleet.truth.edgeFrom.length} happens-before edges`,
);

const naiveRanks = ranksOf(points, naiveOrder(fleet, index));
const naive = evaluateOrder(fleet.truth, naiveRanks, index.rows, index.traceOfRow);
log('sort by timestamp judged; running the stage as the embedded service does (span keys in SQLite)');
// The embedded arrangement: the stage in archive mode, the spans it forgets kept in a SQLite database.
const stageDb = scratchDatabase();
const run = await runThroughStage(fleet, index, {
  stage: EMBEDDED_STAGE,
  shared: (now) => embeddedSharedState(stageDb.db, now),
});
stageDb.close();
const stageRanks = ranksOf(points, run.order);
const stage = evaluateOrder(fleet.truth, stageRanks, index.rows, index.traceOfRow);
const breakdown = breakDownViolations(fleet, index, stageRanks, naiveRanks);
log(`end to end through SQLite (store first), first ${e2eSeconds} s`);
const e2e = await runEndToEnd(fleet, index, e2eSeconds * 1000);
// The store holds rows (logs, span starts): only edges between two rows can be judged there.
const rowsOnly = (from: number, to: number): boolean => (from & 1) === 0 && (to & 1) === 0;
const storedRows = new Set(e2e.causal);
const inStore = (from: number, to: number): boolean =>
  rowsOnly(from, to) && storedRows.has(from) && storedRows.has(to);
const e2eCausal = evaluateOrder(
  fleet.truth,
  ranksOf(points, e2e.causal),
  index.rows,
  index.traceOfRow,
  inStore,
);
const e2eNaive = evaluateOrder(
  fleet.truth,
  ranksOf(points, e2e.timestamp),
  index.rows,
  index.traceOfRow,
  inStore,
);
log('two replicas sharing state (in memory), same first seconds');
const partial = {
  ...fleet,
  deliveries: fleet.deliveries.filter((d) => d.arrivalMs <= options.startMs + e2eSeconds * 1000),
};
const replicas = await runThroughStage(partial, index, {
  replicas: 2,
  shared: () => new InMemoryOrderingState(),
  stage: { buffer: { maxWaitMs: 4_000, maxHoldMs: 6_000 } },
});
// Edges with an end outside the first seconds are left out (they count as missing).
const twoReplicas = evaluateOrder(fleet.truth, ranksOf(points, replicas.order), index.rows, index.traceOfRow);

const pct = (x: number): string => `${(x * 100).toFixed(3)}%`;
const tau = (x: number): string => x.toFixed(4);
const ms = (x: number): string => `${x.toFixed(2)} ms`;
const mb = (x: number): string => `${(x / 1024 / 1024).toFixed(0)} MB`;
const ratio = naive.overallViolationRate / Math.max(stage.overallViolationRate, 1e-12);
const rows: [string, string, string, string, string, string][] = [
  ['metric', 'Tributary stage', 'Tributary e2e (SQLite)', 'sort by timestamp', 'target', 'met'],
  [
    'violated visible edges / visible edges',
    `${pct(stage.visibleViolationRate)} (${stage.visibleViolations})`,
    `${pct(e2eCausal.visibleViolationRate)} (${e2eCausal.visibleViolations})`,
    pct(naive.visibleViolationRate),
    '0',
    stage.visibleViolations === 0 && e2eCausal.visibleViolations === 0 ? 'yes' : 'NO',
  ],
  [
    'violated edges / all edges',
    pct(stage.overallViolationRate),
    pct(e2eCausal.overallViolationRate),
    pct(naive.overallViolationRate),
    '>= 100x below naive',
    `${ratio.toFixed(1)}x: ${ratio >= 100 ? 'yes' : 'NO'}`,
  ],
  [
    'violated cross-host edges',
    pct(stage.crossHostViolationRate),
    pct(e2eCausal.crossHostViolationRate),
    pct(naive.crossHostViolationRate),
    '',
    '',
  ],
  ['Kendall tau, global', tau(stage.tauGlobal), tau(e2eCausal.tauGlobal), tau(naive.tauGlobal), '', ''],
  [
    'Kendall tau, 1 s windows',
    tau(stage.tauWindow1s),
    tau(e2eCausal.tauWindow1s),
    tau(naive.tauWindow1s),
    '>= 0.98',
    stage.tauWindow1s >= 0.98 ? 'yes' : 'NO',
  ],
  [
    'Kendall tau, per trace',
    tau(stage.tauPerTrace),
    tau(e2eCausal.tauPerTrace),
    tau(naive.tauPerTrace),
    '>= 0.99',
    stage.tauPerTrace >= 0.99 ? 'yes' : 'NO',
  ],
  [
    'offset error p50 / p99',
    `${ms(quantile(run.offsetErrors, 0.5))} / ${ms(quantile(run.offsetErrors, 0.99))}`,
    '(same stage)',
    '-',
    'p99 <= 5 ms',
    quantile(run.offsetErrors, 0.99) <= 5 ? 'yes' : 'NO',
  ],
  [
    'added latency p50 / p99 (at 50k events/s)',
    `${ms(quantile(run.latencies, 0.5))} / ${ms(quantile(run.latencies, 0.99))}`,
    '(same stage)',
    '0',
    'p99 <= 2 s',
    quantile(run.latencies, 0.99) <= 2_000 ? 'yes' : 'NO',
  ],
  [
    'peak buffer: stage estimate / measured heap held',
    `${mb(run.peakBufferedBytes)} / ${mb(peakRetained)}`,
    '',
    '-',
    '<= 256 MB',
    Math.max(run.peakBufferedBytes, peakRetained) <= 256 * 1024 * 1024 ? 'yes' : 'NO',
  ],
  [
    'events/s (stage: CPU incl. GC threads, median of 3; e2e: wall, store-bound)',
    `${Math.round(cpuRate)} (${Math.round(cpuRates[0] as number)}-${Math.round(cpuRates[2] as number)}; wall ${Math.round(wallRate)})`,
    `${Math.round(e2e.events / e2e.wallSeconds)}`,
    '-',
    '>= 50000',
    cpuRate >= 50_000 ? 'yes' : 'NO',
  ],
  [
    'late / forced / unavoidable violations',
    `${run.stats.late} / ${run.stats.forced} / ${run.stats.violations}`,
    '',
    '-',
    '',
    '',
  ],
];
const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
const line = (r: readonly string[]): string =>
  `| ${r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`;
console.log(
  `\nCausal ordering, seed ${seed}: ${seconds} s at 50k events/s (${fleet.deliveries.length} deliveries), ${options.hosts} hosts, skew ±${options.clocks.skewMs} ms, ${options.delivery.partitions} partitions by ${options.delivery.partitioning}; e2e on the first ${e2eSeconds} s (${e2e.events} deliveries).\n`,
);
console.log(line(rows[0] as string[]));
console.log(line((rows[0] as string[]).map((cell) => '-'.repeat(cell.length))));
for (const r of rows.slice(1)) console.log(line(r));
console.log(
  `\nIn the store, sorted by timestamp instead: violated visible edges ${pct(e2eNaive.visibleViolationRate)}, all edges ${pct(e2eNaive.overallViolationRate)}, tau per trace ${tau(e2eNaive.tauPerTrace)}.`,
);
console.log(
  `Two replicas (partitions split, in-memory shared state, first ${e2eSeconds} s): visible violations ${pct(twoReplicas.visibleViolationRate)} (${twoReplicas.visibleViolations}), all edges ${pct(twoReplicas.overallViolationRate)}, tau per trace ${tau(twoReplicas.tauPerTrace)}.`,
);
console.log(
  `\nWhat the stage still violates, by class of edge (all ${stage.edges} edges judged; sort by timestamp on the same edges):\n`,
);
for (const row of formatBreakdown(breakdown, 'stage', 'by timestamp')) console.log(row);
console.log(`\n${summarizeBreakdown(breakdown)}\n`);
console.log(
  `Stage wall time ${run.stageSeconds.toFixed(1)} s, CPU ${run.stageCpuSeconds.toFixed(1)} s for ${run.deliveries} deliveries (with the simulator's feeding); machine calibration: sorting 1M doubles took ${calibration.toFixed(0)} ms CPU (~80 ms on an idle core).`,
);
log('done');
