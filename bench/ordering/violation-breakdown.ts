import type { SimulatedFleet } from '../../src/simulate/causal-fleet.ts';
import type { Ranks } from '../../src/simulate/evaluate-order.ts';
import type { FleetIndex } from '../../src/simulate/fleet-index.ts';
import { EDGE_CROSS_HOST, EDGE_VISIBLE, edgeKindOf } from '../../src/simulate/ground-truth.ts';

/** One class of happens-before edges and how two orders fare on it. */
export interface EdgeClass {
  kind: string;
  visible: boolean;
  crossHost: boolean;
  /**
   * The intervals the two ends' raw stamps stand for overlap (a stamp truncated to the ms or the second
   * covers its whole granule; spans are stamped to the us): the timestamps cannot tell which came first.
   */
  oneGranule: boolean;
  edges: number;
  /** Violated by the order judged. */
  violated: number;
  /** Of those, edges with an end that came in a chunk re-sent minutes late. */
  violatedResent: number;
  /** Violated by the baseline order (sort by timestamp), same edges. */
  baselineViolated: number;
}

/** Stamp granule of each point, ms: logs at their host's precision, spans to the microsecond. */
function granuleMs(fleet: SimulatedFleet, point: number): number {
  const e = fleet.events[point >> 1];
  if (!e || e.kind === 'span') return 0.001;
  return fleet.clocks[e.host]?.logPrecision === 's' ? 1_000 : 1;
}

/**
 * Every edge (both ends ranked in both orders) by kind, visible or not, same host or not, and whether
 * the data can tell the order of its ends (their stamps' granules do not overlap), with the violations
 * of `ranks` and of `baseline` in each class. Sorted by the violations of `ranks`, most first.
 */
export function breakDownViolations(
  fleet: SimulatedFleet,
  index: FleetIndex,
  ranks: Ranks,
  baseline: Ranks,
): EdgeClass[] {
  const resent = new Uint8Array(fleet.events.length);
  const seen = new Uint8Array(fleet.events.length);
  for (const d of fleet.deliveries) {
    if (seen[d.event]) continue;
    seen[d.event] = 1;
    if (d.resent) resent[d.event] = 1;
  }
  const classes = new Map<string, EdgeClass>();
  const t = fleet.truth;
  for (let k = 0; k < t.edgeFrom.length; k++) {
    const a = t.edgeFrom[k] as number;
    const b = t.edgeTo[k] as number;
    const ra = ranks[a] as number;
    const rb = ranks[b] as number;
    if (ra < 0 || rb < 0 || (baseline[a] as number) < 0 || (baseline[b] as number) < 0) continue;
    const flags = t.edgeFlags[k] as number;
    const rawA = index.rawPointMs[a] as number;
    const rawB = index.rawPointMs[b] as number;
    const oneGranule = rawA < rawB + granuleMs(fleet, b) && rawB < rawA + granuleMs(fleet, a);
    const c = {
      kind: edgeKindOf(flags),
      visible: (flags & EDGE_VISIBLE) !== 0,
      crossHost: (flags & EDGE_CROSS_HOST) !== 0,
      oneGranule,
    };
    const id = `${c.kind}|${c.visible}|${c.crossHost}|${c.oneGranule}`;
    let row = classes.get(id);
    if (!row)
      classes.set(id, (row = { ...c, edges: 0, violated: 0, violatedResent: 0, baselineViolated: 0 }));
    row.edges += 1;
    if (ra > rb) {
      row.violated += 1;
      if (resent[a >> 1] || resent[b >> 1]) row.violatedResent += 1;
    }
    if ((baseline[a] as number) > (baseline[b] as number)) row.baselineViolated += 1;
  }
  return [...classes.values()].sort(
    (x, y) => y.violated - x.violated || y.baselineViolated - x.baselineViolated || y.edges - x.edges,
  );
}

/** The breakdown as a Markdown table (classes without violations in either order are summed in one row). */
export function formatBreakdown(classes: readonly EdgeClass[], name: string, baselineName: string): string[] {
  const total = classes.reduce((s, c) => s + c.violated, 0);
  const pct = (n: number, of: number): string => (of === 0 ? '-' : `${((100 * n) / of).toFixed(2)}%`);
  const header = [
    'edge kind',
    'visible',
    'hosts',
    'ends within one stamp granule',
    'edges',
    `violated (${name})`,
    'of which a re-sent end',
    'share of all violations',
    `violated (${baselineName})`,
  ];
  const rows: string[][] = [];
  let quietEdges = 0;
  let quietClasses = 0;
  for (const c of classes) {
    if (c.violated === 0 && c.baselineViolated === 0) {
      quietEdges += c.edges;
      quietClasses += 1;
      continue;
    }
    rows.push([
      c.kind,
      c.visible ? 'visible' : 'invisible',
      c.crossHost ? 'cross host' : 'same host',
      c.oneGranule ? 'yes: order undecidable' : 'no',
      String(c.edges),
      `${c.violated} (${pct(c.violated, c.edges)})`,
      String(c.violatedResent),
      pct(c.violated, total),
      `${c.baselineViolated} (${pct(c.baselineViolated, c.edges)})`,
    ]);
  }
  if (quietClasses > 0) {
    rows.push([`${quietClasses} other classes`, '', '', '', String(quietEdges), '0', '0', '-', '0']);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    `| ${r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** One paragraph: where the violations of the judged order are, by the classes above. */
export function summarizeBreakdown(classes: readonly EdgeClass[]): string {
  const sum = (keep: (c: EdgeClass) => boolean, field: 'violated' | 'violatedResent' = 'violated'): number =>
    classes.filter(keep).reduce((s, c) => s + c[field], 0);
  const total = sum(() => true);
  if (total === 0) return 'No edge is violated.';
  const share = (n: number): string => `${n} (${((100 * n) / total).toFixed(1)}%)`;
  const visible = sum((c) => c.visible);
  const visibleResent = sum((c) => c.visible, 'violatedResent');
  const undecidable = sum((c) => !c.visible && c.oneGranule);
  const invisibleCross = sum((c) => !c.visible && !c.oneGranule && c.crossHost);
  const invisibleSame = sum((c) => !c.visible && !c.oneGranule && !c.crossHost);
  return (
    `Of ${total} violated edges: visible ${share(visible)}, ${visibleResent} of them with an end re-sent ` +
    `minutes late; invisible with both ends' stamps within one granule (the data cannot tell the order) ` +
    `${share(undecidable)}; other invisible cross-host ${share(invisibleCross)}; other invisible ` +
    `same-host ${share(invisibleSame)}.`
  );
}
