import type { CheckEvent, CheckStatus, ParseResult, Rejection } from '../../core/event.ts';
import {
  buildCheckEvent,
  instantFromEpochSeconds,
  parseStatus,
  reject,
  type NagiosParseContext,
} from './build-check-event.ts';
import { unescapeNagiosText } from './parse-plugin-output.ts';
import { BUILT_IN_LAYOUTS, matchLayout, type PerfdataFileLayout } from './perfdata-file-layout.ts';

export interface PerfdataFileOptions {
  /** Layouts tried before the built-in ones (compiled from configured templates). */
  layouts?: readonly PerfdataFileLayout[];
  /** Number of the first line of `text` in its file, for `line N` locations. Default 1. */
  firstLine?: number;
}

/** Parses a chunk of perfdata-file lines: one event per line, one rejection per bad line or perfdata item. */
export function parsePerfdataFile(
  text: string,
  ctx: NagiosParseContext,
  options: PerfdataFileOptions = {},
): ParseResult<CheckEvent> {
  const result: ParseResult<CheckEvent> = { events: [], rejections: [] };
  const first = options.firstLine ?? 1;
  text.split('\n').forEach((line, i) => {
    const one = parsePerfdataFileLine(line, ctx, { lineNumber: first + i, layouts: options.layouts });
    result.events.push(...one.events);
    result.rejections.push(...one.rejections);
  });
  return result;
}

export interface PerfdataLineOptions {
  lineNumber: number;
  layouts?: readonly PerfdataFileLayout[] | undefined;
  /** Per-emitter sequence of this line (the tail passes the byte offset). */
  sequence?: string | null;
}

/** Parses one line (without its newline). A blank line is no record and yields nothing. */
export function parsePerfdataFileLine(
  rawLine: string,
  ctx: NagiosParseContext,
  options: PerfdataLineOptions,
): ParseResult<CheckEvent> {
  const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
  if (line.trim() === '') return { events: [], rejections: [] };
  const location = `line ${options.lineNumber}`;
  const fields = line.split('\t');
  let object: 'host' | 'service';
  let macros: Map<string, string>;
  let format: string;
  if (fields[0]?.startsWith('DATATYPE::')) {
    const keyed = readKeyed(fields);
    const datatype = keyed.get('DATATYPE');
    if (datatype !== 'SERVICEPERFDATA' && datatype !== 'HOSTPERFDATA') {
      return rejected(
        reject(
          'unknown-datatype',
          `DATATYPE ${datatype ?? ''} is not SERVICEPERFDATA or HOSTPERFDATA`,
          location,
          line,
        ),
      );
    }
    object = datatype === 'SERVICEPERFDATA' ? 'service' : 'host';
    macros = keyed;
    format = 'keyed';
  } else {
    const layouts = [...(options.layouts ?? []), ...BUILT_IN_LAYOUTS];
    const match = matchLayout(fields, layouts);
    if (!match) {
      return rejected(
        reject(
          'unknown-layout',
          `${fields.length} tab-separated fields match no perfdata template`,
          location,
          line,
        ),
      );
    }
    object = match.layout.object;
    macros = match.values;
    format = match.layout.name;
  }
  return fromMacros(object, macros, format, line, location, ctx, options.sequence ?? null);
}

/** `KEY::value` fields; a field without `::` continues the previous value (a tab inside the output). */
function readKeyed(fields: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  let last: string | null = null;
  for (const field of fields) {
    const sep = field.indexOf('::');
    if (sep > 0 && /^[A-Z][A-Z0-9_]*$/.test(field.slice(0, sep))) {
      last = field.slice(0, sep);
      values.set(last, field.slice(sep + 2));
    } else if (last !== null) {
      values.set(last, `${values.get(last) ?? ''}\t${field}`);
    }
  }
  return values;
}

const SERVICE_NAMES: Record<string, CheckStatus> = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };
const HOST_NAMES: Record<string, CheckStatus> = { UP: 0, DOWN: 1, UNREACHABLE: 2 };

