import type { Logger } from 'pino';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { createApp } from '../api/app.ts';
import type { TributaryConfig } from '../config/schema.ts';
import { createPipelineMetrics } from '../core/counters.ts';
import { parseApiKeysEnv, hashSecret, type ApiKeyRecord } from '../api/auth/api-keys.ts';
import { SqliteKeyStore } from '../store/sqlite/sqlite-key-store.ts';
import { StateKeyStore } from '../api/auth/state-key-store.ts';
import type { Component } from '../core/lifecycle.ts';
import type { TributaryEvent } from '../core/event.ts';
import { openDatabase } from '../store/sqlite/open-database.ts';
import { RetentionSweeper } from '../store/retention-sweeper.ts';
import { retentionGroup } from '../store/retention-group.ts';
import { SqliteServiceCatalog } from '../store/sqlite/sqlite-service-catalog.ts';
import { createServiceResolver, resolveServices } from '../stages/resolve-services/resolve-service.ts';
import { HttpServer } from './http-server.ts';
import { buildStorage } from './build-backends.ts';
import { buildQueue } from './build-queue.ts';
import { createStateBackend } from '../state/create-state-backend.ts';
import { Intake } from './intake.ts';
import { createStoreSink } from './store-sink.ts';
import { buildNagiosInput, buildSources } from './build-sources.ts';
import { dashboardRoutes } from '../dashboards/routes.ts';
import { createOnFirstSeen } from '../dashboards/on-first-seen.ts';
import { webRoutes } from '../web/routes.ts';
import { traceRoutes } from '../api/routes/traces.ts';
import { orderingRoutes } from '../api/routes/ordering.ts';
import { createLinkTracesStage } from '../stages/link-traces/link-traces-stage.ts';
import { createTraceFinder } from '../stages/link-traces/trace-finder.ts';
import { buildAlerting } from './build-alerting.ts';
import { buildOrdering } from './build-ordering.ts';

export interface Service {
  /** Starts every component in dependency order; resolves when the API listens. */
  start(): Promise<void>;
  /** Stops intake, drains, flushes, closes: in that order, by `deadline` (epoch ms). Idempotent. */
  shutdown(deadline: number): Promise<void>;
  readonly url: string;
  readonly intake: Intake;
}

/**
 * The composition of one Tributary process: sources -> intake -> queue -> store, and the API over the
 * store. This is the only place that knows the graph; components never import each other.
 */
