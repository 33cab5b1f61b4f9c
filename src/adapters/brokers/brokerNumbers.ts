/**
 * Numbers and identifiers as brokers write them, turned into the ledger's exact units.
 *
 * Broker files state more precision than the ledger keeps (Fidelity OFX prices to 9 decimals,
 * Vanguard totals to 5) and spell numbers their own way (`+0000000000100.00000`, `100,50`). The
 * cash a trade moved is what the custodian charged or paid, so a trade is booked from its total:
 * the price is the one that reproduces the total exactly in cents (the stated unit price when it
 * does), and the fees are what the file says they are.
 *
 * Example: 100 shares, total -2571.45, commission 7.95 -> price 25.635, fees 7.95
 * (usdOf(100, 25.635) + 7.95 = 2571.45, the cash that left the account).
 */
import { DECIMALS, exact, perShare, usdOf, type Exact, type Price, type Shares, type Unit, type Usd } from '../../core/kernel/exact.js';

export type Parsed<T> = { readonly ok: true; readonly value: T; readonly rounded: boolean } | { readonly ok: false; readonly reason: string };

/**
 * A decimal as brokers write it: optional sign (`+` too), leading zeros, a decimal comma when no
 * point is present. More decimals than the unit keeps are rounded half away from zero, and
 * `rounded` says so; malformed text is a reason, never a guess.
 */
export function brokerDecimal<U extends Unit>(unit: U, raw: string): Parsed<Exact<U>> {
  let text = raw.trim();
  if (text.includes(',') && !text.includes('.')) text = text.replace(',', '.');
  const m = /^([+-]?)0*(\d*)(?:\.(\d*))?$/.exec(text);
  if (m === null || ((m[2] ?? '') === '' && (m[3] ?? '') === '' && !/0/.test(text))) {
    return { ok: false, reason: `not a number: "${raw.trim()}"` };
  }
  const sign = m[1] === '-' ? '-' : '';
  const int = m[2] === '' ? '0' : (m[2] as string);
  const frac = m[3] ?? '';
  const decimals = DECIMALS[unit];
  const kept = frac.slice(0, decimals);
  const roundUp = frac.length > decimals && (frac.charCodeAt(decimals) - 48) >= 5;
  const rounded = frac.length > decimals && /[1-9]/.test(frac.slice(decimals));
  const base = exact(unit, `${sign}${int}${kept === '' ? '' : `.${kept}`}`);
  if (!base.ok) return { ok: false, reason: base.reason };
  const value = roundUp ? ((base.value as number) + (sign === '-' ? -1 : 1)) : (base.value as number);
  return { ok: true, value: (value === 0 ? 0 : value) as Exact<U>, rounded };
}

export interface TradeAmounts {
  readonly price: Price;
  readonly fees: Usd;
  /** Set when the stated unit price times shares misses the gross amount by more than a cent. */
  readonly disagreement?: Usd;
  /** Cash short of shares x price by up to 1% (a fee the file did not itemize), added to the fees. */
  readonly unitemized?: Usd;
}

export interface TradeFacts {
  readonly side: 'buy' | 'sell';
  readonly shares: Shares;
  readonly statedPrice?: Price;
  /** Cash that moved, unsigned: paid for a buy (fees included), received for a sale (fees deducted). */
  readonly cash?: Usd;
  readonly fees: Usd;
}

/**
 * Price and fees for a buy or sell such that the ledger's cash (shares x price + fees for a buy,
 * shares x price - fees for a sale) equals the cash the file says moved. The stated price is kept
 * when it fits, or when the cash is less favourable by at most 1% (the difference is a fee the file
 * did not itemize); otherwise the price is the one that fits. Without a total the stated price is
 * taken as it is. Fails when the fees exceed what was paid, or no price fits.
 */
export function tradeAmounts(t: TradeFacts): { readonly ok: true; readonly value: TradeAmounts } | { readonly ok: false; readonly reason: string } {
  if (t.shares <= 0) return { ok: false, reason: 'the number of shares must be positive' };
  if (t.cash === undefined || (t.cash === 0 && t.statedPrice !== undefined && t.statedPrice > 0)) {
    if (t.statedPrice === undefined) return { ok: false, reason: 'neither a price nor a total is given' };
    return { ok: true, value: { price: t.statedPrice, fees: t.fees } };
  }
  const gross = (t.side === 'buy' ? t.cash - t.fees : t.cash + t.fees) as Usd;
  if (gross < 0) return { ok: false, reason: `the fees (${t.fees / 100}) exceed the total paid (${t.cash / 100})` };
  if (t.statedPrice !== undefined && t.statedPrice > 0) {
    const atPrice = usdOf(t.shares, t.statedPrice);
    if (atPrice === gross) return { ok: true, value: { price: t.statedPrice, fees: t.fees } };
    // Cash less favourable than the price by a little: a fee the file did not itemize (an SEC fee).
    const unitemized = t.side === 'buy' ? gross - atPrice : atPrice - gross;
    if (unitemized > 0 && unitemized * 100 <= atPrice) {
      return { ok: true, value: { price: t.statedPrice, fees: (t.fees + unitemized) as Usd, unitemized: unitemized as Usd } };
    }
  }
  const price = perShare(gross, t.shares);
  if (usdOf(t.shares, price) !== gross) return { ok: false, reason: 'no price per share reproduces the total to the cent' };
  const stated = t.statedPrice === undefined || t.statedPrice === 0 ? undefined : usdOf(t.shares, t.statedPrice);
  const miss = stated === undefined ? 0 : Math.abs(stated - gross);
  return { ok: true, value: miss > 1 ? { price, fees: t.fees, disagreement: miss as Usd } : { price, fees: t.fees } };
}

/** Whether `id` is a CUSIP with a valid check digit (Vanguard labels internal ids as CUSIPs). */
export function isCusip(id: string): boolean {
  if (!/^[0-9A-Z*@#]{8}[0-9]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = id.charAt(i);
    let v: number;
    if (c >= '0' && c <= '9') v = c.charCodeAt(0) - 48;
    else if (c >= 'A' && c <= 'Z') v = c.charCodeAt(0) - 55;
    else v = c === '*' ? 36 : c === '@' ? 37 : 38;
    if (i % 2 === 1) v *= 2;
    sum += Math.floor(v / 10) + (v % 10);
  }
  return (10 - (sum % 10)) % 10 === id.charCodeAt(8) - 48;
}

/** The CUSIP inside a US or Canadian ISIN (`US0378331005` -> `037833100`), when it checks out. */
export function cusipOfIsin(isin: string): string | undefined {
  const m = /^(US|CA)([0-9A-Z]{9})\d$/.exec(isin);
  if (m === null) return undefined;
  const cusip = m[2] as string;
  return isCusip(cusip) ? cusip : undefined;
}
