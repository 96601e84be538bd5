import cliProgress from 'cli-progress';
import type { AuditLog, AuditRecord } from '../../src/audit/audit-log.ts';
import { seededRandom } from '../../src/simulate/random.ts';
import { SERVICES } from './fleet.ts';

/**
 * What a busy trail holds: mostly notification decisions by `system` (sent, grouped, suppressed,
 * silenced, flapping), then what people do through the API with their keys (silences, keys, dashboard
 * publications) and a few configuration reloads.
 */
const ACTIONS: readonly { action: string; share: number; by: 'system' | 'person' | 'config' }[] = [
  { action: 'notification.sent', share: 0.3, by: 'system' },
  { action: 'notification.suppressed', share: 0.25, by: 'system' },
  { action: 'notification.grouped', share: 0.2, by: 'system' },
  { action: 'notification.silenced', share: 0.08, by: 'system' },
  { action: 'notification.flapping', share: 0.05, by: 'system' },
  { action: 'silence.create', share: 0.04, by: 'person' },
  { action: 'silence.expire', share: 0.03, by: 'person' },
  { action: 'dashboard.publish', share: 0.03, by: 'person' },
  { action: 'api_key.create', share: 0.005, by: 'person' },
  { action: 'api_key.revoke', share: 0.005, by: 'person' },
  { action: 'config.reload', share: 0.01, by: 'config' },
];
export const AUDIT_ACTIONS = ACTIONS.map((a) => a.action);
/** Named API keys of the people who act through the API. */
export const PEOPLE: readonly string[] = Array.from({ length: 40 }, (_, i) => `key-person-${i}`);

export function auditRecord(seed: number, i: number): AuditRecord {
  const random = seededRandom(seed * 1_000_003 + i);
  let r = random();
  const spec = ACTIONS.find((a) => (r -= a.share) < 0) ?? (ACTIONS[0] as (typeof ACTIONS)[number]);
  const service = SERVICES[Math.floor(random() * SERVICES.length)] as string;
  const fingerprint = Math.floor(random() * 2 ** 48).toString(16);
  if (spec.by === 'system') {
    return {
      actor: 'system',
      action: spec.action,
      target: service,
      origin: 'reduce-noise',
      detail: {
        fingerprint,
        receiver: random() < 0.5 ? 'pagerduty' : 'slack',
        reason: reasonOf(spec.action),
      },
    };
  }
  if (spec.by === 'config') {
    return { actor: 'config', action: spec.action, target: 'tributary.yaml', origin: 'sighup', detail: {} };
  }
  return {
    actor: PEOPLE[Math.floor(random() * PEOPLE.length)] as string,
    action: spec.action,
    target: spec.action.startsWith('silence') ? `silence-${fingerprint}` : service,
    origin: `10.1.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}`,
    detail: { matchers: [`service=${service}`], comment: 'maintenance window' },
  };
}

function reasonOf(action: string): string {
  switch (action) {
    case 'notification.suppressed':
      return 'inhibited by HostDown on the same host';
    case 'notification.grouped':
      return 'group wait: joined an open group';
    case 'notification.silenced':
      return 'matched a silence';
    case 'notification.flapping':
      return 'flapping: 6 state changes in 10 min';
    default:
      return 'new incident';
  }
}

/** Appends entries `from`..`count - 1` one at a time, as the service does, with a progress bar. */
export async function loadAudit(
  log: AuditLog,
  seed: number,
  from: number,
  count: number,
  label: string,
): Promise<{ appended: number; seconds: number; perSecond: number }> {
  if (from >= count) return { appended: 0, seconds: 0, perSecond: 0 };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} |{bar}| {value}/{total} entries, eta {eta_formatted}`,
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 15_000,
      fps: 2,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(count, from);
  const started = performance.now();
  for (let i = from; i < count; i++) {
    await log.append(auditRecord(seed, i));
    if (i % 500 === 0) bar.update(i);
  }
  bar.update(count);
  bar.stop();
  const seconds = (performance.now() - started) / 1000;
  return { appended: count - from, seconds, perSecond: (count - from) / seconds };
}
