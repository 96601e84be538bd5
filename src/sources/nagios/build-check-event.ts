import type { CheckEvent, CheckStatus, Rejection } from '../../core/event.ts';
import { eventId } from '../../core/event-id.ts';
import { instantFromUnixNanos } from '../../core/time.ts';
import { parsePerfdata } from './parse-perfdata.ts';

export const SOURCE = 'nagios';

/** Maps a Nagios check to Tributary's service entity (see config.ts for the default policy). */
export type ServiceResolver = (checkHost: string, checkService: string | null) => string | null;

/** Default policy: the Nagios host_name is the service entity. */
export const hostNameAsService: ServiceResolver = (checkHost) => checkHost;

/** What every Nagios parser needs from its caller. Parsers never read the clock themselves. */
export interface NagiosParseContext {
  /** Normalized instant the payload was received; `time` of records that carry no timestamp. */
  receivedAt: string;
  resolveService?: ServiceResolver;
  /** Emitter identity for `sourceKey` (e.g. the tailed file); null when unknown. */
  sourceKey?: string | null;
}

/** One check result as a transport delivered it, before it becomes a `CheckEvent`. */
export interface CheckResultRecord {
  checkHost: string;
  checkService: string | null;
  status: CheckStatus;
  output: string;
  longOutput: string;
  perfdata: string;
  /** The raw timestamp text as written (epoch seconds), null when the record carried none. */
  timestamp: string | null;
  /** Normalized instant of `timestamp`; the caller decided it (see `instantFromEpochSeconds`). */
  time: string;
  stateType?: 'SOFT' | 'HARD' | null;
  attempt?: number | null;
  maxAttempts?: number | null;
  sequence?: string | null;
  attributes: Record<string, unknown>;
}

const SERVICE_STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;
/** Host 3 is no Nagios host state; NRDP's own status writer maps it to UNREACHABLE, and so do we. */
const HOST_STATES = ['UP', 'DOWN', 'UNREACHABLE', 'UNREACHABLE'] as const;

export function stateName(status: CheckStatus, isHost: boolean): string {
  return (isHost ? HOST_STATES : SERVICE_STATES)[status];
}

/** Parses a return code / state id: an integer 0-3 written in decimal, else null. */
export function parseStatus(text: string): CheckStatus | null {
  const trimmed = text.trim();
  if (!/^[0-3]$/.test(trimmed)) return null;
  return Number(trimmed) as CheckStatus;
}

const EPOCH = /^(\d{1,11})(?:\.(\d{1,9})\d*)?$/;

/** `1242341791` or `1242341791.0` (epoch seconds, as `$TIMET$` and check result files write) to an instant. */
export function instantFromEpochSeconds(text: string): string | null {
  const m = EPOCH.exec(text.trim());
  if (!m) return null;
  const [, seconds = '0', fraction = ''] = m;
  return instantFromUnixNanos(BigInt(seconds) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0')));
}

/**
 * Builds the event for one check result. Perfdata items that cannot be read are returned as rejections
 * (the check itself is kept); items kept with a defect are listed in `attributes.perfdataWarnings`.
 */
export function buildCheckEvent(
  record: CheckResultRecord,
  ctx: NagiosParseContext,
  location: string,
): { event: CheckEvent; rejections: Rejection[] } {
  const isHost = record.checkService === null;
  const { items, problems } = parsePerfdata(record.perfdata);
  const rejections: Rejection[] = [];
  const warnings: { index: number; reason: string; detail: string }[] = [];
  for (const problem of problems) {
    if (problem.kept) {
      warnings.push({ index: problem.index, reason: problem.reason, detail: problem.detail });
      continue;
    }
    const where = `${location} perfdata item ${problem.index + 1}`;
    rejections.push(reject(`perfdata-${problem.reason}`, problem.detail, where, problem.raw));
  }
  const attributes: Record<string, unknown> = {
    ...record.attributes,
    stateName: stateName(record.status, isHost),
  };
  if (record.perfdata !== '') attributes.perfdataRaw = record.perfdata;
  if (warnings.length > 0) attributes.perfdataWarnings = warnings;
  const resolve = ctx.resolveService ?? hostNameAsService;
  const event: CheckEvent = {
    id: eventId(SOURCE, record.checkHost, record.checkService, record.time, record.output),
    kind: 'check',
    source: SOURCE,
    service: resolve(record.checkHost, record.checkService),
    host: record.checkHost,
    container: null,
    time: record.time,
    timestamp: record.timestamp,
    sourceKey: ctx.sourceKey ?? null,
    sequence: record.sequence ?? null,
    trace: null,
    message: record.output !== '' ? record.output : `${stateName(record.status, isHost)} (no output)`,
    attributes,
    checkHost: record.checkHost,
    checkService: record.checkService,
    status: record.status,
    stateType: record.stateType ?? null,
    attempt: record.attempt ?? null,
    maxAttempts: record.maxAttempts ?? null,
    output: record.output,
    longOutput: record.longOutput,
    perfdata: items.map(({ label, value, unit, warn, crit, min, max }) => ({
      label,
      value,
      unit,
      warn,
      crit,
      min,
      max,
    })),
  };
  return { event, rejections };
}

/** A rejection of a whole record. `raw` is kept whole; the dead-letter store bounds it. */
export function reject(reason: string, detail: string, location: string | null, raw: string): Rejection {
  return { source: SOURCE, reason, detail: location ? `${location}: ${detail}` : detail, location, raw };
}
