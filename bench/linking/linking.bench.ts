/**
 * Trace linking over a simulated mixed fleet (Pinpoint Java + OpenTelemetry Node services), through
 * the real parsers, the link stage and a SQLite store on disk. In one run, per scenario:
 * - where every cross-system hop left evidence (recorded headers, traceparent, access-log line): the
 *   share of requests returned as one complete, correctly parented trace (with every log under its
 *   span), read from each of the request's three recorded traces (target 100%);
 * - where a hop left none: precision and recall of the heuristic join (target precision >= 0.99).
 *
 *   npx tsx bench/linking/linking.bench.ts [--requests 1000]
 */
import {
  simulateMixedFleet,
  type MixedFleetOptions,
  type SimulatedRequest,
} from '../../src/simulate/mixed-fleet.ts';
import { createTraceFinder, type TraceFinder } from '../../src/stages/link-traces/trace-finder.ts';
import { evaluateHeuristic, isCompleteAndCorrect } from './evaluate.ts';
import { loadFleet } from './load-fleet.ts';
import { percent, percentile, printTable } from './table.ts';

const requests = Number(argument('--requests') ?? 1000);

interface Scenario {
  name: string;
  fleet: Partial<MixedFleetOptions>;
  /** Error bound of the host offsets the ordering stage estimated; null = none estimated. */
  clockErrorMs: number | null;
}

const SCENARIOS: Scenario[] = [
  { name: '50 req/s, skew ±150 ms, no offset estimates', fleet: { meanGapMs: 20 }, clockErrorMs: null },
  { name: '50 req/s, skew ±150 ms, offsets ±5 ms', fleet: { meanGapMs: 20 }, clockErrorMs: 5 },
  { name: '200 req/s, skew ±150 ms, no offset estimates', fleet: { meanGapMs: 5 }, clockErrorMs: null },
  { name: '200 req/s, skew ±150 ms, offsets ±5 ms', fleet: { meanGapMs: 5 }, clockErrorMs: 5 },
];

const header = [
  'scenario',
  'requests',
  'fully linked',
  'one correct trace (linked)',
  'hops w/o evidence',
  'heuristic joins',
  'precision',
  'recall',
  'recall by hop (sf>orders, orders>pricing, pricing>catalog)',
  'query p50 ms',
  'query p99 ms',
];
const rows: string[][] = [];
let linkedOk = true;
let precisionOk = true;
for (const scenario of SCENARIOS) {
  const fleet = simulateMixedFleet({ seed: 11, requests, ...scenario.fleet });
  const loaded = await loadFleet(fleet, scenario.clockErrorMs);
  const finder = createTraceFinder({ store: loaded.store, index: loaded.index, ends: loaded.ends });
  const latencies: number[] = [];
  const linked = fleet.requests.filter((r) => r.hops.every((h) => h.evidence !== 'none'));
  let correct = 0;
  for (const request of linked) if (await linkedRequestIsWhole(finder, request, latencies)) correct += 1;
  const heuristic = await evaluateHeuristic(finder, fleet.requests, latencies);
  loaded.close();
  const precision = heuristic.joinsMade === 0 ? 1 : heuristic.joinsCorrect / heuristic.joinsMade;
  linkedOk &&= correct === linked.length;
  precisionOk &&= precision >= 0.99;
  rows.push([
    scenario.name,
    String(requests),
    String(linked.length),
    percent(correct, linked.length),
    String(heuristic.hops),
    `${heuristic.joinsMade} (${heuristic.joinsMade - heuristic.joinsCorrect} wrong)`,
    heuristic.joinsMade === 0 ? 'n/a' : precision.toFixed(4),
    (heuristic.joined / Math.max(1, heuristic.hops)).toFixed(3),
    ['storefront -> orders', 'orders -> pricing', 'pricing -> catalog']
      .map((hop) => {
        const h = heuristic.byHop[hop];
        return h ? (h.joined / Math.max(1, h.hops)).toFixed(2) : 'n/a';
      })
      .join(' / '),
    percentile(latencies, 50).toFixed(1),
    percentile(latencies, 99).toFixed(1),
  ]);
  console.error(`done: ${scenario.name} (${loaded.events} events)`);
}
printTable(header, rows);
console.log(
  `\ntargets: linked requests returned whole 100% -> ${linkedOk ? 'met' : 'MISSED'}; heuristic precision >= 0.99 -> ${precisionOk ? 'met' : 'MISSED'}`,
);

/** Read from the storefront trace, the orders transaction and the catalog transaction: all must be whole. */
async function linkedRequestIsWhole(
  finder: TraceFinder,
  request: SimulatedRequest,
  latencies: number[],
): Promise<boolean> {
  for (const id of [request.entryTraceId, ...request.transactionIds]) {
    const started = performance.now();
    const found = await finder.find(id);
    latencies.push(performance.now() - started);
    if (found.kind !== 'found' || !isCompleteAndCorrect(found.trace, request)) return false;
  }
  return true;
}

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
