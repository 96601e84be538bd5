import type { CheckEvent, ParseResult } from '../../core/event.ts';
import type { NagiosParseContext } from './build-check-event.ts';
import { parseCheckResultFile } from './parse-checkresult-file.ts';
import {
  DEFAULT_NRDP_LIMITS,
  parseNrdpForm,
  parseNrdpJson,
  parseNrdpXml,
  type NrdpLimits,
} from './parse-nrdp.ts';
import { parseExternalCommandLine, parseNscaLine } from './parse-passive-lines.ts';
import { parsePerfdataFileLine } from './parse-perfdata-file.ts';
import type { PerfdataFileLayout } from './perfdata-file-layout.ts';

export const NAGIOS_PAYLOAD_FORMATS = [
  'nrdp-form',
  'nrdp-json',
  'nrdp-xml',
  'checkresult-file',
  'external-commands',
  'nsca',
  'perfdata-file',
  'lines',
] as const;
export type NagiosPayloadFormat = (typeof NAGIOS_PAYLOAD_FORMATS)[number];

export interface NagiosPayloadOptions {
  /** The request's Content-Type (or a Kafka header); used when `format` is not given. */
  contentType?: string | null;
  /** Explicit format (e.g. `?format=nsca`); skips detection. */
  format?: NagiosPayloadFormat;
  limits?: NrdpLimits;
  layouts?: readonly PerfdataFileLayout[];
}

export interface NagiosPayloadResult {
  format: NagiosPayloadFormat;
  /** NRDP form token, for the route to authenticate; null for other formats. */
  token: string | null;
  result: ParseResult<CheckEvent>;
}

/**
 * One entry point for `POST /v1/ingest/nagios` and the Nagios Kafka topic: picks the format from `format`,
 * else the content type, else the body, and parses. `lines` (plain text) classifies each line on its own:
 * external command, perfdata-file line, or send_nsca line, so mixed feeds work.
 */
export function parseNagiosPayload(
  body: string,
  ctx: NagiosParseContext,
  options: NagiosPayloadOptions = {},
): NagiosPayloadResult {
  const format = options.format ?? detectNagiosFormat(options.contentType ?? null, body);
  const limits = options.limits ?? DEFAULT_NRDP_LIMITS;
  switch (format) {
    case 'nrdp-form': {
      const { token, result } = parseNrdpForm(new URLSearchParams(body), ctx, limits);
      return { format, token, result };
    }
    case 'nrdp-json':
      return { format, token: null, result: parseNrdpJson(body, ctx, limits) };
    case 'nrdp-xml':
      return { format, token: null, result: parseNrdpXml(body, ctx, limits) };
    case 'checkresult-file':
      return { format, token: null, result: parseCheckResultFile(body, ctx) };
    default:
      return { format, token: null, result: parseLines(body, ctx, format, options.layouts) };
  }
}

export function detectNagiosFormat(contentType: string | null, body: string): NagiosPayloadFormat {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/x-www-form-urlencoded') return 'nrdp-form';
  if (type === 'application/json' || type.endsWith('+json')) return 'nrdp-json';
  if (type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml')) return 'nrdp-xml';
  const start = body.trimStart();
  if (start.startsWith('{')) return 'nrdp-json';
  if (start.startsWith('<')) return 'nrdp-xml';
  if (/^(?:### NRDP Check ###|start_time=|host_name=)/m.test(start.slice(0, 512))) return 'checkresult-file';
  return 'lines';
}

function parseLines(
  body: string,
  ctx: NagiosParseContext,
  format: 'external-commands' | 'nsca' | 'perfdata-file' | 'lines',
  layouts: readonly PerfdataFileLayout[] | undefined,
): ParseResult<CheckEvent> {
  const result: ParseResult<CheckEvent> = { events: [], rejections: [] };
  body.split('\n').forEach((rawLine, i) => {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '') return;
    const location = `line ${i + 1}`;
    const kind = format === 'lines' ? classifyLine(line) : format;
    const one =
      kind === 'external-commands'
        ? parseExternalCommandLine(line, ctx, location)
        : kind === 'perfdata-file'
          ? parsePerfdataFileLine(line, ctx, { lineNumber: i + 1, layouts })
          : parseNscaLine(line, ctx, location);
    result.events.push(...one.events);
    result.rejections.push(...one.rejections);
  });
  return result;
}

/** A perfdata line is tagged, keyed, or starts with an epoch and has the printf formats' 8+ columns. */
function classifyLine(line: string): 'external-commands' | 'perfdata-file' | 'nsca' {
  if (/^\[\d+\] /.test(line)) return 'external-commands';
  if (/^(?:DATATYPE::|\[(?:SERVICE|HOST)PERFDATA\]\t)/.test(line)) return 'perfdata-file';
  if (/^\d{9,11}\t/.test(line) && line.split('\t').length >= 8) return 'perfdata-file';
  return 'nsca';
}
