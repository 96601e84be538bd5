// Nagios parse throughput next to the bare cost of reading the same bytes (line/field split, JSON.parse,
// fast-xml-parser alone), measured in the same run. Run: npx tsx bench/parse/nagios.bench.ts
import { pathToFileURL } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { parseExternalCommands } from '../../src/sources/nagios/parse-passive-lines.ts';
import { parseNrdpJson, parseNrdpXml } from '../../src/sources/nagios/parse-nrdp.ts';
import { parsePerfdataFile } from '../../src/sources/nagios/parse-perfdata-file.ts';
import { benchRow, printTable, type BenchRow } from './measure.ts';

const ctx = { receivedAt: '2026-01-01T00:00:00.000000000Z' };
const N = 5000;
const PERFDATA = "rta=0.080000ms;100.000000;200.000000;0.000000 pl=0%;20;40;0 '/var/log'=818MB;970;975;0;980";

export function benchNagios(): BenchRow[] {
  const perfdataFile = Array.from(
    { length: N },
    (_, i) =>
      `[SERVICEPERFDATA]\t${1700000000 + i}\thost${i % 50}\tsvc${i % 7}\t0.012\t0.104\tPING OK - Packet loss = 0%\t${PERFDATA}`,
  ).join('\n');
  const commands = Array.from(
    { length: N },
    (_, i) =>
      `[${1700000000 + i}] PROCESS_SERVICE_CHECK_RESULT;host${i % 50};svc${i % 7};${i % 4};PING OK - Packet loss = 0% | ${PERFDATA}`,
  ).join('\n');
  const results = Array.from({ length: 1000 }, (_, i) => ({
    checkresult: { type: 'service' },
    hostname: `host${i % 50}`,
    servicename: `svc${i % 7}`,
    state: String(i % 4),
    output: `PING OK - Packet loss = 0% | ${PERFDATA}`,
  }));
  const json = JSON.stringify({ checkresults: results });
  const xml = `<?xml version='1.0'?><checkresults>${results
    .map(
      (r) =>
        `<checkresult type='service'><hostname>${r.hostname}</hostname><servicename>${r.servicename}</servicename><state>${r.state}</state><output>${r.output.replaceAll("'", '&apos;')}</output></checkresult>`,
    )
    .join('')}</checkresults>`;
  const xmlAlone = new XMLParser({ ignoreAttributes: false });
  return [
    benchRow(
      'nagios perfdata file',
      perfdataFile,
      N,
      () => parsePerfdataFile(perfdataFile, ctx),
      'split lines and tabs',
      () => perfdataFile.split('\n').map((l) => l.split('\t')),
    ),
    benchRow(
      'nagios external commands',
      commands,
      N,
      () => parseExternalCommands(commands, ctx),
      'split lines and ;',
      () => commands.split('\n').map((l) => l.split(';')),
    ),
    benchRow(
      'nagios NRDP JSON',
      json,
      results.length,
      () => parseNrdpJson(json, ctx),
      'JSON.parse',
      () => JSON.parse(json) as unknown,
    ),
    benchRow(
      'nagios NRDP XML',
      xml,
      results.length,
      () => parseNrdpXml(xml, ctx),
      'fast-xml-parser alone',
      () => xmlAlone.parse(xml) as unknown,
    ),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(`node ${process.version}, one core, ${new Date().toISOString()}`);
  printTable(benchNagios());
}
