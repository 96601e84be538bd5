import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuditLog } from '../../src/audit/audit-log.ts';
import type { EventStore } from '../../src/store/event-store.ts';
import { DAY_MS, type FleetSpec } from './fleet.ts';
import type { LoadReport } from './load-events.ts';
import type { QueryCase } from './measure.ts';

export const CACHE_DIR = '.cache/audit-queries';

/** What a loaded store offers the measurement, and how it got loaded. */
export interface Dataset {
  store: 'sqlite' | 'elasticsearch';
  spec: FleetSpec;
  events: EventStore;
  audit: AuditLog | null;
  /** Time of the first and last audit entry. */
  auditSpan: { fromMs: number; toMs: number } | null;
  auditEntries: number;
  /** Why the audit log is absent, if it is. */
  auditNote: string;
  baselines: QueryCase[];
  /** Events already there before this run, and this run's loads. */
  existingEvents: number;
  eventLoad: LoadReport;
  auditLoad: LoadReport | null;
  /** Loads of earlier runs of the same dataset (the manifest keeps them). */
  history: LoadRecord[];
  sizeBytes: number;
  close(): Promise<void>;
  /** Deletes the data (file or indices). */
  drop(): Promise<void>;
}

export interface LoadRecord extends LoadReport {
  what: 'events' | 'audit';
  from: number;
  at: string;
}

export interface Manifest {
  spec: FleetSpec;
  loads: LoadRecord[];
}

export interface DatasetOptions {
  events: number;
  auditEntries: number;
  seed: number;
  days: number;
  /** Events per `append` while loading. */
  batch: number;
}

/** The manifest of an existing dataset, or null; a new spec ends at the last full hour. */
export function readManifest(path: string): Manifest | null {
  if (!existsSync(path)) return null;
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}

export function newManifest(options: DatasetOptions): Manifest {
  const endMs = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  return {
    spec: { seed: options.seed, events: options.events, startMs: endMs - options.days * DAY_MS, endMs },
    loads: [],
  };
}

export function writeManifest(path: string, manifest: Manifest): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
}

export function record(what: LoadRecord['what'], from: number, report: LoadReport): LoadRecord {
  return { what, from, at: new Date().toISOString(), ...report };
}
