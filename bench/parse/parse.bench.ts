// Parse throughput per input, next to a bare JSON.parse (JSON inputs) or a bare line split (text inputs)
// of the same data, measured in the same run, on one core. Run: npx tsx bench/parse/parse.bench.ts
import { benchLogstash } from './logstash.ts';
import { printTable, type BenchRow } from './measure.ts';
import { benchAlerts, benchCadvisor, benchOtlp, benchPinpoint } from './more-inputs.ts';
import { benchNagios } from './nagios.bench.ts';

const rows: BenchRow[] = [
  benchLogstash(),
  benchCadvisor(),
  ...benchNagios(),
  benchOtlp(),
  benchPinpoint(),
  benchAlerts(),
];
console.log(`node ${process.version}, one core, ${new Date().toISOString()}`);
printTable(rows);
