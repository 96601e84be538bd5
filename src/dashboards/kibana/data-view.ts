import { EVENT_INDEX_PATTERN, TIME_FIELD } from '../event-fields.ts';
import { CORE_MIGRATION_VERSION, DATA_VIEW_ID, type SavedObject } from './saved-object.ts';

/** The data view (index pattern) over Tributary's event indices, timed by the event time. */
export function eventsDataView(): SavedObject {
  return {
    id: DATA_VIEW_ID,
    type: 'index-pattern',
    coreMigrationVersion: CORE_MIGRATION_VERSION,
    typeMigrationVersion: '7.11.0',
    attributes: {
      title: EVENT_INDEX_PATTERN,
      name: 'Tributary events',
      timeFieldName: TIME_FIELD,
      // Kibana keeps these as JSON text; empty means "read the fields from the mapping".
      fields: '[]',
      fieldAttrs: '{}',
      runtimeFieldMap: '{}',
      typeMeta: '{}',
    },
    references: [],
  };
}
