import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadConfig } from '../config/load.ts';
import { openDatabase } from '../store/sqlite/open-database.ts';
import { SqliteServiceCatalog } from '../store/sqlite/sqlite-service-catalog.ts';
import { dashboardsConfigFromEnv, type DashboardsConfig, type TeamServices } from './config.ts';
import { generateDashboards } from './generate-files.ts';
import { anyFailed, publishServiceDashboards } from './publish.ts';

export const DASHBOARDS_USAGE = `Usage: tributary dashboards <generate|publish> [--service NAME]... [--out DIR]

  generate   write <DIR>/<service>/grafana.json and kibana.ndjson for every known service
             (or only the --service ones); DIR defaults to dashboards.outputDir (dashboards/)
  publish    generate, then publish to the configured Grafana (TRIBUTARY_GRAFANA_URL) and
             Kibana (TRIBUTARY_KIBANA_URL); unchanged dashboards are skipped`;

interface CommandIo {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
}

/**
 * `tributary dashboards generate|publish`. `argv` are the arguments after `dashboards` (a leading
 * `dashboards` is skipped too). Returns the exit code: 0 done, 1 some service failed, 2 bad usage.
 */
export async function runDashboardsCommand(
  argv: readonly string[],
  io: CommandIo = { env: process.env, out: console.log, err: console.error },
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv[0] === 'dashboards' ? argv.slice(1) : [...argv],
      allowPositionals: true,
      options: { service: { type: 'string', multiple: true }, out: { type: 'string' }, help: { type: 'boolean' } },
    });
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${DASHBOARDS_USAGE}`);
    return 2;
  }
  const command = parsed.positionals[0];
  if (parsed.values.help || (command !== 'generate' && command !== 'publish')) {
    (parsed.values.help ? io.out : io.err)(DASHBOARDS_USAGE);
    return parsed.values.help ? 0 : 2;
  }
  const setup = readSetup(io.env);
  if (!setup.ok) {
    io.err(`tributary: the configuration has ${setup.errors.length} error(s):`);
    for (const error of setup.errors) io.err(`  - ${error}`);
    return 1;
  }
  const { config, dataDir, teams } = setup;
  const services = parsed.values.service ?? (await knownServices(dataDir));
  if (services.length === 0) {
    io.err(`no service known yet (catalog in ${dataDir}): name some with --service NAME`);
    return 1;
  }
  const outDir = parsed.values.out ?? config.outputDir;
  const bar = new cliProgress.SingleBar(
    { format: 'generating dashboards |{bar}| {value}/{total} services', stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar.start(services.length, 0);
  const result = await generateDashboards(services, config, outDir, (done) => bar.update(done));
  bar.stop();
  for (const files of result.written) {
    io.out(`${files.changed ? 'wrote' : 'unchanged'} ${files.grafanaPath} and kibana.ndjson`);
  }
  for (const failure of result.failed) io.err(`${JSON.stringify(failure.service)}: ${failure.reason}`);
  let failed = result.failed.length > 0;
  if (command === 'publish') {
    for (const files of result.written) {
      const published = await publishServiceDashboards(files.dashboards, config, teams);
      for (const outcome of [published.grafana, published.kibana]) {
        io.out(`${files.service}: ${outcome.target} ${outcome.status}${outcome.detail ? ` (${outcome.detail})` : ''}`);
      }
      failed ||= anyFailed(published);
    }
  }
  return failed ? 1 : 0;
}

type Setup =
  | { ok: true; config: DashboardsConfig; dataDir: string; teams: TeamServices }
  | { ok: false; errors: string[] };

/** The main config (data dir, teams) plus the dashboards section, from its key when the schema has one. */
function readSetup(env: NodeJS.ProcessEnv): Setup {
  const loaded = loadConfig(env);
  if (!loaded.ok) return { ok: false, errors: loaded.errors };
  const main = loaded.config as typeof loaded.config & { dashboards?: DashboardsConfig };
  const dashboards = main.dashboards === undefined ? dashboardsConfigFromEnv(env) : null;
  if (dashboards !== null && !dashboards.success) {
    return {
      ok: false,
      errors: dashboards.error.issues.map((i) => `dashboards.${i.path.join('.')}: ${i.message}`),
    };
  }
  const auth = (main as { auth?: { teams?: TeamServices } }).auth;
  return {
    ok: true,
    config: main.dashboards ?? (dashboards?.data as DashboardsConfig),
    dataDir: main.storage.dataDir,
    teams: auth?.teams ?? {},
  };
}

/** Services in the embedded catalog; none when the database does not exist (nothing to create here). */
async function knownServices(dataDir: string): Promise<string[]> {
  if (!existsSync(join(dataDir, 'tributary.db'))) return [];
  const db = openDatabase(dataDir);
  try {
    return (await new SqliteServiceCatalog(db).list()).map((entry) => entry.name);
  } finally {
    db.close();
  }
}
