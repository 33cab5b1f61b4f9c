/**
 * A simulated taxable brokerage account: exact lots and cash, the trades of the last 30 days, and
 * every event it books, so the real ledger and wash-sale engine can re-book the whole history at
 * the end and confirm the simulation (verify.ts).
 *
 * Execution rules:
 *  - Orders fill at the day's close less half the spread for a sale and plus half the spread for a
 *    purchase, rounded to the price grid (1e-8 $); no commission unless the config sets one.
 *  - Sales relieve exactly the lots the order names (specific identification, as the ledger does
 *    with `selectLots`), proceeds split over lots by shares with `allocate`, as the ledger does.
 *  - A purchase spends at most the dollars the order names, at the fill price; when the day's
 *    sales raised less than planned (the spread), every purchase of the day is scaled down
 *    pro rata so cash never goes negative.
 *  - A dividend is paid in cash on its ex-date on the shares held at the previous close.
 *
 * Event ids are `${prefix}${n}`; a lot's id is its purchase's event id, and the part left after a
 * partial sale keeps it (lots.ts), so the ids the policy names are the ledger's ids.
 */
import type { Day } from '../kernel/calendar.js';
import { exact, mulDivRound, usdOf, type Price, type Shares, type Usd } from '../kernel/exact.js';
import type { LedgerEvent } from '../ledger/events.js';
import { termOf } from '../ledger/holdingPeriod.js';
import { eventId, type Account, type Symbol } from '../ledger/household.js';
import { selectLots } from '../ledger/lotSelection.js';
import { proceedsByPart, relieve, type Lot } from '../ledger/lots.js';
import { sharesFor, type BuyOrder, type Order, type SellOrder } from '../harvest/orders.js';
import type { TradeRecord } from '../harvest/state.js';
import { WASH_WINDOW_DAYS } from '../ledger/washSales.js';

/** What a day's sales realized, by term and by whether the harvest rule sold them. */
export interface Realized {
  shortTerm: number;
  longTerm: number;
  /** Losses (positive) realized by the harvest rule. */
  harvestedShort: number;
  harvestedLong: number;
  /** Losses (positive) realized by any rule. */
  lossesShort: number;
  lossesLong: number;
}

const noRealized = (): Realized => ({ shortTerm: 0, longTerm: 0, harvestedShort: 0, harvestedLong: 0, lossesShort: 0, lossesLong: 0 });

export interface Fills {
  /** Half spread in parts per million of the price, per symbol. */
  halfSpreadPpm(symbol: Symbol): number;
  /** Commission per order, cents. */
  readonly commission: Usd;
}

const PPM = 1_000_000;

export function fillPrice(close: Price, halfSpreadPpm: number, side: 'buy' | 'sell'): Price {
  const k = side === 'buy' ? PPM + halfSpreadPpm : PPM - halfSpreadPpm;
  return mulDivRound(close, k, PPM) as Price;
}

export class Brokerage {
  /** Open lots in acquisition order. */
  lots: readonly Lot[] = [];
  cash = 0;
  /** Trades of the last 30 days, oldest first. */
  trades: readonly TradeRecord[] = [];
  readonly events: LedgerEvent[] = [];
  /** Micro-shares held per symbol (the sum of its lots). */
  readonly held = new Map<Symbol, number>();
  private next = 0;

  constructor(
    readonly account: Account,
    private readonly prefix: string,
    private readonly fills: Fills,
    private readonly keepEvents: boolean,
  ) {}

  private id(): string {
    this.next += 1;
    return `${this.prefix}${this.next}`;
  }

  private record(e: LedgerEvent): void {
    if (this.keepEvents) this.events.push(e);
  }

  deposit(date: Day, amount: Usd): void {
    if (amount <= 0) return;
    this.cash += amount;
    this.record({ id: eventId(this.id()), date, account: this.account.id, kind: 'deposit', amount });
  }

  /** Takes a fee (or withdrawal) out of cash, at most the cash there is; returns what was taken. */
  charge(date: Day, amount: Usd, kind: 'fee' | 'withdrawal'): Usd {
    const paid = Math.max(0, Math.min(amount, this.cash)) as Usd;
    if (paid <= 0) return 0 as Usd;
    this.cash -= paid;
    this.record({ id: eventId(this.id()), date, account: this.account.id, kind, amount: paid });
    return paid;
  }

  /** Pays a dividend of `perShare` dollars on every share of `symbol` held; returns the cash. */
  payDividend(date: Day, symbol: Symbol, perShare: number): Usd {
    const held = this.held.get(symbol) ?? 0;
    if (held <= 0) return 0 as Usd;
    const rate = exact('price', perShare);
    if (!rate.ok) return 0 as Usd;
    const amount = usdOf(held as Shares, rate.value);
    if (amount <= 0) return 0 as Usd;
    this.cash += amount;
    this.record({ id: eventId(this.id()), date, account: this.account.id, kind: 'dividend', symbol, amount });
    return amount;
  }

  /** Drops trades older than the wash window. */
  forget(date: Day): void {
    const from = date - WASH_WINDOW_DAYS;
    if (this.trades.length > 0 && (this.trades[0] as TradeRecord).date < from) this.trades = this.trades.filter((t) => t.date >= from);
  }

