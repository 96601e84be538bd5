import cliProgress from 'cli-progress';
import type { Logger } from 'pino';
import type { TributaryConfig } from '../config/schema.ts';
import type { Service } from '../pipeline/build-service.ts';
import { simulateLogstashFleet } from '../simulate/logstash-fleet.ts';
import { simulateMixedFleet } from '../simulate/mixed-fleet.ts';
import { sendMixedFleet } from '../simulate/mixed-fleet-send.ts';
import { demoCausalFleet } from './demo-causal-fleet.ts';
import { serve } from './serve.ts';

const BATCH = 500;

/**
 * `tributary demo`: starts the service, feeds it simulated fleets through the real HTTP ingest
 * (Logstash-style logs from 4 services on 6 hosts with clocks skewed by up to ±200 ms; a mixed
 * Pinpoint/OpenTelemetry fleet; a fleet whose logs it orders causally, judged against the truth), and
 * prints what to open. It keeps serving afterwards until Ctrl-C.
 */
export async function demo(
  config: TributaryConfig,
  logger: Logger,
  eventsOption?: string | boolean,
): Promise<Service> {
  const service = await serve(config, logger);
  const requests = Math.max(
    1,
    Math.round(Number(typeof eventsOption === 'string' ? eventsOption : 2000) / 10),
  );
  const logs = simulateLogstashFleet({ seed: 42, requests, skewMs: 200, startMs: Date.now() - 10 * 60_000 });
  const bar = new cliProgress.SingleBar(
    { format: 'feeding the simulated fleet |{bar}| {value}/{total} events', stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar.start(logs.length, 0);
  let accepted = 0;
  for (let i = 0; i < logs.length; i += BATCH) {
    const batch = logs.slice(i, i + BATCH);
    const response = await fetch(`${service.url}/v1/ingest/logstash`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: batch.map((l) => JSON.stringify(l.record)).join('\n'),
    });
    const report = (await response.json()) as { accepted?: number };
    accepted += report.accepted ?? 0;
    bar.update(Math.min(i + BATCH, logs.length));
  }
  bar.stop();
  // A mixed fleet too: Pinpoint Java services and OpenTelemetry services in one request path.
  const mixed = simulateMixedFleet({ requests: 100 });
  const traceBar = new cliProgress.SingleBar(
    {
      format: 'feeding the mixed Pinpoint/OTel fleet |{bar}| {value}/{total} requests',
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  traceBar.start(100, 0);
  const sent = await sendMixedFleet(service.url, mixed, { onRequest: (done) => traceBar.update(done) });
  traceBar.stop();
  const causal = await demoCausalFleet(service.url);
  const url = service.url;
  const trace = (logs[0]?.record.trace as { id: string } | undefined)?.id ?? '';
  console.log(`
Tributary demo: ${accepted} log events from 4 services on 6 hosts (clocks skewed up to ±200 ms) are stored.

Open:
  ${url}/v1/logs?service=checkout&limit=20            logs of one service
  ${url}/v1/logs?trace_id=${trace}   one request across hosts
  ${url}/v1/events?kind=log&level=error&limit=10      errors, newest first
  ${url}/v1/events?q=upstream+timeout                  full-text search
  ${url}/metrics                                       pipeline counters
  ${url}/openapi.json                                  the API description

One request across Pinpoint and OpenTelemetry (${sent.requests} requests sent${sent.failures.length ? `, ${sent.failures.length} posts refused` : ''}):
${sent.examples.map((e) => `  ${e.url}   ${e.what}`).join('\n')}

${causal}

Ctrl-C stops it (data stays in ${config.storage.dataDir}).`);
  return service;
}
