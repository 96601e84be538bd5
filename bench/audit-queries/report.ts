import type { Measurement } from './measure.ts';

function fmt(n: number, digits: number): string {
  if (!Number.isFinite(n)) return '-';
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** A Markdown table: one row per (query, store, via). */
export function formatTable(rows: readonly Measurement[]): string {
  const header = ['query', 'store', 'via', 'n', 'p50 ms', 'p99 ms', 'max ms', 'items/run', 'note'];
  const body = rows.map((r) => [
    r.query,
    r.store,
    r.via,
    String(r.n),
    fmt(r.p50Ms, r.p50Ms < 10 ? 2 : 1),
    fmt(r.p99Ms, r.p99Ms < 10 ? 2 : 1),
    fmt(r.maxMs, r.maxMs < 10 ? 2 : 1),
    fmt(r.meanItems, r.meanItems < 10 ? 1 : 0),
    r.note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const numeric = new Set([3, 4, 5, 6, 7]);
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}
