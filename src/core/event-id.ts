import { createHash } from 'node:crypto';

/**
 * Deterministic event id: the same input record always gets the same id, so a replay (Kafka redelivery,
 * HTTP retry of the same body) is stored once. SHA-256 over the parts, each followed by U+001F (null and
 * undefined as U+0000), hashed as one string; 27 characters of base64url (160 bits).
 */
export function eventId(...parts: readonly (string | number | bigint | null | undefined)[]): string {
  let text = '';
  for (const part of parts)
    text += (part === null || part === undefined ? '\u0000' : String(part)) + '\u001f';
  return createHash('sha256').update(text).digest('base64url').slice(0, 27);
}
