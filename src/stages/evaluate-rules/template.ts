/**
 * The small part of Prometheus' alert templating that rule annotations need: `{{ $labels.name }}`,
 * `{{ $value }}` (and `{{ $value | humanizePercentage }}`). Anything else is left as written.
 */
export function expandTemplate(
  text: string,
  labels: Readonly<Record<string, string>>,
  value: number | null,
): string {
  return text.replace(/\{\{\s*([^}]{1,200}?)\s*\}\}/g, (whole, expr: string) => {
    const label = /^\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)$/.exec(expr);
    if (label) return labels[label[1] as string] ?? '';
    const v = /^\$value(?:\s*\|\s*(humanizePercentage|humanize))?$/.exec(expr);
    if (v) {
      if (value === null) return '';
      if (v[1] === 'humanizePercentage') return `${(value * 100).toFixed(1)}%`;
      return Number.isInteger(value) ? String(value) : value.toPrecision(4);
    }
    return whole;
  });
}
