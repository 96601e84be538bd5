import { createHash } from 'node:crypto';

/**
 * The only stylesheet, inlined. The Content-Security-Policy allows exactly this text by its hash, so no
 * other style (and no script at all) can run on the pages even if markup slipped through.
 */
export const STYLESHEET = `
:root { --bg: #f5f6f8; --card: #fff; --ink: #1d2330; --muted: #687083; --line: #e2e5eb;
  --ok: #1a7f37; --warn: #b7791f; --crit: #c53030; --stale: #6b7280; --accent: #2f5fd0; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
header { background: #162033; color: #fff; padding: 0 24px; display: flex; align-items: center; gap: 28px; height: 52px; }
header .brand { font-weight: 700; font-size: 17px; letter-spacing: .3px; }
header nav a { color: #c9d3ea; text-decoration: none; margin-right: 18px; padding: 15px 0; }
header nav a.active { color: #fff; border-bottom: 2px solid #7aa2ff; }
main { max-width: 1180px; margin: 0 auto; padding: 20px 24px 40px; }
h1 { font-size: 22px; margin: 4px 0 4px; word-break: break-all; }
h2 { font-size: 15px; margin: 0 0 10px; color: var(--muted); text-transform: uppercase; letter-spacing: .6px; }
a { color: var(--accent); }
.sub { color: var(--muted); margin: 0 0 18px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin-bottom: 18px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 18px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-bottom: 18px; }
.tile { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.tile .v { font-size: 22px; font-weight: 650; }
.tile .k { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .5px; }
table { width: 100%; border-collapse: collapse; }
th { text-align: left; white-space: nowrap; font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .5px;
  border-bottom: 1px solid var(--line); padding: 6px 8px; }
td { border-bottom: 1px solid var(--line); padding: 7px 8px; vertical-align: top; }
tr:last-child td { border-bottom: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.msg { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; word-break: break-word; }
td.time { white-space: nowrap; color: var(--muted); font-variant-numeric: tabular-nums; }
.name { font-weight: 600; overflow-wrap: break-word; }
.host { font-weight: 600; white-space: nowrap; }
.badge { display: inline-block; min-width: 76px; text-align: center; padding: 2px 8px; border-radius: 4px;
  font-size: 12px; font-weight: 700; color: #fff; letter-spacing: .4px; }
.s-ok { background: var(--ok); } .s-warning { background: var(--warn); } .s-critical { background: var(--crit); }
.s-unknown { background: #7c3aed; } .s-stale, .s-pending { background: var(--stale); }
.lvl { font-weight: 700; font-size: 12px; text-transform: uppercase; }
.lvl-error, .lvl-fatal, .lvl-critical { color: var(--crit); } .lvl-warn, .lvl-warning { color: var(--warn); }
.muted { color: var(--muted); }
.bar { height: 6px; background: var(--line); border-radius: 3px; overflow: hidden; margin-top: 6px; }
.legend { display: flex; flex-wrap: wrap; gap: 12px; font-size: 12px; color: var(--muted); margin-top: 4px; }
.legend svg { vertical-align: middle; margin-right: 4px; }
svg.chart { width: 100%; height: auto; display: block; }
svg.chart text { font-size: 11px; fill: #687083; }
.empty { color: var(--muted); font-style: italic; padding: 8px 0; }
footer { color: var(--muted); font-size: 12px; text-align: center; padding: 10px 0 24px; }
`;

export const STYLESHEET_HASH = `sha256-${createHash('sha256').update(STYLESHEET, 'utf8').digest('base64')}`;

/** No script, no frame, no form, no foreign resource; styles only from the stylesheet above. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src '${STYLESHEET_HASH}'`,
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
