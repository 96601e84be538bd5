/** One Kibana saved object as the import API reads it (one NDJSON line). */
export interface SavedObject {
  id: string;
  type: 'index-pattern' | 'search' | 'lens' | 'dashboard';
  /** Kibana runs only the migrations newer than these, so they state the shape the attributes have. */
  coreMigrationVersion: string;
  typeMigrationVersion: string;
  attributes: Record<string, unknown>;
  references: SavedObjectReference[];
}

export interface SavedObjectReference {
  id: string;
  name: string;
  type: SavedObject['type'];
}

/** The shape of each object follows a Kibana 8.x export of the same type. */
export const CORE_MIGRATION_VERSION = '8.8.0';

/** The data view every service's objects share: imports overwrite it with the same content. */
export const DATA_VIEW_ID = 'tributary-events';
