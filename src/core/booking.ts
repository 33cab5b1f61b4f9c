/**
 * Booking: applies a household's events, in order, to its tax lots and returns the ledger — open
 * lots, dispositions (one per sale and lot relieved), cash and dividend income — or the issues
 * that stopped it. It is all-or-nothing: either every event books or none does, and the caller
 * gets issues pointing at file, row, event and field.
 *
 * Wash sales are applied as the sales happen, because a replacement's adjusted basis must be known
 * before it is sold in turn (chains). At a loss sale in a taxable account, the candidates are the
 * open purchase lots of substantially identical securities acquired in the 30 days before (in any
 * account), then the purchases booked later within 30 days after; `washSales.matchReplacements`
 * decides, and the booker splits lots or reserves the future purchase accordingly.
 *
 * The mutable state below is private to one call of `book`; what it returns is immutable.
 */
import { addDays, type Day } from './calendar.js';
import {
  allocate,
  scaleBy,
  usdOf,
  type Price,
  type Shares,
  type Usd,
} from './exact.js';
import { fail, issue, ok, type Issue, type Result } from './errors.js';
import { validateCase } from './validation.js';
import type {
  Buy,
  DividendReinvest,
  LedgerEvent,
  LotSelection,
  Sell,
  Split,
  Transfer,
  TransferIn,
  TransferOut,
} from './events.js';
import { termOf, type Term } from './holdingPeriod.js';
import {
  isTaxable,
  type Account,
  type AccountId,
  type EventId,
  type Household,
  type Symbol,
} from './household.js';
import { compareAcquisition, splitLot, type Lot } from './lots.js';
import { selectLots } from './lotSelection.js';
import {
  identicalClasses,
  matchReplacements,
  WASH_WINDOW_DAYS,
  type Candidate,
  type Match,
} from './washSales.js';

/** How one loss was washed: which replacement shares took how much of it. */
export interface WashMatch {
  readonly replacementLot: string;
  readonly replacementEvent: EventId;
  readonly account: AccountId;
  readonly symbol: Symbol;
  readonly acquired: Day;
  readonly shares: Shares;
  readonly disallowed: Usd;
  readonly permanent: boolean;
  readonly heldFrom: Day | undefined;
}

/** One lot (or part of a lot) relieved by one sale: a Form 8949 row for taxable accounts. */
export interface Disposition {
  readonly saleId: EventId;
  readonly date: Day;
  readonly account: AccountId;
  readonly symbol: Symbol;
  readonly lotId: string;
  readonly origin: EventId;
  readonly shares: Shares;
  readonly acquired: Day;
  readonly heldFrom: Day;
  readonly proceeds: Usd;
  readonly basis: Usd;
  /** proceeds - basis, before any wash-sale adjustment. */
  readonly gain: Usd;
  /** Wash adjustment already in `basis` from earlier washes of this lot. */
  readonly washAdjustment: Usd;
  readonly disallowed: Usd;
  /** The part of `disallowed` washed by tax-advantaged purchases: never recovered. */
  readonly permanentlyDisallowed: Usd;
  readonly term: Term;
  readonly taxable: boolean;
  readonly washMatches: readonly WashMatch[];
}

/** Lots that left the household without a sale (transfer out). */
export interface Removal {
  readonly eventId: EventId;
  readonly lot: Lot;
}

export interface DividendIncome {
  readonly eventId: EventId;
  readonly date: Day;
  readonly account: AccountId;
  readonly symbol: Symbol;
  readonly amount: Usd;
  readonly reinvested: boolean;
}

export interface Ledger {
  readonly household: Household;
  /** Date of the last event booked, if any. */
  readonly asOf: Day | undefined;
  /** Open lots by account (household order), security (first seen), then acquisition. */
  readonly openLots: readonly Lot[];
  readonly dispositions: readonly Disposition[];
  readonly removals: readonly Removal[];
  readonly dividends: readonly DividendIncome[];
  readonly cash: ReadonlyMap<AccountId, Usd>;
  readonly eventsBooked: number;
}

export interface BookOptions {
  /** Book only events on or before this date ("as of"). */
  readonly through?: Day;
}

export function book(household: Household, events: readonly LedgerEvent[], options: BookOptions = {}): Result<Ledger> {
  const through = options.through;
  const applied = through === undefined ? events : events.filter((e) => e.date <= through);
  const problems = validateCase(household, applied);
  if (problems.length > 0) return fail(problems);
  return new Booker(household, applied).run();
}

