import { describeWithHash } from '../canonical-json.ts';
import { CORE_MIGRATION_VERSION, type SavedObject, type SavedObjectReference } from './saved-object.ts';

export const KIBANA_GRID_COLUMNS = 48;

export interface DashboardPanel {
  object: SavedObject;
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * A dashboard whose panels are the saved objects by reference: each panel carries `panelRefName`
 * `panel_<i>` and the reference is named `<i>:panel_<i>`, as Kibana 8 writes them.
 */
export function serviceDashboard(
  id: string,
  service: string,
  panels: readonly DashboardPanel[],
  hash: string | null,
): SavedObject {
  const references: SavedObjectReference[] = [];
  const panelsJson = panels.map((panel, index) => {
    const panelIndex = String(index + 1);
    references.push({ id: panel.object.id, name: `${panelIndex}:panel_${panelIndex}`, type: panel.object.type });
    return {
      version: '8.11.0',
      type: panel.object.type,
      gridData: { x: panel.x, y: panel.y, w: panel.w, h: panel.h, i: panelIndex },
      panelIndex,
      embeddableConfig: { enhancements: {} },
      panelRefName: `panel_${panelIndex}`,
    };
  });
  const description = `Logs and errors of the service "${service}".`;
  return {
    id,
    type: 'dashboard',
    coreMigrationVersion: CORE_MIGRATION_VERSION,
    typeMigrationVersion: '8.7.0',
    attributes: {
      title: `${service} (Tributary)`,
      description: hash === null ? description : describeWithHash(description, hash),
      panelsJSON: JSON.stringify(panelsJson),
      optionsJSON: JSON.stringify({
        useMargins: true,
        syncColors: false,
        syncCursor: true,
        syncTooltips: false,
        hidePanelTitles: false,
      }),
      timeRestore: true,
      timeFrom: 'now-24h',
      timeTo: 'now',
      refreshInterval: { pause: false, value: 60_000 },
      version: 1,
      kibanaSavedObjectMeta: {
        searchSourceJSON: JSON.stringify({ query: { query: '', language: 'kuery' }, filter: [] }),
      },
    },
    references,
  };
}
