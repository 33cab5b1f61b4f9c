/**
 * Exact numbers for the ledger: one representation, one constructor.
 *
 * Every quantity is a safe integer in JS `number` counting the smallest unit of its kind:
 *
 *   Shares — micro-shares (1e-6 share)        "2.3639"  -> 2_363_900
 *   Usd    — cents (1e-2 dollar)              "750.00"  -> 75_000
 *   Price  — 1e-8 dollar per share            "7.5"     -> 750_000_000
 *
 * The unit is a compile-time brand, so shares cannot be added to dollars. `exact(unit, value)` is
 * the only way a value enters the type (the `shares`/`usd`/`price` helpers delegate to it).
 * Products and ratios go through `mulDivRound`, which rounds half away from zero and is exact:
 * a float fast path whose error bound is checked, and a BigInt path for the rare near-ties.
 * Floats never hold ledger state; they appear only transiently inside that proof-carrying kernel.
 *
 * Example: 100 shares at $7.50 cost  usdOf(shares('100'), price('7.5')) === usd('750').
 */

export type Unit = 'shares' | 'usd' | 'price';
declare const unitBrand: unique symbol;
export type Exact<U extends Unit> = number & { readonly [unitBrand]: U };
export type Shares = Exact<'shares'>;
export type Usd = Exact<'usd'>;
export type Price = Exact<'price'>;

export const DECIMALS: Readonly<Record<Unit, number>> = { shares: 6, usd: 2, price: 8 };
export const SCALE: Readonly<Record<Unit, number>> = { shares: 1e6, usd: 1e2, price: 1e8 };
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export type ExactParse<U extends Unit> =
  | { readonly ok: true; readonly value: Exact<U> }
  | { readonly ok: false; readonly reason: string };

/**
 * Parses a decimal string (exact: more decimals than the unit holds is an error) or a JS number
 * (a binary float from JSON: rounded half away from zero to the unit, since it was never exact).
 */
export function exact<U extends Unit>(unit: U, value: string | number): ExactParse<U> {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { ok: false, reason: `not a finite number: ${value}` };
    return parseDecimal(unit, String(value), true);
  }
  return parseDecimal(unit, value, false);
}

/**
 * The allocation-free core of `exact` for decimal strings, for bulk decoders: the exact value, or
 * undefined when `exact` would report a problem (call `exact` then for the reason).
 */
export function tryExact<U extends Unit>(unit: U, text: string): Exact<U> | undefined {
  return tryExactAt(unit, text, 0, text.length);
}

/** `tryExact` of text[start, end), without copying it out. */
export function tryExactAt<U extends Unit>(unit: U, text: string, start: number, end: number): Exact<U> | undefined {
  if (end <= start) return undefined;
  const v = scanDecimal(text, start, end, DECIMALS[unit], SCALE[unit], false);
  return Number.isNaN(v) ? undefined : (v as Exact<U>);
}

/** Scaled value of the plain decimal text[start, end), or NaN (malformed, too precise unless rounding, out of range, exponent). */
function scanDecimal(text: string, start: number, end: number, decimals: number, scale: number, roundExcess: boolean): number {
  const n = end;
  let i = start;
  let negative = false;
  const first = text.charCodeAt(start);
  if (first === 45 || first === 43) {
    negative = first === 45;
    i = start + 1;
  }
  let intPart = 0;
  let intDigits = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    intPart = intPart * 10 + c;
    intDigits++;
  }
  let frac = 0;
  let fracDigits = 0;
  let excessNonZero = false;
  let roundUp = false;
  let hasPoint = false;
  if (i < n && text.charCodeAt(i) === 46) {
    hasPoint = true;
    i++;
    for (; i < n; i++) {
      const c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      if (fracDigits < decimals) frac = frac * 10 + c;
      else {
        if (fracDigits === decimals) roundUp = c >= 5;
        if (c !== 0) excessNonZero = true;
      }
      fracDigits++;
    }
  }
  if (i !== n || (intDigits === 0 && (!hasPoint || fracDigits === 0))) return NaN;
  if (excessNonZero && !roundExcess) return NaN;
  for (let k = Math.min(fracDigits, decimals); k < decimals; k++) frac *= 10;
  let scaled = intPart * scale + frac;
  if (excessNonZero && roundUp) scaled += 1;
  if (intDigits > 16 || !(scaled <= MAX_SAFE)) return NaN;
  return negative && scaled !== 0 ? -scaled : scaled;
}

