import { folderUidFor, type DashboardsConfig, type TeamServices } from './config.ts';
import { publishGrafanaDashboard } from './grafana/publish-grafana.ts';
import { publishKibanaObjects } from './kibana/publish-kibana.ts';
import type { PublishOutcome } from './publish-outcome.ts';
import type { ServiceDashboards } from './render.ts';
import { serviceDirName } from './service-name.ts';
import { tributaryVersion } from './version.ts';

export interface PublishResult {
  service: string;
  grafana: PublishOutcome;
  kibana: PublishOutcome;
}

/** Publishes to whichever of Grafana and Kibana is configured, both at once; never throws. */
export async function publishServiceDashboards(
  generated: ServiceDashboards,
  config: DashboardsConfig,
  teams: TeamServices = {},
): Promise<PublishResult> {
  const [grafana, kibana] = await Promise.all([
    config.grafanaUrl === undefined || config.grafanaToken === undefined
      ? notConfigured('grafana', generated.grafana.hash, 'grafanaUrl')
      : publishGrafanaDashboard(generated.grafana, {
          url: config.grafanaUrl,
          token: config.grafanaToken,
          folderUid: folderUidFor(generated.service, config, teams),
          version: tributaryVersion(),
          timeoutMs: config.requestTimeoutMs,
        }),
    config.kibanaUrl === undefined
      ? notConfigured('kibana', generated.kibana.hash, 'kibanaUrl')
      : publishKibanaObjects(generated.kibana, {
          url: config.kibanaUrl,
          apiKey: config.kibanaApiKey,
          space: config.kibanaSpace,
          fileName: `${serviceDirName(generated.service)}.ndjson`,
          timeoutMs: config.requestTimeoutMs,
        }),
  ]);
  return { service: generated.service, grafana, kibana };
}

async function notConfigured(target: PublishOutcome['target'], hash: string, key: string): Promise<PublishOutcome> {
  return { target, status: 'not-configured', hash, detail: `dashboards.${key} is not set` };
}

export function anyFailed(result: PublishResult): boolean {
  return result.grafana.status === 'failed' || result.kibana.status === 'failed';
}
