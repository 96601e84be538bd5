// A node:test reporter for the runner script: one line per test outcome (and per suite skipped whole), `pass`, `fail` or
// `skip <file>: <name> -- <reason>`, so the runner can total several runs and refuse skips in CI.
export default async function* outcomeReporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { skip, todo, name, file, details } = event.data;
    const skipped = skip !== undefined && skip !== false;
    // A suite counts only when it was skipped whole (`describe(..., { skip })`): its tests never ran.
    if (details?.type === 'suite' && !skipped) continue;
    if (skipped) {
      yield `skip ${file ?? '?'}: ${name} -- ${typeof skip === 'string' ? skip : 'skipped'}\n`;
    } else if (todo !== undefined && todo !== false) {
      yield `todo ${file ?? '?'}: ${name}\n`;
    } else {
      yield `${event.type === 'test:pass' ? 'pass' : 'fail'}\n`;
    }
  }
}
