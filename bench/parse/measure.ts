/**
 * Times `fn` over `data` repeatedly for at least `minMs` (after a warm-up) and reports the rate.
 * Single-threaded, so the figures are per core.
 */
export interface Rate {
  eventsPerSec: number;
  mbPerSec: number;
  runs: number;
}

export function measure(bytes: number, events: number, fn: () => unknown, minMs = 1500): Rate {
  for (let i = 0; i < 3; i++) fn();
  let runs = 0;
  const start = process.hrtime.bigint();
  let elapsedMs = 0;
  while (elapsedMs < minMs && runs < 10_000) {
    fn();
    runs++;
    elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  }
  const seconds = elapsedMs / 1000;
  return { eventsPerSec: (events * runs) / seconds, mbPerSec: (bytes * runs) / seconds / 1024 / 1024, runs };
}

export interface BenchRow {
  input: string;
  parser: Rate;
  baselineName: string;
  baseline: Rate;
}

export function printTable(rows: readonly BenchRow[]): void {
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  console.log(
    '| input | Tributary parser events/s | MB/s | baseline | baseline events/s | MB/s | parser / baseline |',
  );
  console.log('|---|---:|---:|---|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.input} | ${fmt(r.parser.eventsPerSec)} | ${r.parser.mbPerSec.toFixed(1)} | ${r.baselineName} | ${fmt(r.baseline.eventsPerSec)} | ${r.baseline.mbPerSec.toFixed(1)} | ${(r.parser.eventsPerSec / r.baseline.eventsPerSec).toFixed(2)} |`,
    );
  }
}

/** One row: the parser and its baseline over the same body, labelled with event count and size. */
export function benchRow(
  input: string,
  body: string,
  events: number,
  parse: () => unknown,
  baselineName: string,
  baseline: () => unknown,
): BenchRow {
  const bytes = Buffer.byteLength(body);
  return {
    input: `${input} (${events} events, ${(bytes / 1024).toFixed(0)} KiB)`,
    parser: measure(bytes, events, parse),
    baselineName,
    baseline: measure(bytes, events, baseline),
  };
}
