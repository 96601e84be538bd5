import { stateName } from './host-overview.ts';
import { ago, clockTime, dateTime, formatBytes, formatPercent, formatRate } from './format.ts';
import { html, urlPart, type SafeHtml } from './html.ts';
import { page, shareBar, statusBadge } from './layout.ts';
import type { ServiceDetail } from './read-service.ts';
import { lineChart } from './svg-chart.ts';

const CHECK_BADGE: Record<string, string> = {
  OK: 'ok',
  UP: 'ok',
  WARNING: 'warning',
  CRITICAL: 'critical',
  DOWN: 'critical',
  UNREACHABLE: 'critical',
  UNKNOWN: 'unknown',
};

function tiles(detail: ServiceDetail, nowMs: number): SafeHtml {
  const share =
    detail.memoryBytes !== null && detail.memoryLimitBytes
      ? detail.memoryBytes / detail.memoryLimitBytes
      : null;
  return html`<div class="tiles">
    <div class="tile">
      <div class="k">Status</div>
      <div class="v">${statusBadge(detail.status)}</div>
    </div>
    <div class="tile">
      <div class="k">Containers</div>
      <div class="v">${detail.containers.length || detail.entry.containers.length}</div>
    </div>
    <div class="tile">
      <div class="k">CPU</div>
      <div class="v">${formatPercent(detail.cpuPercent)}</div>
    </div>
    <div class="tile">
      <div class="k">Memory</div>
      <div class="v">${formatBytes(detail.memoryBytes)}</div>
      ${
        detail.memoryLimitBytes
          ? html`<div class="muted">of ${formatBytes(detail.memoryLimitBytes)}</div>
              ${shareBar(share)}`
          : ''
      }
    </div>
    <div class="tile">
      <div class="k">Alerts firing</div>
      <div class="v">${detail.firingAlerts.length}</div>
    </div>
    <div class="tile">
      <div class="k">Last event</div>
      <div class="v">${ago(detail.entry.lastSeen, nowMs)}</div>
    </div>
  </div>`;
}

function charts(detail: ServiceDetail): SafeHtml {
  const { fromMs, toMs } = detail.window;
  const cpu = lineChart({
    title: 'CPU',
    fromMs,
    toMs,
    format: (v) => `${(v * 100).toFixed(0)} %`,
    series: [{ label: 'CPU (% of one core)', values: detail.cpuCores, color: '#2f5fd0' }],
  });
  const memory = lineChart({
    title: 'Memory',
    fromMs,
    toMs,
    format: formatBytes,
    series: [
      { label: 'working set', values: detail.memory, color: '#1a7f37' },
      { label: 'limit', values: detail.memoryLimit, color: '#c53030', dashed: true },
    ],
  });
  const network = lineChart({
    title: 'Network',
    fromMs,
    toMs,
    format: formatRate,
    series: [
      { label: 'received', values: detail.rx, color: '#2f5fd0' },
      { label: 'transmitted', values: detail.tx, color: '#b7791f' },
    ],
  });
  return html`<div class="grid">
    <div class="card">
      <h2>CPU</h2>
      ${cpu}
    </div>
    <div class="card">
      <h2>Memory</h2>
      ${memory}
    </div>
    <div class="card">
      <h2>Network</h2>
      ${network}
    </div>
  </div>`;
}

