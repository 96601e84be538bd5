import { serviceErrorLogsQuery, serviceLogsQuery, TIME_FIELD } from '../event-fields.ts';
import { CORE_MIGRATION_VERSION, DATA_VIEW_ID, type SavedObject } from './saved-object.ts';

const INDEX_REF = 'kibanaSavedObjectMeta.searchSourceJSON.index';

/** A Discover saved search over the data view; `searchSourceJSON` names the view by reference. */
function savedSearch(id: string, title: string, description: string, query: string): SavedObject {
  return {
    id,
    type: 'search',
    coreMigrationVersion: CORE_MIGRATION_VERSION,
    typeMigrationVersion: '7.9.3',
    attributes: {
      title,
      description,
      columns: ['level', 'host', 'message'],
      sort: [[TIME_FIELD, 'desc']],
      hits: 0,
      version: 1,
      kibanaSavedObjectMeta: {
        searchSourceJSON: JSON.stringify({
          query: { query, language: 'kuery' },
          filter: [],
          highlightAll: true,
          version: true,
          indexRefName: INDEX_REF,
        }),
      },
    },
    references: [{ id: DATA_VIEW_ID, name: INDEX_REF, type: 'index-pattern' }],
  };
}

export function allLogsSearch(id: string, service: string): SavedObject {
  return savedSearch(id, `${service}: logs`, `Every log line of ${service}.`, serviceLogsQuery(service));
}

export function errorLogsSearch(id: string, service: string): SavedObject {
  return savedSearch(
    id,
    `${service}: error logs`,
    `Log lines of ${service} at error level or above.`,
    serviceErrorLogsQuery(service),
  );
}
