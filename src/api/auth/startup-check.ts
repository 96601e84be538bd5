import type { TributaryConfig } from '../../config/schema.ts';
import { parseApiKeysEnv } from './api-keys.ts';

/** Loopback only: anything else is reachable from other machines. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Secure by default: reasons not to start. Malformed TRIBUTARY_API_KEYS entries, and an API bound off
 * loopback with no key at all (it would be open to anyone who can reach it).
 */
export function securityErrors(config: TributaryConfig): string[] {
  const { keys, errors } = parseApiKeysEnv(config.auth.keysEnv ?? '');
  if (!isLoopback(config.server.host) && keys.length === 0 && config.auth.keys.length === 0) {
    errors.push(
      `server.host is ${config.server.host}, reachable from other machines, and no API key is configured: ` +
        'set TRIBUTARY_API_KEYS (e.g. "<secret>:read+ingest+admin") or auth.keys, or bind to 127.0.0.1',
    );
  }
  return errors;
}
