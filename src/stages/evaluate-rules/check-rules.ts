import { ConfigError } from '../../alerting/config-error.ts';
import { loadAlertmanagerConfigFile } from '../../alerting/load-alertmanager-config.ts';
import { loadRulesDir, type RuleSet } from '../../alerting/load-rules.ts';
import { compileRule } from './compile-rule.ts';

export interface RulesCheckReport {
  ok: boolean;
  files: string[];
  rules: number;
  byKind: Record<string, number>;
  /** Every problem, each with its file and place. */
  problems: string[];
  /** Accepted but without effect (unsupported receivers, templates). */
  warnings: string[];
}

/**
 * `tributary rules check [dir] [--alertmanager file]`: validates every rule file and, when given, the
 * alertmanager.yml, compiling every matcher and regex. Never throws for bad input: it reports.
 */
export function checkRules(dir: string, alertmanagerPath?: string | null): RulesCheckReport {
  const report: RulesCheckReport = { ok: true, files: [], rules: 0, byKind: {}, problems: [], warnings: [] };
  let set: RuleSet | null = null;
  try {
    set = loadRulesDir(dir);
    report.files = set.files;
  } catch (err) {
    report.problems.push(...problemsOf(err));
  }
  for (const rule of set?.rules ?? []) {
    try {
      compileRule(rule);
      report.rules++;
      const kind =
        (['metric', 'absent', 'log', 'check', 'prometheus'] as const).find((k) => rule[k] !== undefined) ??
        'unknown';
      report.byKind[kind] = (report.byKind[kind] ?? 0) + 1;
    } catch (err) {
      report.problems.push(...problemsOf(err).map((p) => `${rule.origin}: ${p}`));
    }
  }
  if (alertmanagerPath !== undefined) {
    try {
      report.warnings.push(...loadAlertmanagerConfigFile(alertmanagerPath).warnings);
    } catch (err) {
      report.problems.push(...problemsOf(err));
    }
  }
  report.ok = report.problems.length === 0;
  return report;
}

/** Human-readable report for the CLI (exit 1 when not ok). */
export function formatRulesCheck(report: RulesCheckReport): string {
  const lines = report.ok
    ? [
        `rules OK: ${report.rules} rule(s) in ${report.files.length} file(s) (${Object.entries(report.byKind)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')})`,
      ]
    : [`rules INVALID: ${report.problems.length} problem(s)`, ...report.problems.map((p) => `  - ${p}`)];
  for (const w of report.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}

function problemsOf(err: unknown): string[] {
  if (err instanceof ConfigError) return [...err.problems];
  return [err instanceof Error ? err.message : String(err)];
}
