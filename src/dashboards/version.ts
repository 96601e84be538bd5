import { readFileSync } from 'node:fs';

let cached: string | null = null;

/** Tributary's version from package.json (read once), for the publish messages. */
export function tributaryVersion(): string {
  if (cached === null) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        version?: unknown;
      };
      cached = typeof pkg.version === 'string' ? pkg.version : 'unknown';
    } catch {
      cached = 'unknown';
    }
  }
  return cached;
}
