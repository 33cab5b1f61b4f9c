/**
 * Entries filed by substantially-identical class, for the wash guard (washGuard.ts): the day's
 * trades, loss sales and recent purchases, each under the class of its symbol on its own day.
 */
import type { Day } from '../kernel/calendar.js';
import type { Symbol } from '../ledger/household.js';

/** Who is identical to whom (washGuard.ts builds it per universe and household policy). */
export interface Classes {
  same(a: Symbol, b: Symbol, day: Day): boolean;
  /** The epoch (stretch of days with one identity) a day falls in. */
  epochOf(day: Day): number;
  /** The household's class key of `symbol` in `epoch` (`day`, when given, lies in it). */
  key(symbol: Symbol, epoch: number, day?: Day): string;
  isFund(symbol: Symbol): boolean;
}

interface Filed<T> {
  readonly symbol: Symbol;
  readonly day: Day;
  readonly item: T;
  /** Order of filing: answers come in it. */
  readonly seq: number;
}

/**
 * Entries (trades, lots) filed by the class of their symbol on their own day, so the entries
 * identical to a symbol are looked up rather than compared one by one. A pair of symbols of which
 * at least one is outside the universe's funds is identical exactly when their household keys are
 * equal on the day; two funds are judged pair by pair (the epoch's matrix), so a fund's question
 * scans the funds' entries (few: a household trades few funds) and looks the others up. A few
 * entries (an ETF household's month) are scanned: filing them would cost more than it saves.
 */
export class ByClass<T> {
  private readonly all: Filed<T>[] = [];
  private readonly scanned = [this.all];
  /** Entries of symbols outside the funds. */
  private stocks = 0;
  private index: Filing<T> | undefined;

  constructor(private readonly classes: Classes) {}

  add(symbol: Symbol, day: Day, item: T): void {
    const filed: Filed<T> = { symbol, day, item, seq: this.all.length };
    this.all.push(filed);
    if (!this.classes.isFund(symbol)) this.stocks++;
    if (this.index !== undefined) this.file(this.index, filed);
  }

  /** Visits the entries identical to `symbol` (each judged on its own day), in the order filed. */
  each(symbol: Symbol, visit: (item: T) => void): void {
    const lists = this.lists(symbol);
    if (lists.length === 1) {
      const list = lists[0] as Filed<T>[];
      const judged = this.judged(list);
      for (const f of list) if (!judged || this.classes.same(f.symbol, symbol, f.day)) visit(f.item);
      return;
    }
    const found: Filed<T>[] = [];
    for (const list of lists) {
      const judged = this.judged(list);
      for (const f of list) if (!judged || this.classes.same(f.symbol, symbol, f.day)) found.push(f);
    }
    found.sort((x, y) => x.seq - y.seq);
    for (const f of found) visit(f.item);
  }

  /** The first entry filed that is identical to `symbol` and passes `keep`. */
  first(symbol: Symbol, keep: (item: T) => boolean = always): T | undefined {
    let best: Filed<T> | undefined;
    for (const list of this.lists(symbol)) {
      const judged = this.judged(list);
      for (const f of list) {
        if (best !== undefined && f.seq > best.seq) break;
        if ((!judged || this.classes.same(f.symbol, symbol, f.day)) && keep(f.item)) {
          best = f;
          break;
        }
      }
    }
    return best?.item;
  }

  /**
   * Lists in filing order that hold every entry identical to `symbol`: all entries while they are
   * few; else the others by key, and the funds by key or (for a fund) all of them.
   */
  private lists(symbol: Symbol): Filed<T>[][] {
    if (this.all.length === 0) return [];
    const fund = this.classes.isFund(symbol);
    // A fund asked against funds only is judged pair by pair anyway.
    if (this.all.length < SCANNED || (fund && this.stocks === 0)) return this.scanned;
    if (this.index === undefined) {
      this.index = { others: new Map(), fundsByKey: new Map(), funds: [] };
      for (const f of this.all) this.file(this.index, f);
    }
    const lists: Filed<T>[][] = [];
    for (const byEpoch of fund ? [this.index.others] : [this.index.others, this.index.fundsByKey]) {
      for (const [epoch, byKey] of byEpoch) {
        const list = byKey.get(this.classes.key(symbol, epoch));
        if (list !== undefined) lists.push(list);
      }
    }
    if (fund && this.index.funds.length > 0) lists.push(this.index.funds);
    return lists;
  }

  /** Whether the entries of `list` are judged pair by pair (a list looked up by key holds only identical ones). */
  private judged(list: Filed<T>[]): boolean {
    return list === this.all || list === this.index?.funds;
  }

  private file(index: Filing<T>, filed: Filed<T>): void {
    const fund = this.classes.isFund(filed.symbol);
    if (fund) index.funds.push(filed);
    const byEpoch = fund ? index.fundsByKey : index.others;
    const epoch = this.classes.epochOf(filed.day);
    let byKey = byEpoch.get(epoch);
    if (byKey === undefined) byEpoch.set(epoch, (byKey = new Map()));
    const key = this.classes.key(filed.symbol, epoch, filed.day);
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [filed]);
    else list.push(filed);
  }
}

/** Entries outside the funds and entries of funds, by epoch, then household key; and the funds' entries in order. */
interface Filing<T> {
  readonly others: Map<number, Map<string, Filed<T>[]>>;
  readonly fundsByKey: Map<number, Map<string, Filed<T>[]>>;
  readonly funds: Filed<T>[];
}

/** Below this many entries a question scans them all. */
const SCANNED = 32;

const always = (): boolean => true;
