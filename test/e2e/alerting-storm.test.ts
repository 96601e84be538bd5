import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const binary = process.env.TRIBUTARY_ALERTMANAGER_BIN ?? 'prometheus-alertmanager';
const installed = spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;

interface Report {
  notifications: number;
  missed: string[];
  duplicates: number;
  falsePages: number;
}

describe('alert storm (small scale) against a real Alertmanager 0.25', () => {
  it(
    'zero missed incidents, zero repeated notifications across SIGTERM and SIGKILL, fewer notifications than Alertmanager',
    { skip: installed ? false : `${binary} is not installed: apt-get install -y prometheus-alertmanager` },
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'storm-test-'));
      try {
        const out = join(dir, 'report.json');
        const run = spawnSync(
          process.execPath,
          ['--import', 'tsx', 'bench/alert-storm/run.ts', '--small', '--json', out, '--alertmanager', binary],
          { encoding: 'utf8', timeout: 240_000 },
        );
        assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
        const { reports } = JSON.parse(readFileSync(out, 'utf8')) as { reports: Record<string, Report> };
        const tributary = reports.tributary as Report;
        const alertmanager = reports['alertmanager 0.25'] as Report;
        assert.deepEqual(tributary.missed, []);
        assert.equal(tributary.duplicates, 0);
        assert.equal(tributary.falsePages, 0);
        assert.ok(tributary.notifications < alertmanager.notifications, run.stdout);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
