import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MixedFleet } from '../../src/simulate/mixed-fleet.ts';
import { storeMixedFleet, type StoredMixedFleet } from '../../src/simulate/mixed-fleet-store.ts';

export interface LoadedFleet extends StoredMixedFleet {
  close(): void;
}

/** The fleet stored in a fresh SQLite database on disk (WAL, synchronous=FULL), as the service stores. */
export async function loadFleet(fleet: MixedFleet, clockErrorMs: number | null): Promise<LoadedFleet> {
  const dir = mkdtempSync(join(tmpdir(), 'trib-linking-'));
  const stored = await storeMixedFleet(fleet, { dataDir: dir, clockErrorMs });
  return {
    ...stored,
    close() {
      stored.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
