#!/usr/bin/env node
// The one test command (`npm test`): every *.test.ts under src/ and test/ (or the paths given), on node's
// test runner with tsx. In CI (CI=true) a skipped test is a failure: outcomes are collected by a second
// reporter, totalled over the runs in one closing line, and the run fails when any test was skipped.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const roots = args.length > 0 ? args : ['src', 'test'];

function collect(path, out) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return out;
  if (stat.isFile()) {
    if (path.endsWith('.test.ts')) out.push(path);
    return out;
  }
  for (const entry of readdirSync(path).sort()) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    collect(join(path, entry), out);
  }
  return out;
}

const files = roots.flatMap((r) => collect(resolve(root, r), []));
if (files.length === 0) {
  console.error(`no *.test.ts files under ${roots.join(', ')}`);
  process.exit(1);
}
// One file per run: two runs at once (a developer's and an editor's) must not count each other's tests.
const skipsFile = join(root, '.cache', `test-outcomes-${process.pid}.txt`);
mkdirSync(join(root, '.cache'), { recursive: true });
rmSync(skipsFile, { force: true });
rmSync(`${skipsFile}.serial`, { force: true });

// Files named *.serial.test.ts disturb shared servers (they freeze them): they run alone, after the rest.
const serial = files.filter((f) => f.includes('.serial.'));
const parallel = files.filter((f) => !f.includes('.serial.'));

function runNodeTest(testFiles, concurrency, reporterDestination) {
  return spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${concurrency}`,
      '--test-timeout=900000',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${join(root, 'scripts', 'skip-reporter.mjs')}`,
      `--test-reporter-destination=${reporterDestination}`,
      ...testFiles,
    ],
    { cwd: root, stdio: 'inherit', env: process.env },
  ).status;
}

const statuses = [];
if (parallel.length > 0) statuses.push(runNodeTest(parallel, process.env.TEST_CONCURRENCY ?? '2', skipsFile));
if (serial.length > 0) statuses.push(runNodeTest(serial, '1', `${skipsFile}.serial`));
const failed = statuses.some((status) => status !== 0);

const outcomes = [skipsFile, `${skipsFile}.serial`].flatMap((file) => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
});
const skips = outcomes.filter((line) => line.startsWith('skip ')).map((line) => line.slice(5));
const passed = outcomes.filter((line) => line === 'pass').length;
const failedCount = outcomes.filter((line) => line === 'fail').length;
const skipFailure = process.env.CI === 'true' && skips.length > 0;
if (skipFailure) {
  console.error(`\nCI=true: ${skips.length} skipped test(s) count as failures:\n  ${skips.join('\n  ')}`);
}
rmSync(skipsFile, { force: true });
rmSync(`${skipsFile}.serial`, { force: true });
// One closing line over every run (parallel and serial).
console.log(
  `\ntests: ${passed} passed, ${failedCount + (skipFailure ? skips.length : 0)} failed, ${skips.length} skipped`,
);
process.exit(failed || skipFailure ? 1 : 0);
