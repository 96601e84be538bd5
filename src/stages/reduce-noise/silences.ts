import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { LabelSet } from '../../alerting/alert.ts';
import type { Clock } from '../../alerting/clock.ts';
import { ConfigError } from '../../alerting/config-error.ts';
import { allOf, type LabelPredicate, type Matcher } from '../../alerting/matchers.ts';

/** Alertmanager API v2's silence matcher. */
export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  /** Default true; false negates the matcher (`!=`, `!~`). */
  isEqual: boolean;
}

export interface Silence {
  id: string;
  matchers: SilenceMatcher[];
  /** RFC 3339. */
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  updatedAt: string;
}

export type SilenceState = 'pending' | 'active' | 'expired';

/** Where silences live: the shared state store's hash, so every replica sees the same ones. */
export interface SilenceBackend {
  hset(key: string, fields: Readonly<Record<string, string>>, ttlMs?: number): Promise<void>;
  hgetall(key: string): Promise<Record<string, string>>;
}

const SILENCES_KEY = 'silences:v1';
/** Expired silences stay visible this long (Alertmanager's default retention). */
const EXPIRED_RETENTION_MS = 5 * 86_400_000;
const MAX_MATCHERS = 64;

const matcherInput = z
  .object({
    name: z
      .string()
      .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a label name')
      .max(256),
    value: z.string().max(1024),
    isRegex: z.boolean(),
    isEqual: z.boolean().default(true),
  })
  .strict();

/** The body of `POST /api/v2/silences` (and `/v1/silences`). */
export const silenceInput = z
  .object({
    id: z.string().max(64).optional(),
    matchers: z.array(matcherInput).min(1).max(MAX_MATCHERS),
    startsAt: z.string().datetime({ offset: true }),
    endsAt: z.string().datetime({ offset: true }),
    createdBy: z.string().min(1).max(256),
    comment: z.string().min(1).max(4096),
  })
  .strict();

export type SilenceInput = z.output<typeof silenceInput>;

export function silenceState(s: Silence, now: number): SilenceState {
  if (Date.parse(s.endsAt) <= now) return 'expired';
  if (Date.parse(s.startsAt) > now) return 'pending';
  return 'active';
}

export function toMatcher(m: SilenceMatcher): Matcher {
  return {
    name: m.name,
    value: m.value,
    type: m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=',
  };
}

/**
 * Silences, Alertmanager's semantics: an active silence mutes every alert all of whose matchers it
 * satisfies. Creating with the id of an existing silence updates it (as Alertmanager does when nothing
 * but the end or comment changes; otherwise it expires the old one and creates a new one).
 */
export class Silences {
  private cache: { silence: Silence; matches: LabelPredicate }[] = [];

  constructor(
    private readonly backend: SilenceBackend,
    private readonly clock: Clock,
  ) {}

  /** Reads the shared list again; call before a batch of `mutedBy` checks. */
  async refresh(): Promise<void> {
    this.cache = [];
    for (const silence of await this.list()) {
      try {
        this.cache.push({ silence, matches: allOf(silence.matchers.map(toMatcher)) });
      } catch {
        // A stored silence whose regex no longer compiles cannot mute anything; it stays listed.
      }
    }
  }

  /** The ids of the active silences that mute these labels. */
  mutedBy(labels: LabelSet): string[] {
    const now = this.clock.now();
    return this.cache
      .filter((c) => silenceState(c.silence, now) === 'active' && c.matches(labels))
      .map((c) => c.silence.id);
  }

  async list(): Promise<Silence[]> {
    const now = this.clock.now();
    const out: Silence[] = [];
    for (const raw of Object.values(await this.backend.hgetall(SILENCES_KEY))) {
      const s = parseSilence(raw);
      if (s && Date.parse(s.endsAt) > now - EXPIRED_RETENTION_MS) out.push(s);
    }
    return out.sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<Silence | null> {
    const raw = (await this.backend.hgetall(SILENCES_KEY))[id];
    return raw === undefined ? null : parseSilence(raw);
  }

  /** Creates (or updates, with a known id); throws ConfigError for a silence that cannot be valid. */
  async upsert(input: SilenceInput): Promise<Silence> {
    const now = this.clock.now();
    validateSilence(input, now);
    if (input.id !== undefined && (await this.get(input.id)) === null) {
      throw new ConfigError(`silence ${input.id} not found`);
    }
    const silence: Silence = {
      id: input.id ?? randomUUID(),
      matchers: input.matchers,
      startsAt: new Date(Math.max(Date.parse(input.startsAt), input.id ? 0 : now)).toISOString(),
      endsAt: new Date(Date.parse(input.endsAt)).toISOString(),
      createdBy: input.createdBy,
      comment: input.comment,
      updatedAt: new Date(now).toISOString(),
    };
    await this.backend.hset(SILENCES_KEY, { [silence.id]: JSON.stringify(silence) });
    return silence;
  }

  /** Expires a silence now (Alertmanager keeps expired silences visible). False when unknown or expired. */
  async expire(id: string): Promise<boolean> {
    const now = this.clock.now();
    const silence = await this.get(id);
    if (!silence || silenceState(silence, now) === 'expired') return false;
    const iso = new Date(now).toISOString();
    const startsAt = Date.parse(silence.startsAt) > now ? iso : silence.startsAt;
    await this.backend.hset(SILENCES_KEY, {
      [id]: JSON.stringify({ ...silence, startsAt, endsAt: iso, updatedAt: iso }),
    });
    return true;
  }
}

function validateSilence(input: SilenceInput, now: number): void {
  const start = Date.parse(input.startsAt);
  const end = Date.parse(input.endsAt);
  if (end <= start) throw new ConfigError('endsAt must be after startsAt');
  if (end <= now) throw new ConfigError('endsAt is in the past: the silence would never be active');
  const matchers = input.matchers.map(toMatcher);
  matchers.forEach((m) => allOf([m])); // compiles regexes: bad ones are refused with the reason
  // Alertmanager refuses silences that would match every alert.
  if (allOf(matchers)({})) throw new ConfigError('at least one matcher must not match the empty string');
}

function parseSilence(raw: string): Silence | null {
  try {
    const s = JSON.parse(raw) as Silence;
    return typeof s.id === 'string' && Array.isArray(s.matchers) ? s : null;
  } catch {
    return null;
  }
}
