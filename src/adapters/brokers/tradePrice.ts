/**
 * The price a trade is booked at, so that its cost (or proceeds) in the ledger is the cash the
 * broker actually moved.
 *
 * Brokers print prices rounded (Schwab to 2–4 decimals), and the Amount column is what was paid:
 * 1.6531 SPY reinvested "at $420.10" cost $694.48, not 1.6531 x 420.10 = $694.47. Basis is what
 * was paid (Pub 551), so when the printed price does not reproduce the amount to the cent, the
 * price is taken as (amount -/+ fees) / quantity to 8 decimals — which reproduces it. A printed
 * price that is far from that (over 1% and over 5 cents of the gross) means the row contradicts
 * itself and is reported instead.
 *
 * Example: tradePrice(shares('1.6531'), price('420.10'), usd('694.48')) gives 420.10762809.
 */
import { formatUsd, perShare, usdOf, type Price, type Shares, type Usd } from '../../core/kernel/exact.js';

export type TradePrice =
  | { readonly ok: true; readonly price: Price; readonly fromAmount: boolean }
  | { readonly ok: false; readonly reason: string };

const TOLERANCE_CENTS = 5;
const TOLERANCE_RELATIVE = 0.01;

/** `gross`: shares x price as the amount implies it (the amount net of fees), when the row gives one. */
export function tradePrice(quantity: Shares, stated: Price | undefined, gross: Usd | undefined): TradePrice {
  if (gross === undefined) {
    return stated === undefined ? { ok: false, reason: 'neither a price nor an amount is given' } : { ok: true, price: stated, fromAmount: false };
  }
  if (gross < 0) return { ok: false, reason: `the fees exceed the amount (gross ${formatUsd(gross)})` };
  if (stated !== undefined) {
    const printed = usdOf(quantity, stated);
    if (printed === gross) return { ok: true, price: stated, fromAmount: false };
    const off = Math.abs(printed - gross);
    if (off > TOLERANCE_CENTS && off > gross * TOLERANCE_RELATIVE) {
      return { ok: false, reason: `quantity x price is ${formatUsd(printed as Usd)} but the amount implies ${formatUsd(gross)}` };
    }
  }
  return { ok: true, price: reproducing(quantity, gross), fromAmount: true };
}

/** The 1e-8 price nearest gross / quantity whose cost rounds back to `gross` exactly, when one exists. */
function reproducing(quantity: Shares, gross: Usd): Price {
  const base = perShare(gross, quantity);
  for (let step = 0; step <= 4; step++) {
    for (const p of step === 0 ? [base] : [base - step, base + step]) {
      if (p >= 0 && usdOf(quantity, p as Price) === gross) return p as Price;
    }
  }
  return base;
}