function fromMacros(
  object: 'host' | 'service',
  macros: Map<string, string>,
  format: string,
  line: string,
  location: string,
  ctx: NagiosParseContext,
  sequence: string | null,
): ParseResult<CheckEvent> {
  const own = (suffix: string): string | undefined => macros.get(`${object.toUpperCase()}${suffix}`);
  const checkHost = macros.get('HOSTNAME')?.trim() ?? '';
  if (checkHost === '') return rejected(reject('missing-host', 'empty HOSTNAME', location, line));
  const checkService = object === 'service' ? (macros.get('SERVICEDESC')?.trim() ?? '') : null;
  if (checkService === '') return rejected(reject('missing-service', 'empty SERVICEDESC', location, line));

  // $TIMET$ is when the line was written; $LASTxCHECK$ (0 = never checked) is the check time.
  const timeText = macros.get('TIMET') ?? macros.get(`LAST${object.toUpperCase()}CHECK`);
  let timestamp: string | null = null;
  let time = ctx.receivedAt;
  if (timeText !== undefined && timeText.trim() !== '0') {
    const instant = instantFromEpochSeconds(timeText);
    if (instant === null)
      return rejected(
        reject(
          'bad-timestamp',
          `time ${JSON.stringify(timeText.slice(0, 40))} is not epoch seconds`,
          location,
          line,
        ),
      );
    timestamp = timeText.trim();
    time = instant;
  }

  const state = readState(object, own('STATEID'), own('STATE'));
  if (state === 'bad')
    return rejected(reject('bad-state', `${object} state is not a Nagios state`, location, line));
  const stateTypeText = own('STATETYPE')?.trim();
  if (stateTypeText !== undefined && stateTypeText !== 'SOFT' && stateTypeText !== 'HARD') {
    return rejected(
      reject(
        'bad-state-type',
        `state type ${JSON.stringify(stateTypeText.slice(0, 40))} is not SOFT or HARD`,
        location,
        line,
      ),
    );
  }
  const attempt = readCount(own('ATTEMPT'));
  const maxAttempts = readCount(macros.get(`MAX${object.toUpperCase()}ATTEMPTS`));
  if (attempt === 'bad' || maxAttempts === 'bad') {
    return rejected(
      reject('bad-attempt', 'attempt or max attempts is not a positive integer', location, line),
    );
  }

  const attributes: Record<string, unknown> = { nagiosInput: 'perfdata-file', perfdataFormat: format };
  if (state === null) attributes.stateKnown = false;
  const executionTime = readSeconds(own('EXECUTIONTIME'));
  if (executionTime !== null) attributes.executionTime = executionTime;
  const latency = readSeconds(own('LATENCY'));
  if (latency !== null) attributes.latency = latency;
  const checkCommand = own('CHECKCOMMAND');
  if (checkCommand) attributes.checkCommand = checkCommand;
  if (object === 'service') {
    const hostState = macros.get('HOSTSTATE');
    if (hostState) attributes.hostState = hostState;
  }

  // Without a state macro (the default templates have none) the state is unknown: status 3, stateKnown false.
  const built = buildCheckEvent(
    {
      checkHost,
      checkService,
      status: state ?? 3,
      output: (own('OUTPUT') ?? '').trim(),
      longOutput: unescapeNagiosText(macros.get(`LONG${object.toUpperCase()}OUTPUT`) ?? ''),
      perfdata: (own('PERFDATA') ?? '').trim(),
      timestamp,
      time,
      stateType: stateTypeText ?? null,
      attempt,
      maxAttempts,
      sequence,
      attributes,
    },
    ctx,
    location,
  );
  return { events: [built.event], rejections: built.rejections };
}

function readState(
  object: 'host' | 'service',
  id: string | undefined,
  name: string | undefined,
): CheckStatus | null | 'bad' {
  if (id !== undefined) {
    const status = parseStatus(id);
    return status === null || (object === 'host' && status === 3) ? 'bad' : status;
  }
  if (name !== undefined) return (object === 'host' ? HOST_NAMES : SERVICE_NAMES)[name.trim()] ?? 'bad';
  return null;
}

function readCount(text: string | undefined): number | null | 'bad' {
  if (text === undefined) return null;
  const trimmed = text.trim();
  return /^[1-9]\d{0,5}$/.test(trimmed) ? Number(trimmed) : 'bad';
}

function readSeconds(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,9}(?:\.\d{1,9})?$/.test(text.trim())) return null;
  return Number(text.trim());
}

function rejected(rejection: Rejection): ParseResult<CheckEvent> {
  return { events: [], rejections: [rejection] };
}
