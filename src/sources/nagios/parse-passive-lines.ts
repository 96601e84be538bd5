import type { CheckEvent, CheckStatus, ParseResult } from '../../core/event.ts';
import {
  buildCheckEvent,
  instantFromEpochSeconds,
  parseStatus,
  reject,
  type NagiosParseContext,
} from './build-check-event.ts';
import { parsePluginOutput, unescapeNagiosText } from './parse-plugin-output.ts';

/**
 * Passive check results as text lines:
 * - external commands (what Nagios reads from nagios.cmd):
 *   `[epoch] PROCESS_SERVICE_CHECK_RESULT;host;service;rc;output` and
 *   `[epoch] PROCESS_HOST_CHECK_RESULT;host;rc;output` (the output is the last field, so it may hold `;`);
 * - send_nsca stdin: `host<TAB>service<TAB>rc<TAB>output` or `host<TAB>rc<TAB>output`.
 * Escaped newlines (`\n`) in the output are undone before the plugin output is split.
 */
export function parseExternalCommands(text: string, ctx: NagiosParseContext): ParseResult<CheckEvent> {
  return eachLine(text, (line, location) => parseExternalCommandLine(line, ctx, location));
}

export interface NscaOptions {
  /** send_nsca `-d`; default TAB. */
  delimiter?: string;
}

export function parseNscaLines(
  text: string,
  ctx: NagiosParseContext,
  options: NscaOptions = {},
): ParseResult<CheckEvent> {
  return eachLine(text, (line, location) => parseNscaLine(line, ctx, location, options.delimiter ?? '\t'));
}

const COMMAND = /^\[(\d{1,11})\] ([A-Z_]+);(.*)$/s;

export function parseExternalCommandLine(
  line: string,
  ctx: NagiosParseContext,
  location: string,
): ParseResult<CheckEvent> {
  const m = COMMAND.exec(line);
  if (!m) return rejectedWith('bad-command', 'not `[epoch] COMMAND;arguments`', location, line);
  const [, epoch = '', command = '', args = ''] = m;
  const time = instantFromEpochSeconds(epoch);
  if (time === null)
    return rejectedWith('bad-timestamp', `timestamp ${epoch} is out of range`, location, line);
  let host: string | undefined;
  let service: string | null;
  let rcText: string | undefined;
  let output: string;
  if (command === 'PROCESS_SERVICE_CHECK_RESULT') {
    const parts = splitN(args, ';', 4);
    if (parts.length < 4)
      return rejectedWith('missing-field', 'expected host;service;return code;output', location, line);
    [host, service, rcText] = parts as [string, string, string];
    output = parts[3] ?? '';
  } else if (command === 'PROCESS_HOST_CHECK_RESULT') {
    const parts = splitN(args, ';', 3);
    if (parts.length < 3)
      return rejectedWith('missing-field', 'expected host;return code;output', location, line);
    [host, rcText] = parts as [string, string];
    service = null;
    output = parts[2] ?? '';
  } else {
    // Valid Nagios commands that carry no check result are not ours to process, but are never silently lost.
    return rejectedWith('unsupported-command', `${command} is not a check result command`, location, line);
  }
  return fromParts(
    { host, service, rcText, output, timestamp: epoch, time, input: 'external-command' },
    ctx,
    location,
    line,
  );
}

export function parseNscaLine(
  line: string,
  ctx: NagiosParseContext,
  location: string,
  delimiter = '\t',
): ParseResult<CheckEvent> {
  // send_nsca strips the line and splits with strtok: empty fields collapse. Three fields make a host
  // result, four a service result; everything after the third delimiter is output.
  const parts = splitN(line.trim(), delimiter, 4, true);
  if (parts.length === 4) {
    const [host, service, rcText, output] = parts as [string, string, string, string];
    return fromParts(
      { host, service, rcText, output, timestamp: null, time: ctx.receivedAt, input: 'nsca' },
      ctx,
      location,
      line,
    );
  }
  if (parts.length === 3) {
    const [host, rcText, output] = parts as [string, string, string];
    return fromParts(
      { host, service: null, rcText, output, timestamp: null, time: ctx.receivedAt, input: 'nsca' },
      ctx,
      location,
      line,
    );
  }
  return rejectedWith('missing-field', 'expected host, [service,] return code and output', location, line);
}

interface Parts {
  host: string;
  service: string | null;
  rcText: string;
  output: string;
  timestamp: string | null;
  time: string;
  input: string;
}

function fromParts(
  parts: Parts,
  ctx: NagiosParseContext,
  location: string,
  line: string,
): ParseResult<CheckEvent> {
  const host = parts.host.trim();
  if (host === '') return rejectedWith('missing-host', 'empty host name', location, line);
  const service = parts.service === null ? null : parts.service.trim();
  if (service === '') return rejectedWith('missing-service', 'empty service description', location, line);
  const status: CheckStatus | null = parseStatus(parts.rcText);
  // Both transports end in Nagios' PROCESS_HOST_CHECK_RESULT, which accepts only 0 UP, 1 DOWN, 2 UNREACHABLE.
  if (status === null || (service === null && status === 3)) {
    const allowed = service === null ? '0, 1 or 2' : '0, 1, 2 or 3';
    return rejectedWith(
      'bad-return-code',
      `return code ${JSON.stringify(parts.rcText.slice(0, 20))} is not ${allowed}`,
      location,
      line,
    );
  }
  const split = parsePluginOutput(unescapeNagiosText(parts.output));
  const built = buildCheckEvent(
    {
      checkHost: host,
      checkService: service,
      status,
      output: split.output,
      longOutput: split.longOutput,
      perfdata: split.perfdata,
      timestamp: parts.timestamp,
      time: parts.time,
      attributes: { nagiosInput: parts.input, checkType: 'passive' },
    },
    ctx,
    location,
  );
  return { events: [built.event], rejections: built.rejections };
}

/** Splits into at most `n` parts, the last keeping the rest; `collapse` drops empty fields like strtok. */
function splitN(text: string, delimiter: string, n: number, collapse = false): string[] {
  const parts: string[] = [];
  let rest = text;
  while (parts.length < n - 1) {
    if (collapse) while (rest.startsWith(delimiter) && delimiter !== '') rest = rest.slice(delimiter.length);
    const at = delimiter === '' ? -1 : rest.indexOf(delimiter);
    if (at === -1) break;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + delimiter.length);
  }
  // The last field is read up to the newline (strtok with "\n"), so its leading delimiters are kept.
  if (rest !== '' || !collapse) parts.push(rest);
  return parts;
}

function eachLine(
  text: string,
  parseLine: (line: string, location: string) => ParseResult<CheckEvent>,
): ParseResult<CheckEvent> {
  const result: ParseResult<CheckEvent> = { events: [], rejections: [] };
  text.split('\n').forEach((rawLine, i) => {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '') return;
    const one = parseLine(line, `line ${i + 1}`);
    result.events.push(...one.events);
    result.rejections.push(...one.rejections);
  });
  return result;
}

function rejectedWith(
  reason: string,
  detail: string,
  location: string,
  line: string,
): ParseResult<CheckEvent> {
  return { events: [], rejections: [reject(reason, detail, location, line)] };
}
