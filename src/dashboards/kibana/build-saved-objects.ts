import { canonicalJson, contentHash } from '../canonical-json.ts';
import { kibanaIdPrefix } from '../service-name.ts';
import { eventsDataView } from './data-view.ts';
import { serviceDashboard, type DashboardPanel } from './dashboard.ts';
import { errorRateLens, logVolumeLens } from './lens.ts';
import type { SavedObject } from './saved-object.ts';
import { allLogsSearch, errorLogsSearch } from './saved-searches.ts';

export interface GeneratedKibanaObjects {
  /** Id of the service's dashboard (the publisher reads its description back). */
  dashboardId: string;
  hash: string;
  objects: SavedObject[];
  /** One canonical JSON object per line, referenced objects first, trailing newline. */
  ndjson: string;
}

/** The service's Kibana saved objects: data view, two saved searches, two Lens charts, one dashboard. */
export function buildKibanaObjects(service: string): GeneratedKibanaObjects {
  const prefix = kibanaIdPrefix(service);
  const dataView = eventsDataView();
  const volume = logVolumeLens(`${prefix}-log-volume`, service);
  const errorRate = errorRateLens(`${prefix}-error-rate`, service);
  const errors = errorLogsSearch(`${prefix}-error-logs`, service);
  const logs = allLogsSearch(`${prefix}-logs`, service);
  const panels: DashboardPanel[] = [
    { object: volume, x: 0, y: 0, w: 24, h: 12 },
    { object: errorRate, x: 24, y: 0, w: 24, h: 12 },
    { object: errors, x: 0, y: 12, w: 48, h: 15 },
    { object: logs, x: 0, y: 27, w: 48, h: 15 },
  ];
  const dashboardId = `${prefix}-dashboard`;
  const members = [dataView, volume, errorRate, errors, logs];
  const hash = contentHash(toNdjson([...members, serviceDashboard(dashboardId, service, panels, null)]));
  const objects = [...members, serviceDashboard(dashboardId, service, panels, hash)];
  return { dashboardId, hash, objects, ndjson: toNdjson(objects) };
}

function toNdjson(objects: readonly SavedObject[]): string {
  return objects.map((object) => `${canonicalJson(object)}\n`).join('');
}