function parseDecimal<U extends Unit>(unit: U, text: string, roundExcess: boolean): ExactParse<U> {
  const fast = scanDecimal(text, 0, text.length, DECIMALS[unit], SCALE[unit], roundExcess);
  if (!Number.isNaN(fast)) return { ok: true, value: fast as Exact<U> };
  return explainDecimal(unit, text, roundExcess);
}

/** Why a text is not an exact value of `unit` — or its value, for the exponent forms JSON may use. */
function explainDecimal<U extends Unit>(unit: U, text: string, roundExcess: boolean): ExactParse<U> {
  if (/^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$/.test(text)) return parseScientific(unit, text, roundExcess);
  const m = /^[+-]?(\d*)(?:\.(\d*))?$/.exec(text);
  if (m === null || ((m[1] ?? '') === '' && (m[2] ?? '') === '')) return { ok: false, reason: `not a decimal number: "${text}"` };
  if ((m[2] ?? '').replace(/0+$/, '').length > DECIMALS[unit] && !roundExcess) {
    return { ok: false, reason: `"${text}" has more than ${DECIMALS[unit]} decimal places` };
  }
  return { ok: false, reason: `"${text}" is out of range for ${unit}` };
}

function parseScientific<U extends Unit>(unit: U, text: string, roundExcess: boolean): ExactParse<U> {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?[eE]([+-]?\d+)$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return { ok: false, reason: `not a decimal number: "${text}"` };
  const digits = BigInt((m[2] ?? '') + (m[3] ?? '') || '0');
  const shift = Number(m[4]) - (m[3] ?? '').length + DECIMALS[unit];
  let scaled: bigint;
  if (shift >= 0) {
    scaled = digits * 10n ** BigInt(shift);
  } else {
    const div = 10n ** BigInt(-shift);
    const q = digits / div;
    const r = digits - q * div;
    if (r !== 0n && !roundExcess) {
      return { ok: false, reason: `"${text}" has more than ${DECIMALS[unit]} decimal places` };
    }
    scaled = 2n * r >= div ? q + 1n : q;
  }
  if (scaled > BigInt(MAX_SAFE)) return { ok: false, reason: `"${text}" is out of range for ${unit}` };
  const value = m[1] === '-' ? -Number(scaled) : Number(scaled);
  return { ok: true, value: (value === 0 ? 0 : value) as Exact<U> };
}

function must<U extends Unit>(unit: U, value: string | number): Exact<U> {
  const r = exact(unit, value);
  if (!r.ok) throw new RangeError(r.reason);
  return r.value;
}

/** Literal constructors for code and tests; they throw on malformed input. */
export const shares = (value: string | number): Shares => must('shares', value);
export const usd = (value: string | number): Usd => must('usd', value);
export const price = (value: string | number): Price => must('price', value);

/** Reinterprets a raw scaled integer (from typed arrays or storage) as a unit; checked. */
export function fromScaled<U extends Unit>(_unit: U, scaled: number): Exact<U> {
  if (!Number.isSafeInteger(scaled)) throw new RangeError(`not a scaled integer: ${scaled}`);
  return scaled as Exact<U>;
}

export const ZERO_SHARES = 0 as Shares;
export const ZERO_USD = 0 as Usd;

/**
 * round(a * b / c), half away from zero, exact for any safe integers a, b and c > 0 whose result
 * is a safe integer. Products above 2^53 use a float estimate whose relative error is below
 * 3e-16; only when the estimate lies within that error of a .5 boundary do we redo it in BigInt.
 */
