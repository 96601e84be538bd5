/** Plugin output split the way Nagios core splits it (base/utils.c parse_check_output). */
export interface PluginOutput {
  /** First line before the first `|`, trimmed (`$SERVICEOUTPUT$`). */
  output: string;
  /** Lines 2..n up to the first later `|`, joined with real newlines (`$LONGSERVICEOUTPUT$`). */
  longOutput: string;
  /** All perfdata pieces, each trimmed, joined with one space (`$SERVICEPERFDATA$`); unparsed. */
  perfdata: string;
}

/**
 * Splits raw plugin stdout into short output, long output and perfdata per the plugin guidelines:
 * `TEXT|PERFDATA` on line 1; lines 2..n are long output; on the first later line that contains a `|`,
 * the text after the pipe and every following line are more perfdata. Pure and total.
 */
export function parsePluginOutput(raw: string): PluginOutput {
  const lines = raw.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  const first = lines[0] ?? '';
  const firstPipe = first.indexOf('|');
  const output = (firstPipe === -1 ? first : first.slice(0, firstPipe)).trim();
  const perf: string[] = firstPipe === -1 ? [] : [first.slice(firstPipe + 1).trim()];
  const long: string[] = [];
  let inPerfdata = false;
  for (const line of lines.slice(1)) {
    if (inPerfdata) {
      perf.push(line.trim());
      continue;
    }
    const pipe = line.indexOf('|');
    if (pipe === -1) {
      long.push(line.trimEnd());
    } else {
      inPerfdata = true;
      long.push(line.slice(0, pipe).trimEnd());
      perf.push(line.slice(pipe + 1).trim());
    }
  }
  while (long.length > 0 && long[long.length - 1] === '') long.pop();
  return {
    output,
    longOutput: long.join('\n'),
    perfdata: perf.filter((piece) => piece !== '').join(' '),
  };
}

/**
 * Undoes the escaping single-line transports apply to multi-line output (external commands, NSCA, check
 * result spool files, `$LONGSERVICEOUTPUT$`): `\n` becomes a newline and `\\` a backslash; any other
 * backslash is kept, as Nagios does.
 */
export function unescapeNagiosText(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\([n\\])/g, (_, ch: string) => (ch === 'n' ? '\n' : '\\'));
}
