import type { LogEvent } from '../core/event.ts';
import type { EventOrdering } from '../store/event-store.ts';

export interface OrderedLogs {
  /** Every log, oldest first in the asked order (`GET /v1/logs`, all pages). */
  items: LogEvent[];
  /** With `order=causal`: each item's ordering, by id. */
  orderings: Record<string, EventOrdering>;
}

export interface ReadLogsOptions {
  headers?: Record<string, string>;
  /** Extra query parameters, e.g. `trace_id=...`. */
  query?: string;
  pageSize?: number;
}

/** Reads every log from a running Tributary in one order, following `next` page after page. */
export async function readOrderedLogs(
  baseUrl: string,
  order: 'causal' | 'timestamp',
  options: ReadLogsOptions = {},
): Promise<OrderedLogs> {
  const out: OrderedLogs = { items: [], orderings: {} };
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams(options.query ?? '');
    params.set('order', order);
    params.set('sort', 'asc');
    params.set('limit', String(options.pageSize ?? 1000));
    if (cursor !== null) params.set('cursor', cursor);
    const response = await fetch(`${baseUrl}/v1/logs?${params.toString()}`, {
      ...(options.headers ? { headers: options.headers } : {}),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`GET /v1/logs answered ${response.status}: ${text}`);
    const page = JSON.parse(text) as {
      items: LogEvent[];
      next: string | null;
      orderings?: OrderedLogs['orderings'];
    };
    out.items.push(...page.items);
    Object.assign(out.orderings, page.orderings ?? {});
    cursor = page.next;
  } while (cursor !== null);
  return out;
}

/**
 * Reads the logs in causal order until the `expected` number of distinct logs is there (of those that
 * `belong`, when given: the store may hold others) and every one's key is final, polling every `pollMs`.
 * A key finalized between two pages can move an event across the page boundary, so only a read in which
 * they were all final is taken. Throws after `timeoutMs`, saying how many were missing or provisional.
 */
export async function readFinalCausalOrder(
  baseUrl: string,
  expected: number,
  options: ReadLogsOptions & {
    belongs?: (log: LogEvent) => boolean;
    timeoutMs?: number;
    pollMs?: number;
  } = {},
): Promise<OrderedLogs> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const read = await readOrderedLogs(baseUrl, 'causal', options);
    if (options.belongs) read.items = read.items.filter(options.belongs);
    const distinct = new Set(read.items.map((i) => i.id)).size;
    const provisional = read.items.filter((i) => read.orderings[i.id]?.final !== true).length;
    if (distinct === expected && read.items.length === expected && provisional === 0) return read;
    if (Date.now() > deadline) {
      throw new Error(
        `after ${options.timeoutMs ?? 30_000} ms: ${distinct} of ${expected} logs read, ${provisional} still provisional`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
  }
}
