/**
 * A JSON number kept as the text it was written with, so uint64 counters above 2^53 survive parsing
 * (`JSON.parse` would round them, and Node 20's reviver cannot see the source text).
 */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export interface MetricValue {
  value: number;
  /** Exact decimal text, present when the source integer was beyond 2^53 and `value` is rounded. */
  valueText?: string;
}

const INTEGER = /^-?\d+$/;

/**
 * The value of `number` × 10^-`scale` (scale 9: ns → s, 6: µs → s, 0: as is). Integers are scaled in
 * decimal text, so the float is correctly rounded once and the exact text is kept when it matters.
 */
export function scaledValue(number: JsonNumber, scale = 0): MetricValue {
  const { text } = number;
  if (!INTEGER.test(text)) return { value: Number(text) / 10 ** scale };
  const exact = shiftDecimalPoint(text, scale);
  const value = Number(exact);
  return Number.isSafeInteger(Number(text)) ? { value } : { value, valueText: exact };
}

/** `"18446744073709551615"`, 9 → `"18446744073.709551615"`; leading zeros and trailing fraction zeros are dropped. */
export function shiftDecimalPoint(integerText: string, scale: number): string {
  const negative = integerText.startsWith('-');
  const digits = stripLeadingZeros(negative ? integerText.slice(1) : integerText).padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  const magnitude = fraction === '' ? whole : `${whole}.${fraction}`;
  return negative && magnitude !== '0' ? `-${magnitude}` : magnitude;
}

function stripLeadingZeros(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  return digits.slice(i);
}
