import type { EventKind, LogEvent } from '../../core/event.ts';
import type { EventQuery, EventStore } from '../../store/event-store.ts';
import type { LinkTracesConfig } from './config.ts';
import { linksOfEvent } from './link-evidence.ts';
import { toSpanNode, type SpanNode } from './span-node.ts';
import { linkKey, type TraceLink } from './trace-link.ts';
import type { TraceLinkIndex } from './trace-link-index.ts';

const PAGE = 1000;
const KINDS: readonly EventKind[] = ['span', 'log'];

export interface AssemblyDeps {
  store: EventStore;
  index: TraceLinkIndex;
  config: LinkTracesConfig;
  /** Team scoping: only these services' events are read (undefined = all). */
  services: readonly string[] | undefined;
}

/**
 * The recorded traces of one request as they are gathered: a trace is read from the store, the links
 * its events carry and the links the index holds for it lead to other traces, which are read in turn,
 * until no new trace appears or `maxTraces` is reached (union of linked trace ids, bounded).
 */
export class TraceAssembly {
  readonly nodes = new Map<string, SpanNode>();
  readonly logs = new Map<string, LogEvent>();
  readonly traceIds = new Set<string>();
  readonly transactionIds = new Set<string>();
  readonly links = new Map<string, TraceLink>();
  truncated = false;

  constructor(private readonly deps: AssemblyDeps) {}

  /** Reads these traces and every trace linked to them, transitively. */
  async expand(traceIds: readonly string[]): Promise<void> {
    let frontier = [...new Set(traceIds)].filter((t) => !this.traceIds.has(t));
    while (frontier.length > 0) {
      const read: string[] = [];
      for (const traceId of frontier) {
        if (this.traceIds.size >= this.deps.config.maxTraces) {
          this.truncated = true;
          break;
        }
        this.traceIds.add(traceId);
        read.push(traceId);
        await this.read(traceId);
      }
      for (const link of await this.deps.index.linksOf(read)) this.links.set(linkKey(link), link);
      const next = new Set<string>();
      for (const link of this.links.values())
        for (const traceId of [link.parent.traceId, link.child.traceId])
          if (!this.traceIds.has(traceId)) next.add(traceId);
      frontier = this.truncated ? [] : [...next];
    }
  }

  private async read(traceId: string): Promise<void> {
    let cursor: string | undefined;
    let count = 0;
    do {
      const query: EventQuery = {
        traceId,
        kinds: KINDS,
        limit: PAGE,
        order: 'asc',
        sortBy: 'causal',
        ...(this.deps.services ? { services: this.deps.services } : {}),
        ...(cursor ? { cursor } : {}),
      };
      const page = await this.deps.store.query(query);
      for (const event of page.items) {
        for (const link of linksOfEvent(event)) this.links.set(linkKey(link), link);
        if (event.kind === 'log') this.logs.set(event.id, event);
        if (event.kind !== 'span') continue;
        const node = toSpanNode(event, page.orderings?.[event.id]);
        if (!node) continue;
        this.nodes.set(node.key, node);
        if (node.pinpoint) this.transactionIds.add(node.pinpoint.transactionId);
      }
      count += page.items.length;
      cursor = page.next ?? undefined;
      if (cursor && count >= this.deps.config.maxEventsPerTrace) {
        this.truncated = true;
        break;
      }
    } while (cursor);
  }
}
