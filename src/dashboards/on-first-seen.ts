import type { Logger } from 'pino';
import type { ComponentCounters } from '../core/counters.ts';
import type { DashboardsConfig, TeamServices } from './config.ts';
import { generateDashboards } from './generate-files.ts';
import { publishServiceDashboards } from './publish.ts';

export interface FirstSeenDeps {
  config: DashboardsConfig;
  logger: Logger;
  /** `received` per new service, `sent` per dashboard published, `error` per failure. */
  counters?: ComponentCounters;
  teams?: TeamServices;
}

/**
 * Returns the function to call with the names `ServiceCatalog.observe` reported as new: it writes the
 * service's dashboards under `config.outputDir` and publishes them where configured. Calls run one after
 * another (two batches never write the same files at once); the promise never rejects: every failure
 * is logged and counted, so a caller may fire and forget it (`void onFirstSeen(names)`).
 */
export function createOnFirstSeen(deps: FirstSeenDeps): (services: readonly string[]) => Promise<void> {
  let queue: Promise<void> = Promise.resolve();
  return (services) => {
    queue = queue.then(() => handle(deps, services)).catch((err: unknown) => {
      deps.counters?.error();
      deps.logger.error({ err }, 'dashboards for new services failed');
    });
    return queue;
  };
}

async function handle(deps: FirstSeenDeps, services: readonly string[]): Promise<void> {
  if (services.length === 0) return;
  deps.counters?.received(services.length);
  const result = await generateDashboards(services, deps.config, deps.config.outputDir);
  for (const failure of result.failed) {
    deps.counters?.error();
    deps.logger.warn({ service: failure.service, reason: failure.reason }, 'no dashboards for this service');
  }
  for (const files of result.written) {
    deps.logger.info(
      { service: files.service, grafana: files.grafanaPath, kibana: files.kibanaPath },
      'dashboards generated for a new service',
    );
    const published = await publishServiceDashboards(files.dashboards, deps.config, deps.teams);
    for (const outcome of [published.grafana, published.kibana]) {
      if (outcome.status === 'published') deps.counters?.sent();
      if (outcome.status === 'failed') {
        deps.counters?.error();
        deps.logger.warn({ service: files.service, target: outcome.target, detail: outcome.detail }, 'dashboard not published');
      } else if (outcome.status === 'published') {
        deps.logger.info({ service: files.service, target: outcome.target, hash: outcome.hash }, 'dashboard published');
      }
    }
  }
}
