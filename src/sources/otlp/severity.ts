/** OTLP SeverityNumber ranges (1-4 TRACE ... 21-24 FATAL) as Tributary levels. */
const RANGES: readonly string[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

const TEXT_ALIASES: Readonly<Record<string, string>> = {
  information: 'info',
  informational: 'info',
  warning: 'warn',
  err: 'error',
  critical: 'fatal',
  crit: 'fatal',
  emerg: 'fatal',
  emergency: 'fatal',
  panic: 'fatal',
};

/** The level from severityNumber, or from severityText when the number is unset (0) or out of range. */
export function levelOf(severityNumber: number, severityText: string): string | null {
  if (severityNumber >= 1 && severityNumber <= 24)
    return RANGES[Math.floor((severityNumber - 1) / 4)] ?? null;
  const text = severityText.trim().toLowerCase();
  if (text === '') return null;
  return TEXT_ALIASES[text] ?? text.slice(0, 32);
}
