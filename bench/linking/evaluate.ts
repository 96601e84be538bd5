import type { SimulatedRequest } from '../../src/simulate/mixed-fleet.ts';
import type { MergedTrace } from '../../src/stages/link-traces/merged-trace.ts';
import type { TraceFinder } from '../../src/stages/link-traces/trace-finder.ts';

const key = (traceId: string, spanId: string): string => `${traceId}/${spanId}`;

/** Where each span sits in an answer: span key -> parent key, and which link put it there. */
function parentsOf(
  trace: MergedTrace,
): Map<string, { parent: string | null; kind: string | null; confidence: number }> {
  return new Map(
    trace.spans.map((s) => [
      key(s.traceId, s.spanId),
      {
        parent: s.parentTraceId && s.parentSpanId ? key(s.parentTraceId, s.parentSpanId) : null,
        kind: s.link?.kind ?? null,
        confidence: s.link?.confidence ?? 1,
      },
    ]),
  );
}

/** Whether the answer is exactly the request: every span, none other, true parents, logs under their spans. */
export function isCompleteAndCorrect(trace: MergedTrace, truth: SimulatedRequest): boolean {
  const got = parentsOf(trace);
  const expected = Object.entries(truth.parents);
  if (got.size !== expected.length) return false;
  for (const [span, parent] of expected) if (got.get(span)?.parent !== parent) return false;
  const logs = new Map<string, string>();
  for (const s of trace.spans) for (const l of s.logs) logs.set(l.message, key(s.traceId, s.spanId));
  for (const [marker, span] of Object.entries(truth.logs)) {
    const at = [...logs.entries()].find(([message]) => message.includes(marker));
    if (!at || at[1] !== span) return false;
  }
  return true;
}

export interface HeuristicOutcome {
  /** Hops without evidence. */
  hops: number;
  joined: number;
  joinsMade: number;
  joinsCorrect: number;
  /** Heuristic joins made by confidence, to show calibration: [confidence, correct]. */
  confidences: [number, boolean][];
  /** Per hop (`from -> to`): hops without evidence, and how many were joined to the right span. */
  byHop: Record<string, { hops: number; joined: number }>;
}

/**
 * For every hop without evidence, the answer read from the client's trace: did the server end come
 * under the client by a heuristic join? Every heuristic join seen in those answers is judged against
 * the true parents of all requests (a join to another request's span is a false one).
 */
export async function evaluateHeuristic(
  finder: TraceFinder,
  requests: readonly SimulatedRequest[],
  latencies: number[],
): Promise<HeuristicOutcome> {
  const truth = new Map<string, string | null>();
  for (const r of requests) for (const [span, parent] of Object.entries(r.parents)) truth.set(span, parent);
  const answers = new Map<string, MergedTrace | null>();
  const outcome: HeuristicOutcome = {
    hops: 0,
    joined: 0,
    joinsMade: 0,
    joinsCorrect: 0,
    confidences: [],
    byHop: {},
  };
  const joins = new Map<string, { parent: string | null; confidence: number }>();
  for (const request of requests) {
    for (const hop of request.hops) {
      if (hop.evidence !== 'none') continue;
      outcome.hops += 1;
      const perHop = (outcome.byHop[`${hop.from} -> ${hop.to}`] ??= { hops: 0, joined: 0 });
      perHop.hops += 1;
      const traceId = hop.client.split('/')[0] as string;
      if (!answers.has(traceId)) {
        const started = performance.now();
        const found = await finder.find(traceId);
        latencies.push(performance.now() - started);
        answers.set(traceId, found.kind === 'found' ? found.trace : null);
      }
      const answer = answers.get(traceId);
      if (!answer) continue;
      const parents = parentsOf(answer);
      const server = parents.get(hop.server);
      if (server?.parent === hop.client && server.kind === 'heuristic') {
        outcome.joined += 1;
        perHop.joined += 1;
      }
      for (const [child, at] of parents) if (at.kind === 'heuristic') joins.set(child, at);
    }
  }
  for (const [child, at] of joins) {
    const correct = truth.get(child) === at.parent;
    outcome.joinsMade += 1;
    if (correct) outcome.joinsCorrect += 1;
    outcome.confidences.push([at.confidence, correct]);
  }
  return outcome;
}
