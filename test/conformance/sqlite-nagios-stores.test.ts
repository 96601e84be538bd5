import { describe } from 'node:test';
import { checkStateStoreConformance } from '../../src/sources/nagios/check-state-store.conformance.ts';
import { positionStoreConformance } from '../../src/sources/nagios/position-store.conformance.ts';
import type { CheckState, FilePosition } from '../../src/sources/nagios/index.ts';
import { openDatabase } from '../../src/store/sqlite/open-database.ts';
import { SqliteJsonMap } from '../../src/store/sqlite/sqlite-json-map.ts';

describe('CheckStateStore conformance: embedded SQLite', () => {
  checkStateStoreConformance(
    () => new SqliteJsonMap<CheckState>(openDatabase(':memory:'), 'nagios.check-state'),
  );
});

describe('PositionStore conformance: embedded SQLite', () => {
  positionStoreConformance(() => {
    const map = new SqliteJsonMap<FilePosition>(openDatabase(':memory:'), 'nagios.tail-position');
    return { load: (path) => map.get(path), save: (path, position) => map.set(path, position) };
  });
});