interface Reservation {
  readonly lotId: string;
  readonly shares: Shares;
  readonly disallowed: Usd;
  readonly permanent: boolean;
  readonly heldFrom: Day | undefined;
}

type CandidateKey =
  | { readonly kind: 'open'; readonly lot: Lot }
  | { readonly kind: 'future'; readonly index: number };

class BookingError {
  constructor(readonly issue: Issue) {}
}

class Booker {
  private readonly accountById = new Map<string, Account>();
  private readonly positions = new Map<AccountId, Map<Symbol, Lot[]>>();
  private readonly cash = new Map<AccountId, number>();
  private readonly dispositions: Disposition[] = [];
  private readonly removals: Removal[] = [];
  private readonly dividends: DividendIncome[] = [];
  private readonly reservations = new Map<number, Reservation[]>();
  private readonly reserved = new Map<number, number>();
  private readonly parts = new Map<string, number>();
  private readonly classOf: (s: Symbol) => string;
  private readonly classMembers = new Map<string, Symbol[]>();
  /** Per class, indices of acquisition events (ascending): the "30 days after" candidates. */
  private readonly acquisitions = new Map<string, number[]>();
  private readonly symbolOrder = new Map<Symbol, number>();

  constructor(
    private readonly household: Household,
    private readonly events: readonly LedgerEvent[],
  ) {
    for (const a of household.accounts) {
      this.accountById.set(a.id, a);
      this.positions.set(a.id, new Map());
      this.cash.set(a.id, 0);
    }
    this.classOf = identicalClasses(household);
    for (const s of household.securities) this.noteSymbol(s.symbol);
    events.forEach((e, i) => {
      if ('symbol' in e) this.noteSymbol(e.symbol);
      if (e.kind === 'buy' || e.kind === 'dividend_reinvest') {
        const cls = this.classOf(e.symbol);
        const list = this.acquisitions.get(cls);
        if (list) list.push(i);
        else this.acquisitions.set(cls, [i]);
      }
    });
  }

  private noteSymbol(s: Symbol): void {
    if (this.symbolOrder.has(s)) return;
    this.symbolOrder.set(s, this.symbolOrder.size);
    const cls = this.classOf(s);
    const members = this.classMembers.get(cls);
    if (members) members.push(s);
    else this.classMembers.set(cls, [s]);
  }

  run(): Result<Ledger> {
    try {
      this.events.forEach((e, i) => this.apply(e, i));
    } catch (err) {
      if (err instanceof BookingError) return fail([err.issue]);
      throw err;
    }
    const last = this.events[this.events.length - 1];
    return ok({
      household: this.household,
      asOf: last?.date,
      openLots: this.collectOpenLots(),
      dispositions: this.dispositions,
      removals: this.removals,
      dividends: this.dividends,
      cash: this.cash as Map<AccountId, Usd>,
      eventsBooked: this.events.length,
    });
  }

  private apply(e: LedgerEvent, index: number): void {
    switch (e.kind) {
      case 'buy':
      case 'dividend_reinvest':
        return this.acquire(e, index);
      case 'sell':
        return this.sell(e, index);
      case 'dividend':
        this.addCash(e.account, e.amount);
        this.dividends.push({ eventId: e.id, date: e.date, account: e.account, symbol: e.symbol, amount: e.amount, reinvested: false });
        return;
      case 'deposit':
        return this.addCash(e.account, e.amount);
      case 'withdrawal':
      case 'fee':
        return this.addCash(e.account, -e.amount);
      case 'split':
        return this.split(e);
      case 'transfer_in':
        return this.transferIn(e, index);
      case 'transfer':
        return this.transfer(e);
      case 'transfer_out':
        return this.transferOut(e);
    }
  }

