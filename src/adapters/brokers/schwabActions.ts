/**
 * Schwab's Action column and how each action is booked (docs/imports.md, "Schwab transactions").
 *
 * Schwab publishes no list of actions; this table holds those seen in real exports. Cash rows book
 * by the sign of their amount; rows that move shares book as trades, or as a split stated in
 * shares; everything that changes lots in a way this file cannot describe (mergers, spin-offs,
 * shares journaled in, equity-award deposits, options, short sales, return of capital) stops the
 * import with what to do instead. An action not in the table stops it too: unknown is never
 * skipped.
 */
import { corporateActionWhy, OPTIONS_WHY, returnOfCapitalWhy, sharesMovedWhy, stockDividendWhy } from './unsupported.js';

export type SchwabBooking =
  | { readonly kind: 'buy' }
  | { readonly kind: 'sell' }
  /** Reinvest Shares: the purchase made with a dividend whose own row books the income. */
  | { readonly kind: 'reinvest' }
  /** Dividends and capital-gain distributions, paid in cash or to be reinvested. */
  | { readonly kind: 'income' }
  | { readonly kind: 'interest' }
  /** Money moved in or out (bank links, wires, journals of cash). */
  | { readonly kind: 'cash' }
  /** Fees and taxes withheld (a positive amount is a refund). */
  | { readonly kind: 'fee' }
  | { readonly kind: 'cashInLieu' }
  | { readonly kind: 'split' }
  | { readonly kind: 'reverseSplit' }
  | { readonly kind: 'stop'; readonly why: string };

const LOT_DETAILS = 'a Lot Details export';
export const CORPORATE_ACTION = corporateActionWhy(LOT_DETAILS);
export const SHARES_MOVED = sharesMovedWhy(LOT_DETAILS);
const STOCK_DIVIDEND = stockDividendWhy(LOT_DETAILS);
const RETURN_OF_CAPITAL = returnOfCapitalWhy(LOT_DETAILS);
const STOCK_PLAN =
  'shares deposited from an equity award: their basis (the fair market value at vesting) is not in this file. ' +
  'Book a transfer_in with the vest date and value from the Equity Award Center, or import a Lot Details export taken after the deposit';
const OPTIONS = OPTIONS_WHY;

const B = (kind: Exclude<SchwabBooking['kind'], 'stop'>): SchwabBooking => ({ kind }) as SchwabBooking;
const STOP = (why: string): SchwabBooking => ({ kind: 'stop', why });

const TABLE: Readonly<Record<string, SchwabBooking>> = {
  buy: B('buy'),
  sell: B('sell'),
  'reinvest shares': B('reinvest'),
  'cash dividend': B('income'),
  'qualified dividend': B('income'),
  'non-qualified div': B('income'),
  'special dividend': B('income'),
  'special qual div': B('income'),
  'special non qual div': B('income'),
  'qual div reinvest': B('income'),
  'reinvest dividend': B('income'),
  'pr yr div reinvest': B('income'),
  'pr yr cash div': B('income'),
  'pr yr special div': B('income'),
  'pr yr non-qual div': B('income'),
  'pr yr non qual div': B('income'),
  'long term cap gain': B('income'),
  'short term cap gain': B('income'),
  'long term cap gain reinvest': B('income'),
  'short term cap gain reinvest': B('income'),
  'pr yr lt cap gain': B('income'),
  'pr yr st cap gain': B('income'),
  dividend: B('income'),
  'bank interest': B('interest'),
  'credit interest': B('interest'),
  'bond interest': B('interest'),
  'margin interest': B('interest'),
  'interest adj': B('interest'),
  journal: B('cash'),
  'moneylink transfer': B('cash'),
  'moneylink deposit': B('cash'),
  'moneylink adj': B('cash'),
  'bank transfer': B('cash'),
  'wire sent': B('cash'),
  'wire received': B('cash'),
  'wire funds': B('cash'),
  'wire funds received': B('cash'),
  'funds received': B('cash'),
  'promotional award': B('cash'),
  'misc cash entry': B('cash'),
  'internal transfer': B('cash'),
  'security transfer': B('cash'),
  'nra tax adj': B('fee'),
  'nra withholding': B('fee'),
  'foreign tax paid': B('fee'),
  'adr mgmt fee': B('fee'),
  'advisor fee': B('fee'),
  'service fee': B('fee'),
  'cash in lieu': B('cashInLieu'),
  'stock split': B('split'),
  'reverse split': B('reverseSplit'),
  'stock merger': STOP(CORPORATE_ACTION),
  'cash merger': STOP(CORPORATE_ACTION),
  'cash merger adj': STOP(CORPORATE_ACTION),
  'spin-off': STOP(CORPORATE_ACTION),
  'name change': STOP(CORPORATE_ACTION),
  conversion: STOP(CORPORATE_ACTION),
  'stock div dist': STOP(STOCK_DIVIDEND),
  'mandatory reorg exc': STOP(CORPORATE_ACTION),
  'journaled shares': STOP(SHARES_MOVED),
  'stock plan activity': STOP(STOCK_PLAN),
  'return of capital': STOP(RETURN_OF_CAPITAL),
  'sell short': STOP(OPTIONS),
  'buy to cover': STOP(OPTIONS),
  'buy to open': STOP(OPTIONS),
  'sell to open': STOP(OPTIONS),
  'buy to close': STOP(OPTIONS),
  'sell to close': STOP(OPTIONS),
  assigned: STOP(OPTIONS),
  expired: STOP(OPTIONS),
  'exchange or exercise': STOP(OPTIONS),
};

export function schwabBooking(action: string): SchwabBooking | undefined {
  return TABLE[action.replace(/\s+/g, ' ').trim().toLowerCase()];
}