export async function buildService(config: TributaryConfig, logger: Logger): Promise<Service> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = createPipelineMetrics(registry);

  const db = openDatabase(config.storage.dataDir);
  const storage = await buildStorage(config, db, logger);
  const { store, deadLetters } = storage;
  const state = await createStateBackend(config.state, config.storage.dataDir);
  const catalog = new SqliteServiceCatalog(db);
  const onFirstSeen = createOnFirstSeen({
    config: config.dashboards,
    logger,
    counters: metrics.forComponent('dashboards'),
    teams: config.auth.teams,
  });
  const observeServices = async (events: readonly TributaryEvent[]): Promise<void> => {
    const sightings = events.flatMap((e) =>
      e.service
        ? [
            {
              name: e.service,
              time: e.time,
              source: e.source,
              kind: e.kind,
              host: e.host,
              container: e.container,
            },
          ]
        : [],
    );
    if (sightings.length > 0) void onFirstSeen(await catalog.observe(sightings));
  };
  // Trace links are recorded as events are stored and followed when a trace is read (GET /v1/traces/:id).
  const { linkIndex, callEnds } = storage;
  const linkTraces = createLinkTracesStage({ index: linkIndex, ends: callEnds });
  const { audit } = storage;
  const alerting = buildAlerting(config, { db, state, audit, logger });
  // Independent steps: a failing one (its backend down) is logged and counted, and never keeps the
  // others, alert evaluation above all, from seeing the batch.
  const afterStoreErrors = metrics.forComponent('after-store');
  const afterStoreSteps: [string, (events: readonly TributaryEvent[]) => Promise<void>][] = [
    ['service catalog', observeServices],
    ['trace links', (events) => linkTraces.onStored(events)],
    ['alerting', (events) => alerting.consume(events)],
  ];
  const afterStore = async (events: readonly TributaryEvent[]): Promise<void> => {
    const results = await Promise.allSettled(afterStoreSteps.map(([, step]) => step(events)));
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') return;
      afterStoreErrors.error();
      logger.error(
        { err: result.reason, step: afterStoreSteps[i]?.[0] },
        'after-store step failed for a batch',
      );
    });
  };
  const ordering = await buildOrdering(config, { store, db, metrics, registry, logger });
  const sink = createStoreSink(store, metrics.forComponent('store'), afterStore, ordering.stage);
  const nagios = buildNagiosInput(config, db);
  const transport = await buildQueue(config, { sink, store, deadLetters, metrics, registry, logger, nagios });
  const { queue } = transport;
  new Gauge({
    name: 'tributary_queue_depth',
    help: 'Events accepted and not yet stored.',
    registers: [registry],
    collect() {
      this.set(queue.depth ?? 0);
    },
  });
  const resolveService = createServiceResolver(config.services.aliases);
  const intake = new Intake(
    queue,
    deadLetters,
    metrics,
    (events) => linkTraces.enrich(resolveServices(events, resolveService)),
    transport.storesBeforeAnswer,
  );
  // Shared by replicas through the state backend; keys of the embedded database move there on start.
  const keyStore = new StateKeyStore(state, { legacy: new SqliteKeyStore(db), logger });
  const configuredKeys = configKeys(config);
  const keys = (): ApiKeyRecord[] => [...configuredKeys, ...keyStore.keys()];
  let shuttingDown = false;
  const sources = buildSources(config, { intake, db, logger, metrics, nagios });
  const app = createApp({
    routes: [
      ...sources.routes,
      dashboardRoutes({ catalog, dashboards: config.dashboards, teams: config.auth.teams, logger }),
      webRoutes({ catalog, store, servicesOfTeam: (team) => config.auth.teams[team]?.services ?? [team] }),
      ...alerting.routes((team) => config.auth.teams[team]?.services ?? [team]),
      orderingRoutes({ ordering: ordering.stage }),
      traceRoutes({
        traces: createTraceFinder({ store, index: linkIndex, ends: callEnds }),
        servicesOfTeam: (team) => config.auth.teams[team]?.services ?? [team],
      }),
    ],
    intake,
    store,
    rejections: deadLetters,
    catalog,
    registry,
    readiness: [
      ...storage.readiness,
      {
        name: config.state.redisUrl ? 'redis' : 'state',
        check: async () => {
          try {
            await state.ping();
            return { ok: true };
          } catch (err) {
            return { ok: false, detail: (err as Error).message };
          }
        },
      },
    ],
    isShuttingDown: () => shuttingDown,
    logger,
    audit,
    keys,
    keyAdmin: {
      list: async () => [
        ...configuredKeys.map(({ sha256: _h, ...k }) => ({ ...k, origin: 'config' as const })),
        ...(await keyStore.list()).map(({ sha256: _h, ...k }) => ({ ...k, origin: 'api' as const })),
      ],
      create: async (record, createdBy) =>
        !configuredKeys.some((k) => k.name === record.name) && (await keyStore.create(record, createdBy)),
      delete: (name) => keyStore.delete(name),
    },
    servicesOfTeam: (team) => config.auth.teams[team]?.services ?? [team],
    rateLimit: config.auth.rateLimit,
  });
  const http = new HttpServer(app, config.server);
  const retention = new RetentionSweeper(
    retentionGroup([store, linkIndex, callEnds]),
    { retentionMs: config.storage.retention, intervalMs: config.storage.retentionSweepInterval },
    logger,
  );
  // Shutdown order: stop intake first, then drain, then the ordering stage (it writes final keys into
  // the store), then close storage.
  const components: Component[] = [
    http,
    ...sources.components,
    ...transport.components,
    ...ordering.components,
    retention,
    ...alerting.components,
    keyStore,
    state,
    ...storage.components,
  ];
  let stopping: Promise<void> | null = null;

  return {
    intake,
    get url() {
      return http.url;
    },
    async start() {
      for (const component of [...components].reverse()) await component.start();
      logger.info(
        {
          url: http.url,
          dataDir: config.storage.dataDir,
          store: storage.kind,
          transport: config.kafka.brokers ? 'kafka' : 'in-process',
          state: config.state.redisUrl ? 'redis' : 'sqlite',
        },
        'tributary is serving',
      );
    },
    shutdown(deadline) {
      stopping ??= (async () => {
        shuttingDown = true;
        for (const component of components) {
          try {
            await component.shutdown(deadline);
          } catch (err) {
            logger.error({ err, component: component.name }, 'component did not shut down cleanly');
          }
        }
        if (db.open) db.close();
        logger.info('tributary stopped');
      })();
      return stopping;
    },
  };
}

/** Keys from the config file and TRIBUTARY_API_KEYS, hashed (main.ts has already refused malformed ones). */
export function configKeys(config: TributaryConfig): ApiKeyRecord[] {
  const fromFile = config.auth.keys.map((k) => ({
    name: k.name,
    sha256: k.sha256 ?? hashSecret(k.secret as string),
    scopes: k.scopes,
    team: k.team ?? null,
  }));
  return [...fromFile, ...parseApiKeysEnv(config.auth.keysEnv ?? '').keys];
}
