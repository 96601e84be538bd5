import type { CheckEvent, ParseResult } from '../../core/event.ts';
import {
  buildCheckEvent,
  instantFromEpochSeconds,
  parseStatus,
  reject,
  type NagiosParseContext,
} from './build-check-event.ts';
import { parsePluginOutput } from './parse-plugin-output.ts';
import { readNrdpXml } from './read-nrdp-xml.ts';

/** Bounds on one NRDP submission; a payload over any of them is rejected whole. */
export interface NrdpLimits {
  maxBytes: number;
  maxCheckResults: number;
  /** Deepest element nesting accepted in XML (NRDP itself needs 3). */
  maxXmlDepth: number;
}

export const DEFAULT_NRDP_LIMITS: NrdpLimits = {
  maxBytes: 4 * 1024 * 1024,
  maxCheckResults: 10_000,
  maxXmlDepth: 16,
};

/** The shape both encodings reduce to: NRDP's `get_xml_or_json` view of one check result. */
interface NrdpRecord {
  type: unknown;
  checktype: unknown;
  fields: (name: string) => unknown;
  raw: () => string;
}

/**
 * NRDP `submitcheck` JSON: `{"checkresults": [{"checkresult": {"type": "service"}, "hostname", "servicename",
 * "state", "output", "time"?}]}`. `state` is a string or number 0-3; `type` defaults to host, as in NRDP.
 */
export function parseNrdpJson(
  text: string,
  ctx: NagiosParseContext,
  limits: NrdpLimits = DEFAULT_NRDP_LIMITS,
): ParseResult<CheckEvent> {
  const tooBig = sizeCheck(text, limits);
  if (tooBig) return tooBig;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return whole('invalid-json', error instanceof Error ? error.message : 'unreadable JSON', text);
  }
  const list = isObject(doc) ? doc.checkresults : undefined;
  const items = Array.isArray(list) ? list : isObject(list) ? Object.values(list) : null;
  if (items === null) return whole('missing-checkresults', 'no "checkresults" array', text);
  const records = items.map((item: unknown): NrdpRecord | null => {
    if (!isObject(item)) return null;
    const meta = isObject(item.checkresult) ? item.checkresult : {};
    return {
      type: meta.type,
      checktype: meta.checktype,
      fields: (name) => item[name],
      raw: () => JSON.stringify(item),
    };
  });
  return toEvents(records, 'json', ctx, limits, text);
}

/** NRDP `submitcheck` XML: `<checkresults><checkresult type="service"><hostname/>...`. */
export function parseNrdpXml(
  text: string,
  ctx: NagiosParseContext,
  limits: NrdpLimits = DEFAULT_NRDP_LIMITS,
): ParseResult<CheckEvent> {
  const tooBig = sizeCheck(text, limits);
  if (tooBig) return tooBig;
  const read = readNrdpXml(text, limits.maxXmlDepth);
  if (!read.ok)
    return whole(
      read.reason,
      read.location ? `${read.location}: ${read.detail}` : read.detail,
      text,
      read.location,
    );
  const records = read.records.map((r): NrdpRecord => ({
    type: r.attributes.type,
    checktype: r.attributes.checktype,
    fields: (name) => r.fields.get(name),
    raw: () => JSON.stringify({ attributes: r.attributes, fields: Object.fromEntries(r.fields) }),
  }));
  return toEvents(records, 'xml', ctx, limits, text);
}

/**
 * The NRDP HTTP form (`cmd=submitcheck`, `token`, and `json` or `XMLDATA`/`xml`). The token is returned for
 * the route to check; this parser does not authenticate.
 */
export function parseNrdpForm(
  form: URLSearchParams,
  ctx: NagiosParseContext,
  limits: NrdpLimits = DEFAULT_NRDP_LIMITS,
): { token: string | null; result: ParseResult<CheckEvent> } {
  const token = form.get('token');
  const cmd = form.get('cmd');
  if (cmd !== 'submitcheck') {
    return {
      token,
      result: whole('unsupported-command', `cmd ${JSON.stringify(cmd)} is not submitcheck`, form.toString()),
    };
  }
  const json = form.get('json');
  if (json !== null) return { token, result: parseNrdpJson(json, ctx, limits) };
  const xml = form.get('XMLDATA') ?? form.get('xml');
  if (xml !== null) return { token, result: parseNrdpXml(xml, ctx, limits) };
  return { token, result: whole('missing-data', 'no json, XMLDATA or xml field', form.toString()) };
}

function toEvents(
  records: (NrdpRecord | null)[],
  encoding: 'json' | 'xml',
  ctx: NagiosParseContext,
  limits: NrdpLimits,
  text: string,
): ParseResult<CheckEvent> {
  if (records.length > limits.maxCheckResults) {
    return whole(
      'too-many-checkresults',
      `${records.length} check results, at most ${limits.maxCheckResults}`,
      text,
    );
  }
  const result: ParseResult<CheckEvent> = { events: [], rejections: [] };
  records.forEach((record, index) => {
    const location = `index ${index}`;
    if (record === null) {
      result.rejections.push(reject('bad-checkresult', 'check result is not an object', location, 'null'));
      return;
    }
    const fail = (reason: string, detail: string): void => {
      result.rejections.push(reject(reason, detail, location, record.raw()));
    };
    const type = record.type === undefined ? 'host' : asText(record.type);
    if (type !== 'host' && type !== 'service')
      return fail('bad-type', `type ${JSON.stringify(type)} is not host or service`);
    const host = asText(record.fields('hostname'))?.trim() ?? '';
    if (host === '') return fail('missing-host', 'empty hostname');
    const service = type === 'service' ? (asText(record.fields('servicename'))?.trim() ?? '') : null;
    if (service === '') return fail('missing-service', 'service result without servicename');
    const status = parseStatus(asText(record.fields('state')) ?? '');
    if (status === null) return fail('bad-state', 'state is not a return code 0, 1, 2 or 3');
    const timeText = asText(record.fields('time'))?.trim() ?? '';
    const time = timeText === '' ? ctx.receivedAt : instantFromEpochSeconds(timeText);
    if (time === null) return fail('bad-timestamp', 'time is not epoch seconds');
    const split = parsePluginOutput(asText(record.fields('output')) ?? '');
    const built = buildCheckEvent(
      {
        checkHost: host,
        checkService: service,
        status,
        output: split.output,
        longOutput: split.longOutput,
        perfdata: split.perfdata,
        timestamp: timeText === '' ? null : timeText,
        time,
        attributes: {
          nagiosInput: 'nrdp',
          nrdpEncoding: encoding,
          checkType: asText(record.checktype) === '0' ? 'active' : 'passive',
        },
      },
      ctx,
      location,
    );
    result.events.push(built.event);
    result.rejections.push(...built.rejections);
  });
  return result;
}

/** PHP `strval` for the scalars NRDP accepts; null for anything else. */
function asText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sizeCheck(text: string, limits: NrdpLimits): ParseResult<CheckEvent> | null {
  // UTF-16 length bounds the UTF-8 size from below; checking it first avoids measuring a huge string twice.
  if (text.length <= limits.maxBytes / 3 || Buffer.byteLength(text, 'utf8') <= limits.maxBytes) return null;
  return whole('payload-too-large', `payload exceeds ${limits.maxBytes} bytes`, text.slice(0, 4096));
}

function whole(
  reason: string,
  detail: string,
  raw: string,
  location: string | null = null,
): ParseResult<CheckEvent> {
  return { events: [], rejections: [reject(reason, detail, location, raw)] };
}