function alertsCard(detail: ServiceDetail): SafeHtml {
  const body =
    detail.firingAlerts.length === 0
      ? html`<div class="empty">No alert firing.</div>`
      : html`<table>
          <thead>
            <tr>
              <th>Alert</th>
              <th>Since (UTC)</th>
              <th>Summary</th>
              <th>Labels</th>
            </tr>
          </thead>
          <tbody>
            ${detail.firingAlerts.map(
              (a) =>
                html`<tr>
                  <td class="name">${a.name}</td>
                  <td class="time">${dateTime(a.time)}</td>
                  <td>${a.annotations.summary ?? a.annotations.description ?? a.message}</td>
                  <td class="msg">
                    ${Object.entries(a.labels)
                      .map(([k, v]) => `${k}=${v}`)
                      .join(' ')}
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>`;
  return html`<div class="card">
    <h2>Active alerts</h2>
    ${body}
  </div>`;
}

function checksCard(detail: ServiceDetail, nowMs: number): SafeHtml {
  if (detail.checks.length === 0) return html``;
  return html`<div class="card">
    <h2>Nagios checks</h2>
    <table>
      <thead>
        <tr>
          <th>Host</th>
          <th>Check</th>
          <th>State</th>
          <th>Information</th>
          <th>Checked</th>
        </tr>
      </thead>
      <tbody>
        ${detail.checks.map(
          (c) =>
            html`<tr>
              <td class="host">${c.checkHost}</td>
              <td>${c.checkService ?? html`<span class="muted">(host)</span>`}</td>
              <td><span class="badge s-${CHECK_BADGE[stateName(c)] ?? 'unknown'}">${stateName(c)}</span></td>
              <td class="msg">${c.output}</td>
              <td class="time">${ago(c.time, nowMs)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function logsCard(detail: ServiceDetail): SafeHtml {
  const name = urlPart(detail.entry.name);
  const body =
    detail.logs.length === 0
      ? html`<div class="empty">No log line yet.</div>`
      : html`<table>
          <thead>
            <tr>
              <th>Time (UTC)</th>
              <th>Level</th>
              <th>Host</th>
              <th>Message</th>
            </tr>
          </thead>
          <tbody>
            ${detail.logs.map(
              (l) =>
                html`<tr>
                  <td class="time">${clockTime(l.time)}</td>
                  <td class="lvl lvl-${l.level ?? 'none'}">${l.level ?? ''}</td>
                  <td>${l.host ?? ''}</td>
                  <td class="msg">
                    ${l.message}${
                      l.trace ? html` <a href="/v1/logs?trace_id=${urlPart(l.trace.traceId)}">trace</a>` : ''
                    }
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>`;
  return html`<div class="card">
    <h2>Recent logs</h2>
    <p class="sub">
      The latest ${detail.logs.length} lines in causal order ·
      <a href="/v1/logs?service=${name}&amp;sort=asc">all logs (JSON)</a> ·
      <a href="/v1/events?service=${name}&amp;kind=log&amp;level=error">errors (JSON)</a>
    </p>
    ${body}
  </div>`;
}

function tracesCard(detail: ServiceDetail): SafeHtml {
  const body =
    detail.traces.length === 0
      ? html`<div class="empty">No trace seen for this service.</div>`
      : html`<table>
          <thead>
            <tr>
              <th>Time (UTC)</th>
              <th>Trace</th>
              <th>Operation</th>
              <th>Duration</th>
            </tr>
          </thead>
          <tbody>
            ${detail.traces.map(
              (t) =>
                html`<tr>
                  <td class="time">${clockTime(t.time)}</td>
                  <td class="msg">
                    <a href="/v1/logs?trace_id=${urlPart(t.traceId)}">${t.traceId}</a
                    >${t.error ? html` <span class="badge s-critical">ERROR</span>` : ''}
                  </td>
                  <td>${t.name}</td>
                  <td class="num">${t.durationMs === null ? '–' : `${t.durationMs.toFixed(1)} ms`}</td>
                </tr>`,
            )}
          </tbody>
        </table>`;
  return html`<div class="card">
    <h2>Traces</h2>
    <p class="sub">Each link lists the logs of the request across hosts.</p>
    ${body}
  </div>`;
}

/** `GET /services/:name`: health, charts of the last hour the service reported, alerts, logs, traces. */
export function servicePage(detail: ServiceDetail, nowMs: number): string {
  const { entry } = detail;
  const name = urlPart(entry.name);
  return page(
    entry.name,
    'services',
    html`<p class="sub"><a href="/">Services</a> ›</p>
      <h1>${entry.name}</h1>
      <p class="sub">
        ${detail.reasons.length > 0 ? detail.reasons.join('; ') : 'No problem reported.'} · sources
        ${entry.sources.join(', ')} · hosts ${entry.hosts.join(', ') || '–'} · dashboards:
        <a href="/v1/dashboards/${name}?format=grafana">Grafana</a>,
        <a href="/v1/dashboards/${name}?format=kibana">Kibana</a>
      </p>
      ${tiles(detail, nowMs)}${charts(detail)}${alertsCard(detail)}${checksCard(detail, nowMs)}${logsCard(detail)}${tracesCard(detail)}`,
    nowMs,
  );
}
