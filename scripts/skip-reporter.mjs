// A node:test reporter for the runner script: one line per test (not suite) outcome, `pass`, `fail` or
// `skip <file>: <name> -- <reason>`, so the runner can total several runs and refuse skips in CI.
export default async function* outcomeReporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { skip, todo, name, file, details } = event.data;
    if (details?.type === 'suite') continue;
    if (skip !== undefined && skip !== false) {
      yield `skip ${file ?? '?'}: ${name} -- ${typeof skip === 'string' ? skip : 'skipped'}\n`;
    } else if (todo !== undefined && todo !== false) {
      yield `todo ${file ?? '?'}: ${name}\n`;
    } else {
      yield `${event.type === 'test:pass' ? 'pass' : 'fail'}\n`;
    }
  }
}
