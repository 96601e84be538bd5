// The Tributary side of the alert-storm benchmark: the alerting subgraph behind Alertmanager's
// POST /api/v2/alerts, with its state in SQLite under a data dir, so SIGTERM/SIGKILL restarts are real.
// Env: PORT, DATA_DIR, ALERTMANAGER_CONFIG, RULES_DIR, REPLICA_ID. Prints "listening <port>" when ready.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAlerting } from '../../src/alerting/create-alerting.ts';
import { loadAlertmanagerConfigFile } from '../../src/alerting/load-alertmanager-config.ts';
import { loadRulesDir } from '../../src/alerting/load-rules.ts';
import { nowInstant } from '../../src/core/time.ts';
import { parseAlertmanagerAlertsText } from '../../src/sources/alertmanager-api/parse-alerts.ts';
import { MemoryDecisionLog } from '../../src/stages/reduce-noise/memory-decision-log.ts';
import type { Decision } from '../../src/stages/reduce-noise/decision.ts';
import { openStateDatabase } from '../../src/state/sqlite/open-state-database.ts';
import { SqliteStateStore } from '../../src/state/sqlite/sqlite-state-store.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

async function main(): Promise<void> {
  const state = new SqliteStateStore(openStateDatabase(env('DATA_DIR')), { closeDatabase: true });
  await state.start();
  const quiet = { info: () => {}, warn: () => {}, error: (o: object, m: string) => console.error(m, o) };
  const decisions = new MemoryDecisionLog();
  if (process.env.ALERT_STORM_DEBUG) {
    const record = decisions.record.bind(decisions);
    decisions.record = async (d: Decision) => {
      console.error(`decision ${new Date(d.time).toISOString()} ${d.decision} ${d.reason}`);
      await record(d);
    };
  }
  const alerting = createAlerting({
    decisions,
    alertmanager: loadAlertmanagerConfigFile(env('ALERTMANAGER_CONFIG')),
    rules: loadRulesDir(env('RULES_DIR')),
    state,
    audit: { append: async () => ({}) as never },
    replicaId: env('REPLICA_ID'),
    externalURL: 'http://tributary.bench',
    logger: quiet,
  });
  for (const c of alerting.components) await c.start();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/api/v2/alerts') {
        res.statusCode = 404;
        res.end();
        return;
      }
      const parsed = parseAlertmanagerAlertsText(body, nowInstant());
      alerting
        .consume(parsed.events)
        .then(() => {
          res.statusCode = parsed.rejections.length > 0 ? 400 : 200;
          res.end();
        })
        .catch((err: unknown) => {
          console.error('consume failed', err);
          res.statusCode = 500;
          res.end();
        });
    });
  });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    console.log(`listening ${(server.address() as AddressInfo).port}`);
  });
  process.on('SIGTERM', () => {
    server.close();
    void (async () => {
      for (const c of [...alerting.components].reverse()) await c.shutdown(Date.now() + 5000);
      await state.shutdown();
      process.exit(0);
    })();
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
