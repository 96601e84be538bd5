import type { EventStore } from '../../store/event-store.ts';
import { attachLogs } from './attach-logs.ts';
import { buildMergedTrace } from './build-merged-trace.ts';
import type { CallEndIndex } from './call-end-index.ts';
import { createDefaultConfig, type LinkTracesConfig } from './config.ts';
import { joinOpenEnds, resolveWithJoins, type HeuristicJoins } from './join-open-ends.ts';
import type { MergedTrace } from './merged-trace.ts';
import { TraceAssembly } from './trace-assembly.ts';
import type { TraceLinkIndex } from './trace-link-index.ts';
import { parseTraceRef } from './trace-ref.ts';

export interface FindOptions {
  /** Team scoping: only these services' events are read; null or absent = every service. */
  services?: readonly string[] | null;
  /** Heuristic joins at call boundaries without ids (default: the config's `heuristic.enabled`). */
  heuristic?: boolean;
}

export type FindResult =
  | { kind: 'found'; trace: MergedTrace }
  | { kind: 'invalid'; message: string }
  | { kind: 'not-found'; message: string };

/** Reads one request's merged trace by an OTel trace id or a Pinpoint transaction id. */
export interface TraceFinder {
  find(id: string, options?: FindOptions): Promise<FindResult>;
}

export interface TraceFinderDeps {
  store: EventStore;
  index: TraceLinkIndex;
  ends: CallEndIndex;
  config?: LinkTracesConfig;
}

/**
 * Links are computed when a trace is read, from the store and the link index: the requested trace,
 * every trace linked to it (bounded), exact parents, then heuristic joins for call ends still open,
 * whose traces are read and joined in turn (bounded rounds), logs attached, skew annotated.
 */
export function createTraceFinder(deps: TraceFinderDeps): TraceFinder {
  const config = deps.config ?? createDefaultConfig();
  return {
    async find(id, options = {}) {
      const ref = parseTraceRef(id);
      if (!ref.ok) return { kind: 'invalid', message: ref.message };
      const services = options.services ?? undefined;
      const assembly = new TraceAssembly({ store: deps.store, index: deps.index, config, services });
      await assembly.expand([ref.traceId]);
      if (assembly.nodes.size === 0 && assembly.logs.size === 0) {
        const what =
          ref.form === 'pinpoint'
            ? `transaction ${ref.transactionId} (trace ${ref.traceId})`
            : `trace ${ref.traceId}`;
        return { kind: 'not-found', message: `no span or log of ${what} is stored` };
      }
      const joins: HeuristicJoins = new Map();
      resolveWithJoins(assembly, joins);
      if (options.heuristic ?? config.heuristic.enabled)
        await joinOpenEnds({ ...deps, config, services }, assembly, joins);
      const trace = buildMergedTrace({
        requested: { id, ref },
        nodes: assembly.nodes,
        logs: attachLogs([...assembly.logs.values()], assembly.nodes),
        traceIds: [...assembly.traceIds],
        transactionIds: [...assembly.transactionIds],
        truncated: assembly.truncated,
      });
      return { kind: 'found', trace };
    },
  };
}
