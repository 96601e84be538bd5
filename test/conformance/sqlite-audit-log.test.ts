import assert from 'node:assert/strict';
import { it } from 'node:test';
import { openDatabase } from '../../src/store/sqlite/open-database.ts';
import { SqliteAuditLog } from '../../src/store/sqlite/sqlite-audit-log.ts';
import { auditLogConformance } from './audit-log.conformance.ts';

auditLogConformance('embedded SQLite', async () => {
  const db = openDatabase(':memory:');
  // An intruder with file access drops the append-only triggers first.
  const bypass = (sql: string, ...args: unknown[]): void => {
    db.exec(
      'DROP TRIGGER IF EXISTS audit_append_only_update; DROP TRIGGER IF EXISTS audit_append_only_delete;',
    );
    db.prepare(sql).run(...args);
  };
  return {
    log: new SqliteAuditLog(db),
    replica: new SqliteAuditLog(db),
    alter: async (seq, field, value) => bypass(`UPDATE audit SET ${field} = ? WHERE seq = ?`, value, seq),
    remove: async (seq) => bypass('DELETE FROM audit WHERE seq = ?', seq),
    close: async () => {
      db.close();
    },
  };
});

it('the SQLite audit table refuses updates and deletes through SQL', async () => {
  const db = openDatabase(':memory:');
  await new SqliteAuditLog(db).append({ actor: 'a', action: 'x', target: 't', origin: 'o', detail: {} });
  assert.throws(() => db.prepare("UPDATE audit SET actor = 'm'").run(), /append-only/);
  assert.throws(() => db.prepare('DELETE FROM audit').run(), /append-only/);
  db.close();
});
