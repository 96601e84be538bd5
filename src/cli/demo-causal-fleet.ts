import cliProgress from 'cli-progress';
import { defaultCausalFleetOptions, simulateCausalFleet } from '../simulate/causal-fleet.ts';
import { sendCausalFleet } from '../simulate/causal-fleet-send.ts';
import { compareStoredOrders, storedEventLookup } from '../simulate/judge-order.ts';
import { readFinalCausalOrder, readOrderedLogs } from '../simulate/read-ordered-logs.ts';

/**
 * The demo's third phase: a fleet whose clocks disagree (the issue-5 simulator, small: 3 s of requests
 * on 7 hosts, clocks within ±200 ms) fed at its own pace through HTTP, read back in both orders and
 * judged against the simulator's true happens-before graph. Returns the lines to print.
 */
export async function demoCausalFleet(url: string): Promise<string> {
  const options = defaultCausalFleetOptions();
  Object.assign(options, {
    seed: 42,
    hosts: 6,
    durationMs: 3_000,
    eventsPerSecond: 1_000,
    startMs: Date.now() - 2 * 60_000,
  });
  // Nothing re-sent minutes late: the demo would wait for it.
  options.delivery = { ...options.delivery, partitions: 3, resendShare: 0 };
  const fleet = simulateCausalFleet(options);
  const bar = new cliProgress.SingleBar(
    { format: 'feeding the causal fleet |{bar}| {value}/{total} events', stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar.start(fleet.deliveries.length, 0);
  const sent = await sendCausalFleet(url, fleet, { speed: 1, onProgress: (done) => bar.update(done) });
  bar.stop();
  const lookup = storedEventLookup(fleet);
  const logs = fleet.events.filter((e) => e.kind === 'log').length;
  const belongs = (item: Parameters<typeof lookup>[0]): boolean => lookup(item) !== undefined;
  const causal = await readFinalCausalOrder(url, logs, { belongs, timeoutMs: 30_000 }).catch(
    (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
  );
  if (causal instanceof Error) return `The causal fleet's order did not settle: ${causal.message}`;
  const timestamp = await readOrderedLogs(url, 'timestamp');
  const judged = compareStoredOrders(fleet, causal.items, timestamp.items.filter(belongs));
  const { causal: c, timestamp: t } = judged;
  const pct = (part: number, whole: number): string => `${((100 * part) / Math.max(whole, 1)).toFixed(1)}%`;
  const visible =
    c.visibleViolations === 0
      ? `none of the ${c.visibleEdges} the data shows`
      : `${c.visibleViolations} of the ${c.visibleEdges} the data shows`;
  const trace = judged.showcaseTraceId;
  return [
    `A fleet whose clocks disagree (${logs} logs and ${sent.spans} spans from ${fleet.clocks.length} hosts, clocks within ±${options.clocks.skewMs} ms${sent.rejected ? `, ${sent.rejected} spans refused` : ''}), judged against what really happened:`,
    `  causal order: ${c.violations} of ${c.edges} happens-before edges between logs inverted (${pct(c.violations, c.edges)}), ${visible}; by timestamp: ${t.violations} (${pct(t.violations, t.edges)})`,
    ...(trace
      ? [
          `  ${url}/v1/logs?trace_id=${trace}                   one request across hosts, in causal order`,
          `  ${url}/v1/logs?trace_id=${trace}&order=timestamp   the same by timestamp: effects before causes`,
        ]
      : []),
  ].join('\n');
}
