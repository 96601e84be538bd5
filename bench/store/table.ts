export interface Row {
  scenario: string;
  events: number;
  seconds: number;
  /** Node CPU (user + system) per event, µs. */
  nodeCpuUs: number;
  /** Per batch, ms. */
  latencies: number[];
  note: string;
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** A Markdown table: one row per scenario. */
export function printTable(rows: readonly Row[]): void {
  const header = [
    'scenario',
    'events',
    's',
    'events/s',
    'batch p50 ms',
    'batch p99 ms',
    'node CPU µs/event',
    'note',
  ];
  const body = rows.map((r) => [
    r.scenario,
    fmt(r.events),
    fmt(r.seconds, 2),
    fmt(r.events / r.seconds),
    fmt(percentile(r.latencies, 50), 1),
    fmt(percentile(r.latencies, 99), 1),
    fmt(r.nodeCpuUs, 1),
    r.note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const last = header.length - 1;
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => (i === 0 || i === last ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of body) console.log(line(row));
}
