import { ago, dateTime } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import type { HostRow, StateChange } from './host-overview.ts';
import { page } from './layout.ts';

const HOST_BADGE: Record<HostRow['state'], string> = {
  UP: 'ok',
  DOWN: 'critical',
  UNREACHABLE: 'critical',
  PENDING: 'pending',
};
const SERVICE_BADGE: Record<string, string> = {
  OK: 'ok',
  WARNING: 'warning',
  CRITICAL: 'critical',
  UNKNOWN: 'unknown',
};

function badge(state: string, kind: string): SafeHtml {
  return html`<span class="badge s-${kind}">${state}</span>`;
}

function hostRow(host: HostRow, nowMs: number): SafeHtml {
  const problems = host.services.filter((s) => s.state !== 'OK');
  return html`<tr>
    <td class="host">${host.host}</td>
    <td>${badge(host.state, HOST_BADGE[host.state])}</td>
    <td>
      ${host.services.length === 0 ? html`<span class="muted">no service checks</span>` : `${host.available} of ${host.services.length} services available`}
      ${problems.map((s) => html`<div>${badge(s.state, SERVICE_BADGE[s.state] ?? 'unknown')} ${s.name}: <span class="muted">${s.output}</span></div>`)}
    </td>
    <td class="msg">${host.output}</td>
    <td class="time">${host.lastCheck === null ? '–' : ago(host.lastCheck, nowMs)}</td>
  </tr>`;
}

function changeRow(change: StateChange): SafeHtml {
  const kind =
    change.service === null
      ? change.state === 'UP'
        ? 'ok'
        : 'critical'
      : (SERVICE_BADGE[change.state] ?? 'unknown');
  return html`<tr>
    <td class="time">${dateTime(change.time)}</td>
    <td class="host">${change.host}</td>
    <td>${change.service ?? html`<span class="muted">(host)</span>`}</td>
    <td>${badge(change.state, kind)} <span class="muted">${change.stateType ?? ''}</span></td>
    <td class="msg">${change.output}</td>
  </tr>`;
}

/** `GET /hosts`: Nagios-style overview of every host, then the latest state changes. */
export function hostsPage(hosts: readonly HostRow[], changes: readonly StateChange[], nowMs: number): string {
  const up = hosts.filter((h) => h.state === 'UP').length;
  const down = hosts.filter((h) => h.state === 'DOWN' || h.state === 'UNREACHABLE').length;
  const services = hosts.reduce((n, h) => n + h.services.length, 0);
  const available = hosts.reduce((n, h) => n + h.available, 0);
  return page(
    'Hosts',
    'hosts',
    html`<h1>Hosts</h1>
      <p class="sub">
        From Nagios host and service checks; a service counts as available when OK or WARNING.
      </p>
      <div class="tiles">
        <div class="tile">
          <div class="k">Hosts up</div>
          <div class="v">${up}</div>
        </div>
        <div class="tile">
          <div class="k">Hosts down</div>
          <div class="v">${down}</div>
        </div>
        <div class="tile">
          <div class="k">Services available</div>
          <div class="v">${available} of ${services}</div>
        </div>
      </div>
      <div class="card">
        <h2>Host status</h2>
        ${
          hosts.length === 0
            ? html`<div class="empty">No host known yet.</div>`
            : html`<table>
                <thead>
                  <tr>
                    <th>Host</th>
                    <th>Status</th>
                    <th>Services</th>
                    <th>Status information</th>
                    <th>Last check</th>
                  </tr>
                </thead>
                <tbody>
                  ${hosts.map((h) => hostRow(h, nowMs))}
                </tbody>
              </table>`
        }
      </div>
      <div class="card">
        <h2>Recent events</h2>
        ${
          changes.length === 0
            ? html`<div class="empty">No check result yet.</div>`
            : html`<table>
                <thead>
                  <tr>
                    <th>Time (UTC)</th>
                    <th>Host</th>
                    <th>Service</th>
                    <th>State</th>
                    <th>Information</th>
                  </tr>
                </thead>
                <tbody>
                  ${changes.map(changeRow)}
                </tbody>
              </table>`
        }
      </div>`,
    nowMs,
  );
}
