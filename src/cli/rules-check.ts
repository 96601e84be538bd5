import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from '../alerting/config-error.ts';
import { alertmanagerConfigPath } from '../alerting/load-alertmanager-config.ts';
import { resolveRulesDir } from '../alerting/config.ts';
import { loadConfig } from '../config/load.ts';
import { checkRules, formatRulesCheck } from '../stages/evaluate-rules/check-rules.ts';
import { noiseConfigFromInput } from '../stages/reduce-noise/config.ts';

export const RULES_USAGE = `Usage: tributary rules check [DIR|FILE]... [--alertmanager FILE]

  Validates rule files (every *.yaml / *.yml of a DIR, or the FILEs named) and the alertmanager.yml
  without starting anything: schema, durations, matchers, regexes, the noise: section.
  DIR defaults to the configured rules directory (TRIBUTARY_RULES_DIR, alerting.rulesDir, else ./rules);
  --alertmanager defaults to TRIBUTARY_ALERTMANAGER_CONFIG (alerting.alertmanagerConfig), else the
  default route to the log receiver.
  Exit status: 0 all valid, 1 a problem found (each with file:line and path), 2 bad usage.`;

interface CommandIo {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
}

/**
 * `tributary rules check`. `argv` are the arguments after `rules`. Checks what `serve` would load, plus
 * the noise settings against the noise stage (its matchers, the Nagios objects file it reads).
 */
export function runRulesCommand(
  argv: readonly string[],
  io: CommandIo = { env: process.env, out: console.log, err: console.error },
): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { alertmanager: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${RULES_USAGE}`);
    return 2;
  }
  const [verb, ...paths] = parsed.positionals;
  if (parsed.values.help) {
    io.out(RULES_USAGE);
    return 0;
  }
  if (verb !== 'check') {
    io.err(
      `${verb === undefined ? 'missing' : `unknown`} rules command${verb ? ` "${verb}"` : ''}\n\n${RULES_USAGE}`,
    );
    return 2;
  }
  const loaded = loadConfig(io.env);
  if (!loaded.ok) {
    io.err(`tributary: the configuration has ${loaded.errors.length} error(s):`);
    for (const error of loaded.errors) io.err(`  - ${error}`);
    io.err(
      'Fix them (env vars or the file named by TRIBUTARY_CONFIG) and run `tributary rules check` again.',
    );
    return 1;
  }
  const alerting = loaded.config.alerting;
  const rulePaths = paths.length > 0 ? paths : [resolveRulesDir(alerting.rulesDir)];
  const alertmanager =
    parsed.values.alertmanager ?? alertmanagerConfigPath(io.env, alerting.alertmanagerConfig) ?? null;
  const report = checkRules(rulePaths, alertmanager);
  if (report.noise) {
    try {
      noiseConfigFromInput(report.noise, (path) => readFileSync(path, 'utf8'));
    } catch (err) {
      const problems = err instanceof ConfigError ? err.problems : [String(err)];
      // noiseConfigFromInput names nagios_objects itself; the rest comes from the down matchers.
      const path = (p: string): string => (p.startsWith('noise.') ? p : `noise.topology.down_matchers: ${p}`);
      report.problems.push(...problems.map((p) => `${report.noiseFile ?? 'rules'}: ${path(p)}`));
      report.ok = false;
    }
  }
  (report.ok ? io.out : io.err)(formatRulesCheck(report));
  return report.ok ? 0 : 1;
}
