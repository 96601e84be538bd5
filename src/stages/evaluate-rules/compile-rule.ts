import type { LoadedRule } from '../../alerting/load-rules.ts';
import { absentRule } from './absent-rule.ts';
import { checkRule } from './check-rule.ts';
import { logRule } from './log-rule.ts';
import { metricRule } from './metric-rule.ts';
import { prometheusRule } from './prometheus-rule.ts';
import type { RuleRunner } from './rule-runner.ts';

/** Builds the runner for a validated rule; throws ConfigError for a matcher or regex that cannot compile. */
export function compileRule(rule: LoadedRule): RuleRunner {
  if (rule.metric) return metricRule({ ...rule, metric: rule.metric });
  if (rule.absent) return absentRule({ ...rule, absent: rule.absent });
  if (rule.log) return logRule({ ...rule, log: rule.log });
  if (rule.check) return checkRule({ ...rule, check: rule.check });
  if (rule.prometheus) return prometheusRule({ ...rule, prometheus: rule.prometheus });
  throw new Error(`${rule.origin}: rule has no condition`);
}
