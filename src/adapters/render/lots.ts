/** `lotsmith lots` output: open lots (valued when prices are given) and cash by account. */
import type { ValuedLot } from '../../core/ledger/holdings.js';
import type { AccountId } from '../../core/ledger/household.js';
import type { Usd } from '../../core/kernel/exact.js';
import type { Day } from '../../core/kernel/calendar.js';
import { csv, day, json, money, moneyText, px, qty, qtyText, table } from './text.js';
import { format, perShare } from '../../core/kernel/exact.js';

export interface LotsView {
  readonly asOf: Day | undefined;
  readonly lots: readonly ValuedLot[];
  readonly cash: ReadonlyMap<AccountId, Usd>;
}

const opt = (v: number | undefined, f: (n: number) => number): number | null => (v === undefined ? null : f(v));

export function lotsJson(v: LotsView): string {
  return json({
    asOf: v.asOf === undefined ? null : day(v.asOf),
    openLots: v.lots.map(({ lot: l, price, marketValue, unrealizedGain, term }) => ({
      account: l.account,
      symbol: l.symbol,
      lotId: l.id,
      shares: qty(l.shares),
      acquiredDate: day(l.acquired),
      adjustedAcquisitionDate: day(l.heldFrom),
      adjustedBasis: money(l.basis),
      basisPerShare: px(perShare(l.basis, l.shares)),
      washAdjustment: money(l.washAdjustment),
      term,
      price: opt(price, px),
      marketValue: opt(marketValue, money),
      unrealizedGainLoss: opt(unrealizedGain, money),
    })),
    cash: Object.fromEntries([...v.cash].map(([a, c]) => [a, money(c)])),
  });
}

const HEAD = ['account', 'symbol', 'lot_id', 'shares', 'acquired_date', 'adjusted_acquisition_date', 'adjusted_basis', 'wash_adjustment', 'term', 'price', 'market_value', 'unrealized_gain_loss'];

function cells(x: ValuedLot): string[] {
  const l = x.lot;
  return [
    l.account, l.symbol, l.id, qtyText(l.shares), day(l.acquired), day(l.heldFrom), moneyText(l.basis), moneyText(l.washAdjustment), x.term,
    x.price === undefined ? '' : format('price', x.price), x.marketValue === undefined ? '' : moneyText(x.marketValue),
    x.unrealizedGain === undefined ? '' : moneyText(x.unrealizedGain),
  ];
}

export function lotsCsv(v: LotsView): string {
  return csv(HEAD, v.lots.map(cells));
}

export function lotsTable(v: LotsView): string {
  const cash = [...v.cash].map(([a, c]) => `${a} ${moneyText(c)}`).join(', ');
  return [
    `Open lots${v.asOf !== undefined ? ` as of ${day(v.asOf)}` : ''} (${v.lots.length})`,
    table(['Account', 'Symbol', 'Lot', 'Shares', 'Acquired', 'Adj. acquired', 'Adj. basis', 'Wash adj.', 'Term', 'Price', 'Value', 'Unrealized'], v.lots.map(cells), 3),
    `Cash: ${cash}`,
  ].join('\n') + '\n';
}
