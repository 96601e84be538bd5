import type { DashboardsConfig } from './config.ts';
import { buildGrafanaDashboard, type GeneratedGrafanaDashboard } from './grafana/build-dashboard.ts';
import { buildKibanaObjects, type GeneratedKibanaObjects } from './kibana/build-saved-objects.ts';
import { serviceNameProblem } from './service-name.ts';

/** What generation needs from the configuration (nothing about where to publish). */
export type DashboardOptions = Pick<DashboardsConfig, 'serviceLabel' | 'publicUrl'>;

export interface ServiceDashboards {
  service: string;
  grafana: GeneratedGrafanaDashboard;
  kibana: GeneratedKibanaObjects;
}

export class InvalidServiceName extends Error {
  override readonly name = 'InvalidServiceName';
}

/** Both dashboards of one service, in memory. Throws InvalidServiceName for a name we refuse. */
export function renderServiceDashboards(service: string, options: DashboardOptions): ServiceDashboards {
  const problem = serviceNameProblem(service);
  if (problem !== null) throw new InvalidServiceName(problem);
  return {
    service,
    grafana: buildGrafanaDashboard(service, options),
    kibana: buildKibanaObjects(service),
  };
}
