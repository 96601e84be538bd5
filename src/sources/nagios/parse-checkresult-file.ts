import type { CheckEvent, ParseResult } from '../../core/event.ts';
import {
  buildCheckEvent,
  instantFromEpochSeconds,
  parseStatus,
  reject,
  type NagiosParseContext,
} from './build-check-event.ts';
import { parsePluginOutput, unescapeNagiosText } from './parse-plugin-output.ts';

/**
 * A Nagios check-result spool file (what NRDP and mod_gearman drop into `check_result_path`): `key=value`
 * lines, `#` comments, one result per file, several when blank-line separated blocks repeat `host_name`.
 * `output` escapes newlines as `\n`. Status is `return_code`; time is `start_time` (epoch seconds).
 */
export function parseCheckResultFile(text: string, ctx: NagiosParseContext): ParseResult<CheckEvent> {
  const result: ParseResult<CheckEvent> = { events: [], rejections: [] };
  for (const block of blocks(text)) {
    const one = parseBlock(block, ctx);
    result.events.push(...one.events);
    result.rejections.push(...one.rejections);
  }
  return result;
}

interface Block {
  firstLine: number;
  fields: Map<string, string>;
  lines: string[];
}

/** A new block starts where `host_name` repeats, so results concatenated in one file stay apart. */
function blocks(text: string): Block[] {
  const out: Block[] = [];
  const lines = text.split('\n');
  for (const [i, rawLine] of lines.entries()) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq === -1 ? line.trim() : line.slice(0, eq).trim();
    const value = eq === -1 ? '' : line.slice(eq + 1);
    let current = out[out.length - 1];
    if (current === undefined || (key === 'host_name' && current.fields.has('host_name'))) {
      current = { firstLine: i + 1, fields: new Map(), lines: [] };
      out.push(current);
    }
    current.lines.push(line);
    current.fields.set(key, value);
  }
  return out;
}

function parseBlock(block: Block, ctx: NagiosParseContext): ParseResult<CheckEvent> {
  const location = `line ${block.firstLine}`;
  const fail = (reason: string, detail: string): ParseResult<CheckEvent> => ({
    events: [],
    rejections: [reject(reason, detail, location, block.lines.join('\n'))],
  });
  const host = block.fields.get('host_name')?.trim() ?? '';
  if (host === '') return fail('missing-host', 'no host_name');
  const serviceText = block.fields.get('service_description');
  const service = serviceText === undefined ? null : serviceText.trim();
  if (service === '') return fail('missing-service', 'empty service_description');
  const status = parseStatus(block.fields.get('return_code') ?? '');
  if (status === null) return fail('bad-return-code', 'return_code is not 0, 1, 2 or 3');
  const startText = block.fields.get('start_time')?.trim();
  let time = ctx.receivedAt;
  let timestamp: string | null = null;
  if (startText !== undefined) {
    const instant = instantFromEpochSeconds(startText);
    if (instant === null) return fail('bad-timestamp', 'start_time is not epoch seconds');
    time = instant;
    timestamp = startText;
  }
  const split = parsePluginOutput(unescapeNagiosText(block.fields.get('output') ?? ''));
  const attributes: Record<string, unknown> = {
    nagiosInput: 'checkresult-file',
    checkType: block.fields.get('check_type')?.trim() === '0' ? 'active' : 'passive',
  };
  for (const key of ['early_timeout', 'exited_ok'] as const) {
    const value = block.fields.get(key)?.trim();
    if (value !== undefined)
      attributes[key === 'early_timeout' ? 'earlyTimeout' : 'exitedOk'] = value === '1';
  }
  const built = buildCheckEvent(
    {
      checkHost: host,
      checkService: service,
      status,
      output: split.output,
      longOutput: split.longOutput,
      perfdata: split.perfdata,
      timestamp,
      time,
      attributes,
    },
    ctx,
    location,
  );
  return { events: [built.event], rejections: built.rejections };
}
