import { parseArgs } from 'node:util';
import { demo } from './cli/demo.ts';
import { runRulesCommand } from './cli/rules-check.ts';
import { serve } from './cli/serve.ts';
import { USAGE } from './cli/usage.ts';
import { runDashboardsCommand } from './dashboards/generate.ts';
import { loadConfig } from './config/load.ts';
import { securityErrors } from './api/auth/startup-check.ts';
import { createLogger } from './core/logger.ts';
import { startTelemetry } from './core/telemetry.ts';
import type { Service } from './pipeline/build-service.ts';

/** The composition root: config -> service -> start; signals; the only process.exit. */
async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: { events: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const command = positionals[0] ?? 'serve';
  if ((values.help && command !== 'rules') || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (command === 'dashboards') return runDashboardsCommand(argv.slice(argv.indexOf('dashboards') + 1));
  if (command === 'rules') return runRulesCommand(argv.slice(argv.indexOf('rules') + 1));
  if (command !== 'serve' && command !== 'demo') {
    console.error(`unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  const loaded = loadConfig();
  if (!loaded.ok) {
    console.error(`tributary: the configuration has ${loaded.errors.length} error(s):`);
    for (const error of loaded.errors) console.error(`  - ${error}`);
    console.error('Fix them (env vars or the file named by TRIBUTARY_CONFIG) and start again.');
    return 1;
  }
  const { config } = loaded;
  const refused = securityErrors(config);
  if (refused.length > 0) {
    console.error('tributary: refusing to start:');
    for (const reason of refused) console.error(`  - ${reason}`);
    return 1;
  }
  const logger = createLogger(config.log.level);
  const stopTelemetry = await startTelemetry();
  let service: Service;
  try {
    service = command === 'demo' ? await demo(config, logger, values.events) : await serve(config, logger);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') {
      console.error(
        `tributary: ${config.server.host}:${config.server.port} is already in use: stop the other process or set TRIBUTARY_PORT`,
      );
    } else {
      logger.fatal({ err }, 'tributary failed to start');
    }
    await stopTelemetry();
    return 1;
  }
  return new Promise<number>((resolve) => {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (signalled) {
        logger.warn({ signal }, 'second signal: exiting now');
        resolve(1);
        return;
      }
      signalled = true;
      logger.info({ signal, timeoutMs: config.shutdown.timeout }, 'shutting down: draining and flushing');
      const deadline = Date.now() + config.shutdown.timeout;
      service
        .shutdown(deadline)
        .then(stopTelemetry)
        .then(
          () => resolve(0),
          (err: unknown) => {
            logger.error({ err }, 'shutdown failed');
            resolve(1);
          },
        );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
