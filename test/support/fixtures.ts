import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The upstream sample payloads live in ../shared/fixtures (beside the checkout, present here and in CI).
 * They are read in place, never copied into the project. `TRIBUTARY_FIXTURES` overrides the location.
 */
export const FIXTURES_DIR = resolve(
  process.env.TRIBUTARY_FIXTURES ?? join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures'),
);

const present = existsSync(FIXTURES_DIR);

/** `skip` option for node:test: a clear message when the shared fixtures are absent, otherwise false. */
export const skipWithoutFixtures: string | false = present
  ? false
  : `shared fixtures not found at ${FIXTURES_DIR} (set TRIBUTARY_FIXTURES or check out ../shared)`;

export function fixturePath(...parts: string[]): string {
  return join(FIXTURES_DIR, ...parts);
}

export function readFixture(...parts: string[]): string {
  return readFileSync(fixturePath(...parts), 'utf8');
}

export function readFixtureJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readFixture(...parts)) as T;
}
