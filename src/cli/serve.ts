import type { Logger } from 'pino';
import type { TributaryConfig } from '../config/schema.ts';
import { buildService, type Service } from '../pipeline/build-service.ts';

/** `tributary serve`: starts the service; SIGTERM/SIGINT shut it down within shutdown.timeout. */
export async function serve(config: TributaryConfig, logger: Logger): Promise<Service> {
  const service = await buildService(config, logger);
  await service.start();
  return service;
}