  private acquire(e: Buy | DividendReinvest, index: number): void {
    const gross = usdOf(e.shares, e.price);
    const cost = (gross + e.fees) as Usd;
    if (e.kind === 'dividend_reinvest') {
      this.dividends.push({ eventId: e.id, date: e.date, account: e.account, symbol: e.symbol, amount: gross, reinvested: true });
      this.addCash(e.account, -e.fees);
    } else {
      this.addCash(e.account, -cost);
    }
    const base: Lot = {
      id: e.id,
      origin: e.id,
      seq: index,
      account: e.account,
      symbol: e.symbol,
      shares: e.shares,
      basis: cost,
      acquired: e.date,
      heldFrom: e.date,
      washAdjustment: 0 as Usd,
      purchase: true,
      replacement: false,
    };
    const reserved = this.reservations.get(index);
    const position = this.position(e.account, e.symbol);
    if (reserved === undefined) {
      this.parts.set(e.id, 1);
      insertSorted(position, base);
      return;
    }
    const rest = e.shares - (this.reserved.get(index) ?? 0);
    const weights = [...reserved.map((r) => r.shares as number), ...(rest > 0 ? [rest] : [])];
    const costs = allocate(cost, weights);
    reserved.forEach((r, k) => {
      const basis = costs[k] as Usd;
      insertSorted(position, {
        ...base,
        id: r.lotId,
        shares: r.shares,
        basis: (basis + (r.permanent ? 0 : r.disallowed)) as Usd,
        heldFrom: r.heldFrom ?? e.date,
        washAdjustment: (r.permanent ? 0 : r.disallowed) as Usd,
        replacement: true,
      });
    });
    if (rest > 0) {
      insertSorted(position, { ...base, id: this.nextPartId(e.id), shares: rest as Shares, basis: costs[costs.length - 1] as Usd });
    }
  }

  private sell(e: Sell, index: number): void {
    const account = this.accountById.get(e.account) as Account;
    const position = this.position(e.account, e.symbol);
    const selection = e.selection ?? this.defaultSelection(account, e, 'lots');
    const relieved = this.relieve(position, e, selection, e.price);
    const net = (usdOf(e.shares, e.price) - e.fees) as Usd;
    this.addCash(e.account, net);
    const proceeds = allocate(net, relieved.map((l) => l.shares as number));
    const taxable = isTaxable(account);
    const washes = new Map<Lot, WashMatch[]>();
    if (taxable) {
      const losses = relieved
        .map((lot, k) => ({ lot, gain: (proceeds[k] as number) - lot.basis }))
        .filter((x) => x.gain < 0)
        .sort((a, b) => compareAcquisition(a.lot, b.lot));
      for (const { lot, gain } of losses) {
        washes.set(lot, this.washLoss(e, index, lot, -gain as Usd));
      }
    }
    relieved.forEach((lot, k) => {
      const p = proceeds[k] as Usd;
      const matches = washes.get(lot) ?? [];
      let disallowed = 0;
      let permanent = 0;
      for (const m of matches) {
        disallowed += m.disallowed;
        if (m.permanent) permanent += m.disallowed;
      }
      this.dispositions.push({
        saleId: e.id,
        date: e.date,
        account: e.account,
        symbol: e.symbol,
        lotId: lot.id,
        origin: lot.origin,
        shares: lot.shares,
        acquired: lot.acquired,
        heldFrom: lot.heldFrom,
        proceeds: p,
        basis: lot.basis,
        gain: (p - lot.basis) as Usd,
        washAdjustment: lot.washAdjustment,
        disallowed: disallowed as Usd,
        permanentlyDisallowed: permanent as Usd,
        term: termOf(lot.heldFrom, e.date),
        taxable,
        washMatches: matches,
      });
    });
  }

  /** Finds and applies the replacements for one lot sold at a loss. */
  private washLoss(e: Sell, index: number, lot: Lot, loss: Usd): WashMatch[] {
    const candidates = this.replacementCandidates(e, index, lot);
    if (candidates.length === 0) return [];
    const matches = matchReplacements(
      { shares: lot.shares, loss, saleDate: e.date, heldFrom: lot.heldFrom },
      candidates,
    );
    return matches.map((m) => this.applyMatch(m));
  }

