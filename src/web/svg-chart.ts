import { html, type SafeHtml } from './html.ts';

export interface ChartSeries {
  label: string;
  values: readonly (number | null)[];
  color: string;
  dashed?: boolean;
}

export interface ChartOptions {
  title: string;
  series: readonly ChartSeries[];
  fromMs: number;
  toMs: number;
  format: (value: number) => string;
}

/** Sized for a third of the page: drawn near 1:1, so 11px labels stay readable. */
const WIDTH = 360;
const HEIGHT = 170;
const LEFT = 58;
const RIGHT = 8;
const TOP = 8;
const BOTTOM = 22;

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

/** Runs of consecutive non-null points as SVG polyline coordinates (a gap breaks the line). */
function segments(
  values: readonly (number | null)[],
  x: (i: number) => number,
  y: (v: number) => number,
): string[] {
  const out: string[] = [];
  let current: string[] = [];
  values.forEach((value, i) => {
    if (value === null) {
      if (current.length > 0) out.push(current.join(' '));
      current = [];
    } else {
      current.push(`${x(i).toFixed(1)},${y(value).toFixed(1)}`);
    }
  });
  if (current.length > 0) out.push(current.join(' '));
  return out;
}

/**
 * A small line chart as inline SVG: presentation attributes only (the CSP allows no inline style),
 * a zero-based y axis with three grid lines, UTC times at both ends, the legend in HTML below.
 */
export function lineChart(options: ChartOptions): SafeHtml {
  const points = options.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  if (points.length === 0) {
    return html`<div class="empty">No ${options.title.toLowerCase()} samples in this window.</div>`;
  }
  const max = Math.max(...points, 0) || 1;
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const n = Math.max(1, (options.series[0]?.values.length ?? 1) - 1);
  const x = (i: number) => LEFT + (i / n) * plotW;
  const y = (v: number) => TOP + plotH - (v / max) * plotH;
  const grid = [0, 0.5, 1].map(
    (f) =>
      html`<line
          x1="${LEFT}"
          x2="${WIDTH - RIGHT}"
          y1="${y(max * f).toFixed(1)}"
          y2="${y(max * f).toFixed(1)}"
          stroke="#e2e5eb"
          stroke-width="1"
        /><text x="${LEFT - 6}" y="${(y(max * f) + 3).toFixed(1)}" text-anchor="end"
          >${options.format(max * f)}</text
        >`,
  );
  const lines = options.series.map((s) =>
    segments(s.values, x, y).map(
      (pts) =>
        html`<polyline
          points="${pts}"
          fill="none"
          stroke="${s.color}"
          stroke-width="1.6"
          ${s.dashed ? html` stroke-dasharray="6 4"` : ''}
          ><title>${s.label}</title></polyline
        >`,
    ),
  );
  const legend = options.series.map(
    (s) =>
      html`<span
        ><svg width="14" height="8" aria-hidden="true">
          <line
            x1="0"
            y1="4"
            x2="14"
            y2="4"
            stroke="${s.color}"
            stroke-width="3"
            ${s.dashed ? html` stroke-dasharray="4 2"` : ''}
          /></svg
        >${s.label}</span
      >`,
  );
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${options.title}">
      <title>${options.title}</title>
      ${grid}${lines}
      <text x="${LEFT}" y="${HEIGHT - 6}">${clock(options.fromMs)} UTC</text>
      <text x="${WIDTH - RIGHT}" y="${HEIGHT - 6}" text-anchor="end">${clock(options.toMs)} UTC</text>
    </svg>
    <div class="legend">${legend}</div>`;
}
