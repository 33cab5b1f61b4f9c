/**
 * Exact numbers for people. The API sends amounts at their exact scale (cents, micro-shares,
 * 1e-8 dollars), as JSON numbers or decimal strings; they are read digit by digit into scaled
 * bigints, summed as bigints and printed with thousands separators, so no float noise
 * (0.1 + 0.2) ever reaches the screen.
 */

export type Decimal = number | string;

export interface Scaled {
  readonly units: bigint;
  readonly decimals: number;
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/**
 * A decimal string or number as an integer count of 10^-decimals. A JSON number is read through
 * its shortest round-trip string, which is the decimal the server wrote; digits beyond the scale
 * round half away from zero (the server never sends them for its own units).
 */
export function scaled(value: Decimal, decimals: number): Scaled {
  const text = typeof value === 'number' ? numberText(value) : value.trim().replace(/,/g, '');
  const m = DECIMAL.exec(text);
  if (m === null || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`not a decimal number: ${JSON.stringify(value)}`);
  const sign = m[1] === '-' ? -1n : 1n;
  let digits = (m[2] ?? '') + (m[3] ?? '');
  let point = (m[2] ?? '').length + Number(m[4] ?? '0');
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  const whole = digits.slice(0, point).padEnd(point, '0');
  const fraction = digits.slice(point);
  const kept = fraction.slice(0, decimals).padEnd(decimals, '0');
  let units = BigInt((whole + kept) || '0');
  const next = fraction.charCodeAt(decimals) - 48;
  if (next >= 5) units += 1n;
  return { units: sign * units, decimals };
}

function numberText(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
  return String(v);
}

export const cents = (value: Decimal): bigint => scaled(value, 2).units;

const GROUPED = new Intl.NumberFormat('en-US', { useGrouping: true, maximumFractionDigits: 0 });

/** "-1,234.5" style digits of a scaled value with exactly `minDecimals`..`decimals` places. */
export function digits(v: Scaled, minDecimals = v.decimals): string {
  const negative = v.units < 0n;
  const abs = negative ? -v.units : v.units;
  const base = 10n ** BigInt(v.decimals);
  const whole = GROUPED.format(abs / base);
  let fraction = (abs % base).toString().padStart(v.decimals, '0');
  while (fraction.length > minDecimals && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  const body = fraction.length > 0 ? `${whole}.${fraction}` : whole;
  return negative && abs !== 0n ? `-${body}` : body;
}

/** "$1,234.56", "-$80.00". */
export function usd(value: Decimal | bigint): string {
  const c = typeof value === 'bigint' ? value : cents(value);
  const text = digits({ units: c < 0n ? -c : c, decimals: 2 });
  return c < 0n ? `-$${text}` : `$${text}`;
}

/** Sum of amounts as exact cents. */
export function sumCents(values: Iterable<Decimal>): bigint {
  let total = 0n;
  for (const v of values) total += cents(v);
  return total;
}

/** Shares: up to six decimals, trailing zeros dropped ("1,250", "3.5"). */
export const shares = (value: Decimal): string => digits(scaled(value, 6), 0);

/** Prices: at least two decimals, up to eight ("$101.25", "$0.12345678"). */
export function price(value: Decimal): string {
  const v = scaled(value, 8);
  const text = digits({ units: v.units < 0n ? -v.units : v.units, decimals: 8 }, 2);
  return v.units < 0n ? `-$${text}` : `$${text}`;
}

/** A fraction as a percent: 0.01234 → "1.23%". Yields are ratios, not money, so floats are fine. */
export function percent(fraction: number, places = 2): string {
  return `${(fraction * 100).toFixed(places)}%`;
}

/** Whole counts with separators. */
export const count = (n: number): string => GROUPED.format(n);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-03-09" → "Mar 9, 2026" (calendar dates, no time zone involved). */
export function calendarDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (m === null) return iso;
  return `${MONTHS[Number(m[2]) - 1] ?? m[2]} ${Number(m[3])}, ${m[1]}`;
}

/** An ISO timestamp in the reader's locale and zone, to the minute. */
export function timestamp(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
}

/** Days from one calendar date to another (both YYYY-MM-DD), by UTC midnight. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** "1 proposal", "3 proposals", "1,204 errors". */
export const plural = (n: number, noun: string, many = `${noun}s`): string => `${count(n)} ${n === 1 ? noun : many}`;
