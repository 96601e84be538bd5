import type { Router } from 'express';
import type { Logger } from 'pino';
import { cadvisorRoutes } from '../api/routes/cadvisor.ts';
import { logstashRoutes } from '../api/routes/logstash.ts';
import { nagiosRoutes } from '../api/routes/nagios.ts';
import { alertmanagerApiRoutes } from '../api/routes/alertmanager-api.ts';
import { otlpRoutes } from '../api/routes/otlp.ts';
import { pinpointRoutes } from '../api/routes/pinpoint.ts';
import type { TributaryConfig } from '../config/schema.ts';
import type { PipelineMetrics } from '../core/counters.ts';
import type { Component } from '../core/lifecycle.ts';
import { createCadvisorScraper } from '../sources/cadvisor/scraper.ts';
import {
  configuredLayouts,
  createMaxCheckAttempts,
  createPerfdataFileTail,
  createServiceResolver as createNagiosServiceResolver,
  createStateTracker,
  trackChecks,
  type CheckState,
  type CheckStateTracker,
  type FilePosition,
} from '../sources/nagios/index.ts';
import type { SqliteDatabase } from '../store/sqlite/open-database.ts';
import { SqliteJsonMap } from '../store/sqlite/sqlite-json-map.ts';
import type { Intake } from './intake.ts';

export interface Sources {
  /** HTTP ingest routes, mounted by the API. */
  routes: Router[];
  /** Pulling sources (scrapers, tails), started after the store and stopped before the queue. */
  components: Component[];
}

/**
 * What every Nagios input shares (HTTP, the perfdata tail, the Kafka topic): the host -> service mapping,
 * the perfdata-file layouts, and the SOFT/HARD tracker with its state. One tracker per process, so the
 * results of one check are applied in order whichever input brought them.
 */
export interface NagiosInput {
  resolveService: ReturnType<typeof createNagiosServiceResolver>;
  layouts: ReturnType<typeof configuredLayouts>;
  tracker: CheckStateTracker;
}

export function buildNagiosInput(config: TributaryConfig, db: SqliteDatabase): NagiosInput {
  return {
    resolveService: createNagiosServiceResolver(config.nagios.serviceMapping),
    layouts: configuredLayouts(config.nagios),
    tracker: createStateTracker(new SqliteJsonMap<CheckState>(db, 'nagios.check-state'), {
      maxCheckAttempts: createMaxCheckAttempts(config.nagios),
      passiveHostChecksAreSoft: config.nagios.passiveHostChecksAreSoft,
    }),
  };
}

/** Every input: its HTTP route and, where it pulls, its component; all hand what they parse to `intake`. */
export function buildSources(
  config: TributaryConfig,
  deps: {
    intake: Intake;
    db: SqliteDatabase;
    logger: Logger;
    metrics: PipelineMetrics;
    nagios: NagiosInput;
  },
): Sources {
  const { intake, db, logger, metrics } = deps;
  const maxBody = config.server.maxBody;
  const components: Component[] = [];

  const { resolveService: nagiosService, layouts, tracker } = deps.nagios;
  const positions = new SqliteJsonMap<FilePosition>(db, 'nagios.tail-position');
  for (const path of config.nagios.perfdataFiles) {
    components.push(
      createPerfdataFileTail({
        path,
        positions: { load: (p) => positions.get(p), save: (p, position) => positions.set(p, position) },
        pollIntervalMs: config.nagios.pollIntervalMs,
        maxBatchBytes: config.nagios.maxBatchBytes,
        maxLineBytes: config.nagios.maxLineBytes,
        layouts,
        resolveService: nagiosService,
        counters: metrics.forComponent('nagios'),
        onError: (err) => logger.warn({ err, path }, 'nagios perfdata tail'),
        consumer: async (result) => {
          const events = await trackChecks(tracker, result.events);
          await intake.submit('nagios', { events, rejections: result.rejections });
        },
      }),
    );
  }

  if (config.cadvisor.targets.length > 0) {
    components.push(
      createCadvisorScraper({
        config: config.cadvisor,
        consume: async (result) => void (await intake.submit('cadvisor', result)),
        onError: (failure) => logger.warn({ failure }, 'cadvisor scrape failed'),
      }),
    );
  }

  return {
    components,
    routes: [
      logstashRoutes({ intake, maxBody, plainLines: config.logstash.plainLines }),
      cadvisorRoutes({ intake, maxBody, identity: config.cadvisor, host: config.cadvisor.host }),
      nagiosRoutes({
        intake,
        maxBody,
        tracker,
        resolveService: nagiosService,
        ...(config.nagios.nrdpToken ? { nrdpToken: config.nagios.nrdpToken } : {}),
      }),
      otlpRoutes({ intake, maxBody }),
      pinpointRoutes({ intake, maxBody }),
      alertmanagerApiRoutes({ intake, maxBody }),
    ],
  };
}
