import type { Alert } from '../../alerting/alert.ts';
import type { LoadedRule } from '../../alerting/load-rules.ts';
import { compileAnchored } from '../../alerting/matchers.ts';
import type { CheckEvent, TributaryEvent } from '../../core/event.ts';
import { unixMillis } from '../../core/time.ts';
import { ConditionTracker } from './condition-tracker.ts';
import type { RuleRunner } from './rule-runner.ts';

const SERVICE_STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'];
const HOST_STATES = ['UP', 'DOWN', 'UNREACHABLE', 'UNREACHABLE'];

/**
 * Nagios HARD states: a check in one of `states` fires once its state is HARD (after max_check_attempts
 * tries, as the Nagios source tracked them); SOFT results change nothing; a HARD result outside `states`
 * resolves. A result with no state type at all (a passive result Nagios did not qualify) counts as HARD
 * when its attempt has reached max_check_attempts, or when neither is known.
 */
export function checkRule(
  rule: LoadedRule & {
    check: {
      host_check?: boolean;
      service?: string;
      exclude_service?: string;
      host?: string;
      states: string[];
    };
  },
): RuleRunner {
  const service = rule.check.service === undefined ? null : compileAnchored(rule.check.service);
  const excluded =
    rule.check.exclude_service === undefined ? null : compileAnchored(rule.check.exclude_service);
  const host = rule.check.host === undefined ? null : compileAnchored(rule.check.host);
  const states = new Set(rule.check.states);
  const tracker = new ConditionTracker({ ...rule, for: rule.for }, 'nagios');
  return {
    onEvent(event: TributaryEvent): Alert[] {
      if (event.kind !== 'check' || !applies(event)) return [];
      if (!isHard(event)) return [];
      const isHost = event.checkService === null;
      const state = (isHost ? HOST_STATES : SERVICE_STATES)[event.status] ?? 'UNKNOWN';
      const labels: Record<string, string> = { host: event.checkHost, nagios_state: state };
      if (event.checkService !== null) labels.check = event.checkService;
      if (event.service) labels.service = event.service;
      const key = `${event.checkHost}\u0000${event.checkService ?? ''}`;
      // The state is part of the identity only while firing; the resolve must match the firing alert.
      const alert = tracker.update(key, states.has(state), labels, event.status, unixMillis(event.time));
      return alert ? [alert] : [];
    },
    tick: () => [],
  };

  function applies(e: CheckEvent): boolean {
    if (rule.check.host_check === true && e.checkService !== null) return false;
    if (rule.check.host_check === false && e.checkService === null) return false;
    if (service && (e.checkService === null || !service(e.checkService))) return false;
    if (excluded && e.checkService !== null && excluded(e.checkService)) return false;
    if (host && !host(e.checkHost)) return false;
    return true;
  }
}

function isHard(e: CheckEvent): boolean {
  if (e.stateType !== null) return e.stateType === 'HARD';
  if (e.attempt !== null && e.maxAttempts !== null) return e.attempt >= e.maxAttempts;
  return true;
}
