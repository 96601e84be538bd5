import type { TimeIntervalSpecInput } from './alertmanager-schema.ts';
import { ConfigError } from './config-error.ts';

/** True when the instant (epoch ms) falls inside the interval. */
export type TimeInterval = (now: number) => boolean;

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

interface Range {
  start: number;
  end: number;
}

/**
 * A named `time_intervals` entry: it holds when any of its specs holds; a spec holds when every field it
 * sets holds (Alertmanager's semantics: times are [start, end) in minutes of the day, ranges inclusive,
 * negative days of month count from the end, `location` an IANA zone, UTC by default).
 */
export function compileTimeInterval(specs: readonly TimeIntervalSpecInput[], where: string): TimeInterval {
  const compiled = specs.map((spec, i) => compileSpec(spec, `${where}.time_intervals[${i}]`));
  return (now) => compiled.some((holds) => holds(now));
}

function compileSpec(spec: TimeIntervalSpecInput, where: string): TimeInterval {
  const zone = spec.location ?? 'UTC';
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone === 'Local' ? undefined : zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'long',
      hour: 'numeric',
      minute: 'numeric',
    });
  } catch {
    throw new ConfigError(`${where}.location: unknown time zone ${JSON.stringify(zone.slice(0, 64))}`);
  }
  const times = spec.times?.map((t, i) => ({
    start: clockMinutes(t.start_time, `${where}.times[${i}].start_time`, false),
    end: clockMinutes(t.end_time, `${where}.times[${i}].end_time`, true),
  }));
  times?.forEach((t, i) => {
    if (t.end <= t.start) throw new ConfigError(`${where}.times[${i}]: end_time must be after start_time`);
  });
  const weekdays = spec.weekdays?.map((w, i) => namedRange(w, WEEKDAYS, 0, `${where}.weekdays[${i}]`));
  const months = spec.months?.map((m, i) => namedRange(m, MONTHS, 1, `${where}.months[${i}]`));
  const days = spec.days_of_month?.map((d, i) =>
    numericRange(d, -31, 31, `${where}.days_of_month[${i}]`, true),
  );
  const years = spec.years?.map((y, i) => numericRange(y, 1, 9999, `${where}.years[${i}]`, false));
  return (now) => {
    const parts = Object.fromEntries(format.formatToParts(new Date(now)).map((p) => [p.type, p.value]));
    const year = Number(parts.year);
    const month = Number(parts.month);
    const day = Number(parts.day);
    const minute = Number(parts.hour) * 60 + Number(parts.minute);
    const weekday = WEEKDAYS.indexOf(String(parts.weekday).toLowerCase());
    if (times && !times.some((r) => minute >= r.start && minute < r.end)) return false;
    if (weekdays && !weekdays.some((r) => inRange(weekday, r))) return false;
    if (months && !months.some((r) => inRange(month, r))) return false;
    if (years && !years.some((r) => inRange(year, r))) return false;
    if (days) {
      const inMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
      const resolve = (d: number): number => (d < 0 ? inMonth + d + 1 : d);
      if (!days.some((r) => day >= resolve(r.start) && day <= Math.min(resolve(r.end), inMonth)))
        return false;
    }
    return true;
  };
}

function inRange(value: number, r: Range): boolean {
  return value >= r.start && value <= r.end;
}

function clockMinutes(text: string, where: string, isEnd: boolean): number {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  const max = isEnd ? 24 * 60 : 24 * 60 - 1;
  if (!m || Number(m[2]) > 59 || minutes > max) {
    throw new ConfigError(`${where}: ${JSON.stringify(text.slice(0, 20))} is not a time of day HH:MM`);
  }
  return minutes;
}

function namedRange(text: string, names: readonly string[], offset: number, where: string): Range {
  const one = (part: string): number => {
    const lower = part.trim().toLowerCase();
    const byName = names.indexOf(lower);
    if (byName >= 0) return byName + offset;
    const n = Number(lower);
    if (offset === 1 && Number.isInteger(n) && n >= 1 && n <= 12) return n;
    throw new ConfigError(`${where}: ${JSON.stringify(part.slice(0, 20))} is not one of ${names.join(', ')}`);
  };
  const [a, b] = text.split(':');
  const range = { start: one(a ?? ''), end: one(b ?? a ?? '') };
  if (range.end < range.start)
    throw new ConfigError(`${where}: range ${JSON.stringify(text)} ends before it starts`);
  return range;
}

function numericRange(text: string, min: number, max: number, where: string, allowNegative: boolean): Range {
  const m = /^(-?\d+)(?::(-?\d+))?$/.exec(text.trim());
  const start = m ? Number(m[1]) : NaN;
  const end = m ? Number(m[2] ?? m[1]) : NaN;
  const valid = (n: number): boolean => Number.isInteger(n) && n >= min && n <= max && n !== 0;
  if (!m || !valid(start) || !valid(end) || (!allowNegative && (start < 0 || end < 0))) {
    throw new ConfigError(
      `${where}: ${JSON.stringify(text.slice(0, 20))} is not a range within ${min}..${max}`,
    );
  }
  if (Math.sign(start) === Math.sign(end) && end < start) {
    throw new ConfigError(`${where}: range ${JSON.stringify(text)} ends before it starts`);
  }
  return { start, end };
}