export function mulDivRound(a: number, b: number, c: number): number {
  if (c <= 0) throw new RangeError('mulDivRound: divisor must be positive');
  const negative = a < 0 !== b < 0;
  const A = Math.abs(a);
  const B = Math.abs(b);
  const p = A * B;
  let q: number;
  if (p <= MAX_SAFE) {
    q = divRoundNonNegative(p, c);
  } else {
    const x = p / c;
    if (!(x < MAX_SAFE)) throw new RangeError(`mulDivRound overflow: ${a} * ${b} / ${c}`);
    const f = Math.floor(x);
    const d = x - f - 0.5;
    q = Math.abs(d) > x * 1e-15 ? (d > 0 ? f + 1 : f) : bigDivRound(A, B, c);
  }
  return negative && q !== 0 ? -q : q;
}

function divRoundNonNegative(p: number, c: number): number {
  let q = Math.floor(p / c);
  let r = p - q * c;
  if (r < 0) {
    q -= 1;
    r += c;
  } else if (r >= c) {
    q += 1;
    r -= c;
  }
  return 2 * r >= c ? q + 1 : q;
}

function bigDivRound(a: number, b: number, c: number): number {
  const p = BigInt(a) * BigInt(b);
  const C = BigInt(c);
  const q = p / C;
  const r = p - q * C;
  return Number(2n * r >= C ? q + 1n : q);
}

/** Cost or proceeds of a trade, to the cent: shares x price. */
export function usdOf(quantity: Shares, unitPrice: Price): Usd {
  return mulDivRound(quantity, unitPrice, SCALE.shares * SCALE.price / SCALE.usd) as Usd;
}

/** The part of `total` that belongs to `part` out of `whole` (e.g. basis of shares sold). */
export function prorate<U extends Unit>(total: Exact<U>, part: number, whole: number): Exact<U> {
  if (part === whole) return total;
  return mulDivRound(total, part, whole) as Exact<U>;
}

/**
 * Splits `total` into portions proportional to `weights` that add up to `total` exactly
 * (cumulative rounding, so no cent is created or lost and the order of weights is stable).
 */
export function allocate<U extends Unit>(total: Exact<U>, weights: readonly number[]): Exact<U>[] {
  let whole = 0;
  for (const w of weights) whole += w;
  const out: Exact<U>[] = [];
  if (whole === 0) {
    for (let i = 0; i < weights.length; i++) out.push((i === 0 ? total : 0) as Exact<U>);
    return out;
  }
  let cumulative = 0;
  let given = 0;
  for (const w of weights) {
    cumulative += w;
    const upTo = cumulative === whole ? total : mulDivRound(total, cumulative, whole);
    out.push((upTo - given) as Exact<U>);
    given = upTo;
  }
  return out;
}

/** Scales by a ratio to/from (splits: 3-for-2 is to=3, from=2), rounded to the unit. */
export function scaleBy<U extends Unit>(value: Exact<U>, to: number, from: number): Exact<U> {
  return mulDivRound(value, to, from) as Exact<U>;
}

/** Price per share implied by a total (basis / shares), for display and HIFO ordering. */
export function perShare(total: Usd, quantity: Shares): Price {
  if (quantity === 0) return 0 as Price;
  return mulDivRound(total, SCALE.price * SCALE.shares / SCALE.usd, quantity) as Price;
}

/** Fixed-point text: always the unit's decimals for money, trimmed for shares and prices. */
export function format(unit: Unit, value: number): string {
  const decimals = DECIMALS[unit];
  const negative = value < 0;
  const abs = Math.abs(value);
  const scale = SCALE[unit];
  const int = Math.floor(abs / scale);
  let frac = String(abs - int * scale).padStart(decimals, '0');
  if (unit !== 'usd') frac = frac.replace(/0+$/, '');
  const body = frac.length > 0 ? `${int}.${frac}` : String(int);
  return negative ? `-${body}` : body;
}

/** The decimal value as a JSON number: the shortest double that prints as the exact decimal. */
export function toNumber(unit: Unit, value: number): number {
  return Number(format(unit, value));
}

export const formatUsd = (v: Usd): string => format('usd', v);
export const formatShares = (v: Shares): string => format('shares', v);
export const formatPrice = (v: Price): string => format('price', v);
