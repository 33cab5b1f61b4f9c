/**
 * Tax rates as exact integers: parts per million (ppm). 22 % is 220_000, 3.8 % is 38_000.
 *
 * Rule: a tax is amount x rate rounded to the cent. Brackets, breakpoints and rates in the
 * tables are decimal, so holding them as floats would make tax amounts drift by fractions of a
 * cent; ppm holds every statutory rate (and Massachusetts' 8.5 %, Georgia's 5.19 %) exactly.
 * Rounding is half away from zero, once per product (`mulDivRound` of src/core/kernel/exact.ts).
 *
 * Example: applyRate(usd('11525.01'), rate('0.22')) === usd('2535.50')  (2,535.5022 rounded).
 */
import { exact, mulDivRound, type Usd } from '../kernel/exact.js';

declare const rateBrand: unique symbol;
export type Rate = number & { readonly [rateBrand]: 'Rate' };

export const RATE_SCALE = 1_000_000;
export const ZERO_RATE = 0 as Rate;

export type RateParse = { readonly ok: true; readonly value: Rate } | { readonly ok: false; readonly reason: string };

/**
 * Parses a decimal rate (0.22 or "0.22") exactly. The 'shares' unit of the exact parser has the
 * same scale (1e-6), so its decimal parser is reused rather than duplicated.
 */
export function parseRate(value: number | string): RateParse {
  const r = exact('shares', value);
  if (!r.ok) return { ok: false, reason: r.reason.replace(/shares/g, 'a rate') };
  return { ok: true, value: (r.value as number) as Rate };
}

/** Literal constructor for code and tests; throws on malformed input. */
export function rate(value: number | string): Rate {
  const r = parseRate(value);
  if (!r.ok) throw new RangeError(r.reason);
  return r.value;
}

/** amount x rate, rounded to the cent. */
export function applyRate(amount: Usd, r: Rate): Usd {
  return mulDivRound(amount, r, RATE_SCALE) as Usd;
}

/**
 * Sum of amount x rate over several items, rounded once at the end (BigInt, so large amounts
 * cannot lose a cent): used where a formula prices several items together.
 */
export function sumAtRates(items: ReadonlyArray<readonly [Usd, Rate]>): Usd {
  let total = 0n;
  for (const [amount, r] of items) total += BigInt(amount) * BigInt(r);
  const scale = BigInt(RATE_SCALE);
  const negative = total < 0n;
  const abs = negative ? -total : total;
  const q = abs / scale;
  const rounded = 2n * (abs - q * scale) >= scale ? q + 1n : q;
  const n = Number(rounded);
  return (negative && n !== 0 ? -n : n) as Usd;
}

export const addRates = (...rates: readonly Rate[]): Rate => rates.reduce((a, b) => a + b, 0) as Rate;

/** rate x (1 - other), exact to the ppm: a state rate net of its federal deduction. */
export function netOf(r: Rate, other: Rate): Rate {
  return mulDivRound(r, RATE_SCALE - other, RATE_SCALE) as Rate;
}

/** The rate as a decimal JSON number (0.22), exact for ppm values. */
export const rateToNumber = (r: Rate): number => r / RATE_SCALE;

/** "22%", "3.8%", "8.75%" */
export function formatRate(r: Rate): string {
  return `${Number((r / 10_000).toFixed(4))}%`;
}
