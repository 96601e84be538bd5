import type { MixedFleet } from './mixed-fleet.ts';

export interface SendOptions {
  /** Extra request headers, e.g. `authorization: Bearer <key>`. */
  headers?: Record<string, string>;
  /** Called after each request's payloads are sent (progress bars). */
  onRequest?: (done: number, total: number) => void;
}

export interface SentFleet {
  /** Requests sent, and HTTP posts that were not answered 200. */
  requests: number;
  failures: { path: string; status: number }[];
  /** URLs worth opening: requests joined by ids, one joined heuristically, the OTLP export. */
  examples: { url: string; what: string }[];
}

/**
 * Sends the mixed fleet to a running Tributary the way its agents and collectors would: Pinpoint span
 * batches to /v1/ingest/pinpoint, OTLP/JSON to /v1/traces and /v1/logs, Logstash NDJSON to
 * /v1/ingest/logstash. For the demo (and the end-to-end test).
 */
export async function sendMixedFleet(
  baseUrl: string,
  fleet: MixedFleet,
  options: SendOptions = {},
): Promise<SentFleet> {
  const failures: SentFleet['failures'] = [];
  const post = async (path: string, body: string, contentType: string): Promise<void> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { ...options.headers, 'content-type': contentType },
      body,
    });
    await response.arrayBuffer();
    if (response.status !== 200) failures.push({ path, status: response.status });
  };
  for (const [i, request] of fleet.payloads.entries()) {
    for (const batch of request.pinpoint)
      await post('/v1/ingest/pinpoint', JSON.stringify(batch), 'application/json');
    for (const body of request.otlpTraces) await post('/v1/traces', JSON.stringify(body), 'application/json');
    for (const body of request.otlpLogs) await post('/v1/logs', JSON.stringify(body), 'application/json');
    const ndjson = request.logstash.map((r) => JSON.stringify(r)).join('\n');
    if (ndjson !== '') await post('/v1/ingest/logstash', ndjson, 'application/x-ndjson');
    options.onRequest?.(i + 1, fleet.payloads.length);
  }
  return { requests: fleet.payloads.length, failures, examples: examples(baseUrl, fleet) };
}

function examples(baseUrl: string, fleet: MixedFleet): SentFleet['examples'] {
  const out: SentFleet['examples'] = [];
  const linked = fleet.requests.find((r) => r.hops.every((h) => h.evidence !== 'none'));
  const unlinked = fleet.requests.find((r) => r.hops.every((h) => h.evidence === 'none'));
  if (linked) {
    const kinds = linked.hops.map((h) => h.evidence).join(', ');
    out.push({ url: `${baseUrl}/v1/traces/${linked.entryTraceId}`, what: `one request, joined by ${kinds}` });
    const tx = linked.transactionIds[0];
    if (tx)
      out.push({
        url: `${baseUrl}/v1/traces/${encodeURIComponent(tx)}`,
        what: 'the same, by its Pinpoint transaction id',
      });
    out.push({
      url: `${baseUrl}/v1/traces/${linked.entryTraceId}?format=otlp`,
      what: 'as OTLP JSON for Jaeger or Tempo',
    });
  }
  if (unlinked)
    out.push({
      url: `${baseUrl}/v1/traces/${unlinked.entryTraceId}`,
      what: 'a request whose hops carried no ids: heuristic joins, with their confidence',
    });
  return out;
}
