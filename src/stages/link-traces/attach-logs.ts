import type { LogEvent } from '../../core/event.ts';
import { readLogIds } from './log-ids.ts';
import type { AttachedLog } from './merged-trace.ts';
import { spanKey, type SpanNode } from './span-node.ts';

export interface AttachedLogs {
  bySpan: Map<string, AttachedLog[]>;
  unattached: AttachedLog[];
}

/**
 * Puts each log under the span its ids name, by either key family: OTel `trace_id`/`span_id` first,
 * then Pinpoint `PtxId`/`PspanId` (mapped). A log naming no span of the tree stays beside it.
 * Logs are in time order within each list.
 */
export function attachLogs(logs: readonly LogEvent[], nodes: ReadonlyMap<string, SpanNode>): AttachedLogs {
  const bySpan = new Map<string, AttachedLog[]>();
  const unattached: AttachedLog[] = [];
  const seen = new Set<string>();
  const sorted = [...logs].sort((a, b) => a.time.localeCompare(b.time) || a.id.localeCompare(b.id));
  for (const log of sorted) {
    if (seen.has(log.id)) continue;
    seen.add(log.id);
    const { otel, pinpoint } = readLogIds(log);
    const options = [
      { by: 'otel' as const, ids: otel },
      { by: 'pinpoint' as const, ids: pinpoint },
    ];
    const hit = options.find((o) => o.ids?.spanId && nodes.has(spanKey(o.ids.traceId, o.ids.spanId)));
    if (hit?.ids?.spanId) {
      const key = spanKey(hit.ids.traceId, hit.ids.spanId);
      bySpan.set(key, [...(bySpan.get(key) ?? []), attached(log, hit.by, hit.ids.traceId, hit.ids.spanId)]);
    } else {
      const ids = otel ?? pinpoint;
      unattached.push(
        attached(log, 'trace-only', ids?.traceId ?? log.trace?.traceId ?? null, ids?.spanId ?? null),
      );
    }
  }
  return { bySpan, unattached };
}

function attached(
  log: LogEvent,
  by: AttachedLog['by'],
  traceId: string | null,
  spanId: string | null,
): AttachedLog {
  return {
    id: log.id,
    time: log.time,
    level: log.level,
    service: log.service,
    host: log.host,
    message: log.message,
    by,
    traceId,
    spanId,
  };
}
