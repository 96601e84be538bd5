import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const SCOPES = ['ingest', 'read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is calling: resolved from the bearer key. `team` null = sees every service. */
export interface Principal {
  /** Stable, non-secret name: the key's name, or `key-` + the first 8 hex digits of its hash. */
  id: string;
  scopes: ReadonlySet<Scope>;
  team: string | null;
}

export interface ApiKeyRecord {
  name: string;
  /** SHA-256 of the secret, hex. Secrets themselves are never stored. */
  sha256: string;
  scopes: Scope[];
  team: string | null;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function newSecret(): string {
  return `trb_${randomBytes(24).toString('base64url')}`;
}

/**
 * `TRIBUTARY_API_KEYS`: comma-separated `secret:scope+scope[:team]`, e.g. `s3cr3t:read+ingest:payments`.
 * Returns the records (hashed) and one message per malformed entry (the secret is never echoed).
 */
export function parseApiKeysEnv(text: string): { keys: ApiKeyRecord[]; errors: string[] } {
  const keys: ApiKeyRecord[] = [];
  const errors: string[] = [];
  text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .forEach((entry, index) => {
      const [secret = '', scopeText = '', team, extra] = entry.split(':');
      const where = `TRIBUTARY_API_KEYS entry ${index + 1}`;
      if (extra !== undefined)
        return void errors.push(`${where}: too many ':' (expected secret:scope+scope[:team])`);
      if (secret.length < 8) return void errors.push(`${where}: the secret must be at least 8 characters`);
      const scopes = scopeText.split('+').filter(Boolean);
      const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
      if (scopes.length === 0 || unknown.length > 0) {
        return void errors.push(
          `${where}: scopes must be ${SCOPES.join(', ')} joined by '+' (got "${scopeText}")`,
        );
      }
      if (team !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(team)) {
        return void errors.push(`${where}: team must be 1-64 letters, digits, '_', '.', '-'`);
      }
      const sha256 = hashSecret(secret);
      keys.push({ name: `key-${sha256.slice(0, 8)}`, sha256, scopes: scopes as Scope[], team: team ?? null });
    });
  return { keys, errors };
}

/** Finds the key record of a presented secret, comparing hashes in constant time. */
export function findKey(records: readonly ApiKeyRecord[], secret: string): ApiKeyRecord | null {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  let found: ApiKeyRecord | null = null;
  for (const record of records) {
    const stored = Buffer.from(record.sha256, 'hex');
    if (stored.length === presented.length && timingSafeEqual(stored, presented)) found = record;
  }
  return found;
}

export function principalOf(record: ApiKeyRecord): Principal {
  return { id: record.name, scopes: new Set(record.scopes), team: record.team };
}
