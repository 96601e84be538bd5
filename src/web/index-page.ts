import { ago, formatBytes, formatPercent } from './format.ts';
import { html, urlPart, type SafeHtml } from './html.ts';
import { page, shareBar, statusBadge } from './layout.ts';
import type { HealthStatus, ServiceHealth } from './read-service.ts';

function memoryCell(health: ServiceHealth): SafeHtml {
  const { memoryBytes, memoryLimitBytes } = health;
  if (memoryBytes === null) return html`<span class="muted">–</span>`;
  const share = memoryLimitBytes ? memoryBytes / memoryLimitBytes : null;
  return html`${formatBytes(memoryBytes)}${memoryLimitBytes ? html` <span class="muted">/ ${formatBytes(memoryLimitBytes)}</span>` : ''}<br />${shareBar(share)}`;
}

function row(health: ServiceHealth, nowMs: number): SafeHtml {
  const { entry } = health;
  const containers = health.containers.length || entry.containers.length;
  return html`<tr>
    <td><a class="name" href="/services/${urlPart(entry.name)}">${entry.name}</a></td>
    <td>
      ${statusBadge(health.status)}${health.reasons.length > 0 ? html`<div class="muted">${health.reasons.join('; ')}</div>` : ''}
    </td>
    <td class="num">${containers}</td>
    <td class="num">${formatPercent(health.cpuPercent)}</td>
    <td class="num">${memoryCell(health)}</td>
    <td>${entry.sources.join(', ')}</td>
    <td>
      ${entry.hosts.slice(0, 4).join(', ')}${entry.hosts.length > 4 ? ` +${entry.hosts.length - 4}` : ''}
    </td>
    <td class="time" title="${entry.lastSeen}">${ago(entry.lastSeen, nowMs)}</td>
  </tr>`;
}

/** `GET /`: every service with its health, worst first, like a status board. */
export function indexPage(services: readonly ServiceHealth[], nowMs: number): string {
  const order: Record<HealthStatus, number> = { critical: 0, warning: 1, stale: 2, ok: 3 };
  const sorted = [...services].sort(
    (a, b) => order[a.status] - order[b.status] || a.entry.name.localeCompare(b.entry.name),
  );
  const count = (status: HealthStatus) => services.filter((s) => s.status === status).length;
  const tiles = html`<div class="tiles">
    <div class="tile">
      <div class="k">Services</div>
      <div class="v">${services.length}</div>
    </div>
    <div class="tile">
      <div class="k">OK</div>
      <div class="v">${count('ok')}</div>
    </div>
    <div class="tile">
      <div class="k">Warning</div>
      <div class="v">${count('warning')}</div>
    </div>
    <div class="tile">
      <div class="k">Critical</div>
      <div class="v">${count('critical')}</div>
    </div>
    <div class="tile">
      <div class="k">Stale</div>
      <div class="v">${count('stale')}</div>
    </div>
  </div>`;
  const table =
    sorted.length === 0
      ? html`<div class="empty">No service seen yet: send logs, metrics or checks and they appear here.</div>`
      : html`<table>
          <thead>
            <tr>
              <th>Service</th>
              <th>Status</th>
              <th>Containers</th>
              <th>CPU</th>
              <th>Memory</th>
              <th>Sources</th>
              <th>Hosts</th>
              <th>Last event</th>
            </tr>
          </thead>
          <tbody>
            ${sorted.map((s) => row(s, nowMs))}
          </tbody>
        </table>`;
  return page(
    'Services',
    'services',
    html`<h1>Services</h1>
      <p class="sub">
        Health from the last five minutes each service reported (CPU in percent of one core, memory as working
        set against the limit).
      </p>
      ${tiles}
      <div class="card">${table}</div>`,
    nowMs,
  );
}
