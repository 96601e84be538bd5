import { DashboardBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { canonicalJson, contentHash, describeWithHash } from '../canonical-json.ts';
import { grafanaUid } from '../service-name.ts';
import {
  containersUpStat,
  cpuPanel,
  cpuThrottlingPanel,
  filesystemIoPanel,
  filesystemUsagePanel,
  memoryPanel,
  networkErrorsPanel,
  networkPanel,
  oomKillsStat,
  restartsStat,
  type PanelContext,
} from './container-panels.ts';
import { dashboardLinks } from './data-links.ts';
import { templateVariables } from './datasources.ts';
import { errorLogs, errorLogsStat, linksText, logVolume, nagiosTimeline, traceLatency } from './event-panels.ts';
import { GridLayout } from './grid-layout.ts';

export interface GrafanaDashboardOptions {
  /** cAdvisor label carrying the service name. */
  serviceLabel: string;
  /** Tributary's base URL as people reach it (links to /v1/logs). */
  publicUrl: string;
}

export interface GeneratedGrafanaDashboard {
  uid: string;
  /** Hash of the content (without the hash itself); also written into the description. */
  hash: string;
  dashboard: Dashboard;
  /** Canonical JSON (sorted keys, 2-space indent, trailing newline): byte-identical for equal input. */
  json: string;
}

/**
 * The service's Grafana dashboard. Deterministic: uid from the name, panel ids in layout order, no
 * timestamps, canonical key order, so regenerating gives the same bytes and the hash says "unchanged".
 */
export function buildGrafanaDashboard(service: string, options: GrafanaDashboardOptions): GeneratedGrafanaDashboard {
  const ctx: PanelContext = { service, serviceLabel: options.serviceLabel, publicUrl: options.publicUrl };
  const uid = grafanaUid(service);
  const description = `Containers, checks, logs and traces of the service "${service}".`;
  const builder = new DashboardBuilder(`${service} (Tributary)`)
    .uid(uid)
    .description(description)
    .tags(['tributary', 'generated'])
    .readonly()
    .timezone('browser')
    .time({ from: 'now-3h', to: 'now' })
    .refresh('1m')
    .variables(templateVariables(ctx))
    .links(dashboardLinks(ctx));
  new GridLayout(builder)
    .row('Health')
    .panel(containersUpStat(ctx), 4, 4)
    .panel(restartsStat(ctx), 4, 4)
    .panel(oomKillsStat(ctx), 4, 4)
    .panel(errorLogsStat(ctx), 4, 4)
    .panel(linksText(ctx), 8, 4)
    .row('CPU')
    .panel(cpuPanel(ctx), 12, 8)
    .panel(cpuThrottlingPanel(ctx), 12, 8)
    .row('Memory and filesystem')
    .panel(memoryPanel(ctx), 8, 8)
    .panel(filesystemUsagePanel(ctx), 8, 8)
    .panel(filesystemIoPanel(ctx), 8, 8)
    .row('Network')
    .panel(networkPanel(ctx), 12, 8)
    .panel(networkErrorsPanel(ctx), 12, 8)
    .row('Nagios checks')
    .panel(nagiosTimeline(ctx), 24, 7)
    .row('Logs')
    .panel(logVolume(ctx), 24, 7)
    .panel(errorLogs(ctx), 24, 10)
    .row('Traces')
    .panel(traceLatency(ctx), 24, 8);
  const dashboard = builder.build();
  const hash = contentHash(canonicalJson(dashboard));
  dashboard.description = describeWithHash(description, hash);
  return { uid, hash, dashboard, json: `${canonicalJson(dashboard, 2)}\n` };
}