  /**
   * Executes a day's orders (sells first, as the policy returns them), keeping `reserve` cents of
   * cash aside for a withdrawal paid after them; returns what the sales realized.
   */
  execute(date: Day, orders: readonly Order[], reserve: Usd): Realized {
    const out = noRealized();
    const trades = [...this.trades];
    for (const o of orders) if (o.side === 'sell') this.sell(date, o, out, trades);
    const buys = orders.filter((o): o is BuyOrder => o.side === 'buy');
    let wanted = 0;
    for (const b of buys) wanted += b.amount;
    const available = Math.max(0, this.cash - reserve - this.fills.commission * buys.length);
    // The day's purchases are appended to one new list: the lots before them stay a prefix of it.
    const lots = buys.length > 0 ? [...this.lots] : undefined;
    for (const b of buys) {
      const amount = (wanted <= available ? b.amount : mulDivRound(b.amount, available, wanted)) as Usd;
      this.buy(date, b, amount, trades, lots as Lot[]);
    }
    if (lots !== undefined && lots.length > this.lots.length) this.lots = lots;
    this.trades = trades;
    return out;
  }

  private sell(date: Day, o: SellOrder, out: Realized, trades: TradeRecord[]): void {
    const position = this.lots.filter((l) => l.symbol === o.symbol);
    const selection = { method: 'SPECIFIC' as const, lots: o.lots.map((l) => ({ lot: l.lotId, shares: l.shares })) };
    const price = fillPrice(o.price, this.fills.halfSpreadPpm(o.symbol), 'sell');
    const picked = selectLots(position, o.shares, selection, { date, price });
    if (!picked.ok) throw new Error(`simulated sale of ${o.symbol} on ${date}: ${picked.message}`);
    const parts = relieve(position, picked.reliefs);
    const relieved = parts.map((p) => p.part);
    const net = (usdOf(o.shares, price) - this.fills.commission) as Usd;
    const proceeds = proceedsByPart(net, relieved);
    let lossSale = false;
    relieved.forEach((lot, k) => {
      const gain = (proceeds[k] as number) - lot.basis;
      lossSale ||= gain < 0;
      const short = termOf(lot.heldFrom, date) === 'short';
      if (short) out.shortTerm += gain;
      else out.longTerm += gain;
      if (gain < 0) {
        if (short) out.lossesShort -= gain;
        else out.lossesLong -= gain;
        if (o.rule === 'harvest') {
          if (short) out.harvestedShort -= gain;
          else out.harvestedLong -= gain;
        }
      }
    });
    const replaced = new Map(parts.map((p) => [p.lot, p.rest]));
    const kept: Lot[] = [];
    for (const lot of this.lots) {
      if (!replaced.has(lot)) kept.push(lot);
      else {
        const rest = replaced.get(lot);
        if (rest !== undefined) kept.push(rest);
      }
    }
    this.lots = kept;
    this.held.set(o.symbol, (this.held.get(o.symbol) ?? 0) - o.shares);
    this.cash += net;
    trades.push({ date, account: this.account.id, symbol: o.symbol, side: 'sell', lossSale });
    this.record({
      id: eventId(this.id()),
      date,
      account: this.account.id,
      kind: 'sell',
      symbol: o.symbol,
      shares: o.shares,
      price,
      fees: this.fills.commission,
      selection,
    });
  }

  private buy(date: Day, o: BuyOrder, amount: Usd, trades: TradeRecord[], lots: Lot[]): void {
    const price = fillPrice(o.price, this.fills.halfSpreadPpm(o.symbol), 'buy');
    const shares = sharesFor(amount, price);
    if (shares <= 0) return;
    const cost = (usdOf(shares, price) + this.fills.commission) as Usd;
    const id = this.id();
    const lot: Lot = {
      id,
      origin: eventId(id),
      seq: this.next,
      account: this.account.id,
      symbol: o.symbol,
      shares,
      basis: cost,
      acquired: date,
      heldFrom: date,
      washAdjustment: 0 as Usd,
      purchase: true,
      replacement: false,
    };
    lots.push(lot);
    this.held.set(o.symbol, (this.held.get(o.symbol) ?? 0) + shares);
    this.cash -= cost;
    trades.push({ date, account: this.account.id, symbol: o.symbol, side: 'buy', lossSale: false });
    this.record({ id: eventId(id), date, account: this.account.id, kind: 'buy', symbol: o.symbol, shares, price, fees: this.fills.commission });
  }

  /**
   * Shares arriving with their own basis and acquisition date (a client's existing position moved
   * in, e.g. a concentrated low-basis stock), booked as the ledger's `transfer_in`: not a purchase,
   * so it washes no earlier loss.
   */
  transferIn(date: Day, symbol: Symbol, shares: Shares, basis: Usd, acquired: Day): void {
    if (shares <= 0) return;
    const id = this.id();
    const lot: Lot = {
      id,
      origin: eventId(id),
      seq: this.next,
      account: this.account.id,
      symbol,
      shares,
      basis,
      acquired,
      heldFrom: acquired,
      washAdjustment: 0 as Usd,
      purchase: false,
      replacement: false,
    };
    this.lots = [...this.lots, lot];
    this.held.set(symbol, (this.held.get(symbol) ?? 0) + shares);
    this.record({ id: eventId(id), date, account: this.account.id, kind: 'transfer_in', symbol, shares, basis, acquired });
  }

  /** Market value in dollars (float) at the given closes. */
  value(close: (symbol: Symbol) => number): number {
    let v = this.cash / 100;
    for (const [symbol, shares] of this.held) if (shares > 0) v += (shares / 1e6) * close(symbol);
    return v;
  }
}