  private replacementCandidates(e: Sell, index: number, sold: Lot): Candidate<CandidateKey>[] {
    const cls = this.classOf(e.symbol);
    const members = this.classMembers.get(cls) ?? [e.symbol];
    const from = addDays(e.date, -WASH_WINDOW_DAYS);
    const to = addDays(e.date, WASH_WINDOW_DAYS);
    const out: Candidate<CandidateKey>[] = [];
    for (const account of this.household.accounts) {
      const byAccount = this.positions.get(account.id) as Map<Symbol, Lot[]>;
      for (const s of members) {
        const lots = byAccount.get(s);
        if (lots === undefined) continue;
        for (let i = lots.length - 1; i >= 0; i--) {
          const lot = lots[i] as Lot;
          if (lot.acquired < from) break;
          if (!lot.purchase || lot.replacement || lot.origin === sold.origin) continue;
          out.push({
            key: { kind: 'open', lot },
            acquired: lot.acquired,
            seq: lot.seq,
            tieBreak: `${lot.account}\u0000${lot.id}`,
            available: lot.shares,
            taxAdvantaged: !isTaxable(account),
          });
        }
      }
    }
    const later = this.acquisitions.get(cls);
    if (later !== undefined) {
      for (let k = firstAfter(later, index); k < later.length; k++) {
        const j = later[k] as number;
        const acq = this.events[j] as Buy | DividendReinvest;
        if (acq.date > to) break;
        const available = acq.shares - (this.reserved.get(j) ?? 0);
        if (available <= 0) continue;
        out.push({
          key: { kind: 'future', index: j },
          acquired: acq.date,
          seq: j,
          tieBreak: `${acq.account}\u0000${acq.id}`,
          available: available as Shares,
          taxAdvantaged: !isTaxable(this.accountById.get(acq.account) as Account),
        });
      }
    }
    return out;
  }

  /** Moves the disallowed loss onto the replacement shares: now if they are held, else on purchase. */
  private applyMatch(m: Match<CandidateKey>): WashMatch {
    const explain = (lotId: string, event: EventId, account: AccountId, s: Symbol, acquired: Day): WashMatch => ({
      replacementLot: lotId,
      replacementEvent: event,
      account,
      symbol: s,
      acquired,
      shares: m.shares,
      disallowed: m.disallowed,
      permanent: m.permanent,
      heldFrom: m.heldFrom,
    });
    if (m.key.kind === 'future') {
      const j = m.key.index;
      const acq = this.events[j] as Buy | DividendReinvest;
      const lotId = this.nextPartId(acq.id);
      const list = this.reservations.get(j) ?? [];
      list.push({ lotId, shares: m.shares, disallowed: m.disallowed, permanent: m.permanent, heldFrom: m.heldFrom });
      this.reservations.set(j, list);
      this.reserved.set(j, (this.reserved.get(j) ?? 0) + m.shares);
      return explain(lotId, acq.id, acq.account, acq.symbol, acq.date);
    }
    const lot = m.key.lot;
    const position = this.position(lot.account, lot.symbol);
    const at = position.indexOf(lot);
    const [part, rest] = m.shares === lot.shares ? [lot, undefined] : splitLot(lot, m.shares, this.nextPartId(lot.origin));
    const washed: Lot = m.permanent
      ? { ...part, replacement: true }
      : {
          ...part,
          basis: (part.basis + m.disallowed) as Usd,
          washAdjustment: (part.washAdjustment + m.disallowed) as Usd,
          heldFrom: m.heldFrom ?? part.heldFrom,
          replacement: true,
        };
    if (rest === undefined) position.splice(at, 1, washed);
    else position.splice(at, 1, washed, rest);
    return explain(washed.id, washed.origin, washed.account, washed.symbol, washed.acquired);
  }

  private relieve(position: Lot[], e: Sell | Transfer | TransferOut, selection: LotSelection, unitPrice: Price): Lot[] {
    const outcome = selectLots(position, e.shares, selection, { date: e.date, price: unitPrice });
    if (!outcome.ok) {
      const held = position.length === 0 ? `no shares of ${e.symbol} are held in account ${e.account}` : outcome.message;
      throw new BookingError(issue(outcome.code, held, { ...e.source, eventId: e.id, field: outcome.code === 'UNKNOWN_LOT' ? 'lots' : 'shares' }));
    }
    const relieved: Lot[] = [];
    const gone = new Set<number>();
    for (const r of outcome.reliefs) {
      const lot = position[r.index] as Lot;
      if (r.shares === lot.shares) {
        relieved.push(lot);
        gone.add(r.index);
      } else {
        const [part, rest] = splitLot(lot, r.shares);
        relieved.push(part);
        position[r.index] = rest;
      }
    }
    if (gone.size > 0) {
      let w = 0;
      for (let i = 0; i < position.length; i++) {
        if (!gone.has(i)) position[w++] = position[i] as Lot;
      }
      position.length = w;
    }
    return relieved;
  }

  private defaultSelection(account: Account, e: Sell | Transfer | TransferOut, field: string): LotSelection {
    const method = account.lotMethod ?? this.household.settings.lotMethod;
    if (method === 'SPECIFIC') {
      throw new BookingError(
        issue('UNKNOWN_LOT', 'the lot method is SPECIFIC but this event names no lots', { ...e.source, eventId: e.id, field }),
      );
    }
    return { method };
  }

