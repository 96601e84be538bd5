import { ConfigError } from '../../alerting/config-error.ts';
import { loadAlertmanagerConfigFile } from '../../alerting/load-alertmanager-config.ts';
import { collectRuleFiles, readRuleFiles } from '../../alerting/load-rules.ts';
import type { NoiseInput } from '../../alerting/rules-schema.ts';
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
  /** The `noise:` section when the rules parsed, for the caller to check against the noise stage. */
  noise: NoiseInput | null;
  noiseFile: string | null;
  /** The alertmanager.yml checked: its path, `default`, or null when not checked. */
  alertmanager: string | null;
}

/**
 * `tributary rules check [dir-or-file...] [--alertmanager file]`: validates every rule file and, when
 * given, the alertmanager.yml (null: the default one), compiling every matcher and regex. Never throws
 * for bad input: it reports.
 */
export function checkRules(
  paths: string | readonly string[],
  alertmanagerPath?: string | null,
): RulesCheckReport {
  const report: RulesCheckReport = {
    ok: true,
    files: [],
    rules: 0,
    byKind: {},
    problems: [],
    warnings: [],
    noise: null,
    noiseFile: null,
    alertmanager: null,
  };
  const read = readRuleFiles(typeof paths === 'string' ? [paths] : paths);
  const { set, problems } = collectRuleFiles(read.files);
  report.files = set.files;
  report.noise = set.noise;
  report.noiseFile = set.noiseFile ?? null;
  report.problems.push(...read.problems, ...problems);
  for (const rule of set.rules) {
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
    report.alertmanager = alertmanagerPath ?? 'default';
    try {
      report.warnings.push(...loadAlertmanagerConfigFile(alertmanagerPath).warnings);
    } catch (err) {
      report.problems.push(...problemsOf(err));
    }
  }
  report.ok = report.problems.length === 0;
  return report;
}

/**
 * Human-readable report for the CLI (exit 1 when not ok): each file OK or INVALID with its problems
 * (`file:line: path: what`), problems that belong to no file, warnings, then a one-line verdict that
 * says what to do.
 */
export function formatRulesCheck(report: RulesCheckReport): string {
  const files = report.alertmanager === null ? report.files : [...report.files, report.alertmanager];
  const mine = (file: string, p: string): boolean => p.startsWith(`${file}:`);
  const lines: string[] = [];
  for (const file of files) {
    const problems = report.problems.filter((p) => mine(file, p));
    const label =
      file === 'default' && file === report.alertmanager
        ? 'alertmanager.yml: none configured, the default (every alert to the log receiver)'
        : file;
    lines.push(`${problems.length === 0 ? 'OK     ' : 'INVALID'}  ${label}`);
    for (const p of problems) lines.push(`           - ${p}`);
  }
  for (const p of report.problems.filter((p) => !files.some((f) => mine(f, p)))) lines.push(`INVALID  ${p}`);
  for (const w of report.warnings) lines.push(`warning  ${w}`);
  if (report.ok) {
    const kinds = Object.entries(report.byKind).map(([k, n]) => `${k} ${n}`);
    lines.push(
      `rules OK: ${report.rules} rule(s) in ${report.files.length} file(s)${kinds.length ? ` (${kinds.join(', ')})` : ''}`,
    );
  } else {
    lines.push(
      `rules INVALID: ${report.problems.length} problem(s). Fix each at the file and line shown (rules/README.md lists every field), then run \`tributary rules check\` again.`,
    );
  }
  return lines.join('\n');
}

function problemsOf(err: unknown): string[] {
  if (err instanceof ConfigError) return [...err.problems];
  return [err instanceof Error ? err.message : String(err)];
}