  private split(e: Split): void {
    const accounts = e.account !== undefined ? [e.account] : this.household.accounts.map((a) => a.id);
    for (const id of accounts) {
      const lots = this.positions.get(id)?.get(e.symbol);
      if (lots === undefined || lots.length === 0) continue;
      let total = 0;
      for (const l of lots) total += l.shares;
      const after = allocate(scaleBy(total as Shares, e.to, e.from), lots.map((l) => l.shares as number));
      const scaled = lots.map((l, i) => ({ ...l, shares: after[i] as Shares }));
      const kept = scaled.filter((l) => l.shares > 0);
      if (kept.length === 0) {
        throw new BookingError(issue('BAD_VALUE', `the split leaves less than 0.000001 share of ${e.symbol} in ${id}`, { ...e.source, eventId: e.id, field: 'splitTo' }));
      }
      // A lot too small to survive a reverse split's rounding hands its basis to the largest lot.
      const k = kept.indexOf(kept.reduce((m, l) => (l.shares > m.shares ? l : m)));
      for (const gone of scaled) {
        if (gone.shares > 0) continue;
        const into = kept[k] as Lot;
        kept[k] = { ...into, basis: (into.basis + gone.basis) as Usd, washAdjustment: (into.washAdjustment + gone.washAdjustment) as Usd };
      }
      lots.length = 0;
      lots.push(...kept);
    }
  }

  private transferIn(e: TransferIn, index: number): void {
    insertSorted(this.position(e.account, e.symbol), {
      id: this.nextPartId(e.id),
      origin: e.id,
      seq: index,
      account: e.account,
      symbol: e.symbol,
      shares: e.shares,
      basis: (e.basis + (e.washAdjustment ?? 0)) as Usd,
      acquired: e.acquired,
      heldFrom: e.adjustedAcquired ?? e.acquired,
      washAdjustment: (e.washAdjustment ?? 0) as Usd,
      purchase: false,
      replacement: false,
    });
  }

  private transfer(e: Transfer): void {
    const account = this.accountById.get(e.account) as Account;
    const moved = this.relieve(this.position(e.account, e.symbol), e, e.selection ?? this.defaultSelection(account, e, 'lots'), 0 as Price);
    const target = this.position(e.toAccount, e.symbol);
    for (const lot of moved) insertSorted(target, { ...lot, account: e.toAccount });
  }

  private transferOut(e: TransferOut): void {
    const account = this.accountById.get(e.account) as Account;
    const removed = this.relieve(this.position(e.account, e.symbol), e, e.selection ?? this.defaultSelection(account, e, 'lots'), 0 as Price);
    for (const lot of removed) this.removals.push({ eventId: e.id, lot });
  }

  private position(account: AccountId, s: Symbol): Lot[] {
    const byAccount = this.positions.get(account) as Map<Symbol, Lot[]>;
    let lots = byAccount.get(s);
    if (lots === undefined) {
      lots = [];
      byAccount.set(s, lots);
    }
    return lots;
  }

  private addCash(account: AccountId, amount: number): void {
    this.cash.set(account, (this.cash.get(account) ?? 0) + amount);
  }

  private nextPartId(origin: string): string {
    const n = this.parts.get(origin) ?? 0;
    this.parts.set(origin, n + 1);
    return n === 0 ? origin : `${origin}#${n + 1}`;
  }

  private collectOpenLots(): Lot[] {
    const out: Lot[] = [];
    for (const a of this.household.accounts) {
      const byAccount = this.positions.get(a.id) as Map<Symbol, Lot[]>;
      const symbols = [...byAccount.keys()].sort((x, y) => (this.symbolOrder.get(x) ?? 0) - (this.symbolOrder.get(y) ?? 0));
      for (const s of symbols) out.push(...(byAccount.get(s) as Lot[]));
    }
    return out;
  }
}

function insertSorted(lots: Lot[], lot: Lot): void {
  lots.push(lot);
  let i = lots.length - 1;
  while (i > 0 && compareAcquisition(lots[i - 1] as Lot, lot) > 0) {
    lots[i] = lots[i - 1] as Lot;
    i--;
  }
  lots[i] = lot;
}

/** Index of the first element of the ascending `list` greater than `value`. */
function firstAfter(list: readonly number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
