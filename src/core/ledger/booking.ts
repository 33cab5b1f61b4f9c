/**
 * Booking: applies a household's events, in order, to its tax lots and returns the ledger — open
 * lots, dispositions (one per sale and lot relieved), cash and dividend income — or the issues
 * that stopped it. It is all-or-nothing: either every event books or none does, and the caller
 * gets issues pointing at file, row, event and field.
 *
 * Wash sales are applied as the sales happen, because a replacement's adjusted basis must be known
 * before it is sold in turn (chains). At a loss sale in a taxable account, the candidates are the
 * purchases of substantially identical securities from 30 days before to 30 days after, in any
 * account, in order of acquisition: for purchases already booked, their parts still open; for
 * later ones, their shares not yet reserved by an earlier loss. `washSales.matchReplacements`
 * decides; the booker splits open lots or reserves the future purchase accordingly.
 *
 * Speed: every purchase is indexed by class of substantially identical securities (in event order,
 * which is acquisition order) and keeps a registry of its open parts, so the candidates of a loss
 * are generated lazily from the window and matching stops as soon as the loss is covered.
 *
 * The mutable state below is private to one call of `book`; what it returns is immutable.
 */
import type { Day } from '../kernel/calendar.js';
import {
  allocate,
  scaleBy,
  usdOf,
  type Price,
  type Shares,
  type Usd,
} from '../kernel/exact.js';
import { fail, issue, ok, type Issue, type Result } from '../kernel/errors.js';
import { validateCase } from './validation.js';
import {
  sourceOf,
  type Buy,
  type DividendReinvest,
  type LedgerEvent,
  type LotSelection,
  type Sell,
  type Split,
  type Transfer,
  type TransferIn,
  type TransferOut,
} from './events.js';
import { termOf } from './holdingPeriod.js';
import {
  isTaxable,
  type Account,
  type AccountId,
  type EventId,
  type Household,
  type Symbol,
} from './household.js';
import type { Disposition, DividendIncome, Ledger, Removal, WashMatch } from './ledger.js';
import { compareAcquisition, proceedsByPart, relieve, splitLot, type Lot } from './lots.js';
import { selectLots, type Relief } from './lotSelection.js';
import {
  identicalClasses,
  identicalOn,
  compareCandidates,
  matchReplacements,
  washWindow,
  type Candidate,
  type Match,
} from './washSales.js';


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

interface AccountState {
  readonly account: Account;
  readonly positions: Map<Symbol, Lot[]>;
  cash: number;
}

class BookingError {
  constructor(readonly issue: Issue) {}
}

class Booker {
  /** Per account: its definition, its positions by security, and its cash. */
  private readonly accounts = new Map<string, AccountState>();
  private readonly dispositions: Disposition[] = [];
  private readonly removals: Removal[] = [];
  private readonly dividends: DividendIncome[] = [];
  /** Per future purchase (event index): the shares earlier losses have claimed. */
  private readonly reservations = new Map<number, Reservation[]>();
  private readonly reserved = new Map<number, number>();
  /** Per purchase (event index): its part still open, or its parts when split, in any account. */
  private readonly openParts: (Lot | Lot[] | undefined)[];
  /** Number of lot ids given out per origin, for origins split into parts. */
  private readonly parts = new Map<string, number>();
  private readonly classOf: (s: Symbol) => string;
  private readonly classesOn: (s: Symbol, day: Day) => readonly string[];
  /** Per class of substantially identical securities, its purchases' event indices, ascending. */
  private readonly acquisitions = new Map<string, number[]>();
  private readonly symbolOrder = new Map<Symbol, number>();

  constructor(
    private readonly household: Household,
    private readonly events: readonly LedgerEvent[],
  ) {
    for (const a of household.accounts) this.accounts.set(a.id, { account: a, positions: new Map(), cash: 0 });
    this.openParts = new Array<Lot | Lot[] | undefined>(events.length);
    this.classOf = identicalClasses(household);
    this.classesOn = identicalOn(household);
    for (const s of household.securities) this.noteSymbol(s.symbol);
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as LedgerEvent;
      if (!('symbol' in e)) continue;
      this.noteSymbol(e.symbol);
      if (e.kind === 'buy' || e.kind === 'dividend_reinvest') {
        const cls = this.classOf(e.symbol);
        const list = this.acquisitions.get(cls);
        if (list) list.push(i);
        else this.acquisitions.set(cls, [i]);
      }
    }
  }

  private noteSymbol(s: Symbol): void {
    if (!this.symbolOrder.has(s)) this.symbolOrder.set(s, this.symbolOrder.size);
  }

  run(): Result<Ledger> {
    try {
      for (let i = 0; i < this.events.length; i++) this.apply(this.events[i] as LedgerEvent, i);
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
      cash: new Map([...this.accounts.values()].map((a) => [a.account.id, a.cash as Usd])),
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
    const position = this.position(e.account, e.symbol);
    const reserved = this.reservations.get(index);
    if (reserved === undefined) {
      const lot = purchaseLot(e, index, e.id, e.shares, cost, e.date, 0 as Usd, false);
      this.openParts[index] = lot;
      insertSorted(position, lot);
      return;
    }
    const rest = e.shares - (this.reserved.get(index) ?? 0);
    const weights = reserved.map((r) => r.shares as number);
    if (rest > 0) weights.push(rest);
    const costs = allocate(cost, weights);
    const lots = reserved.map((r, k) => {
      const adjustment = (r.permanent ? 0 : r.disallowed) as Usd;
      return purchaseLot(e, index, r.lotId, r.shares, ((costs[k] as number) + adjustment) as Usd, r.heldFrom ?? e.date, adjustment, true);
    });
    if (rest > 0) lots.push(purchaseLot(e, index, this.nextPartId(e.id, 0), rest as Shares, costs[costs.length - 1] as Usd, e.date, 0 as Usd, false));
    this.openParts[index] = lots.length === 1 ? lots[0] : [...lots];
    for (const lot of lots) insertSorted(position, lot);
  }

  private sell(e: Sell, index: number): void {
    const account = this.state(e.account).account;
    const position = this.position(e.account, e.symbol);
    const selection = e.selection ?? this.defaultSelection(account, e, 'lots');
    const relieved = this.relieve(position, e, selection, e.price);
    const net = (usdOf(e.shares, e.price) - e.fees) as Usd;
    this.addCash(e.account, net);
    const proceeds = proceedsByPart(net, relieved);
    const taxable = isTaxable(account);
    let washes: Map<Lot, WashMatch[]> | undefined;
    if (taxable) {
      const losses: Lot[] = [];
      relieved.forEach((lot, k) => {
        if ((proceeds[k] as number) < lot.basis) losses.push(lot);
      });
      if (losses.length > 1) losses.sort(compareAcquisition);
      for (const lot of losses) {
        const matches = this.washLoss(e, index, lot, (lot.basis - (proceeds[relieved.indexOf(lot)] as number)) as Usd);
        if (matches.length > 0) (washes ??= new Map()).set(lot, matches);
      }
    }
    for (let k = 0; k < relieved.length; k++) {
      const lot = relieved[k] as Lot;
      const p = proceeds[k] as Usd;
      const matches = washes?.get(lot) ?? NO_MATCHES;
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
    }
  }

  /** Finds and applies the replacements for one lot sold at a loss. */
  private washLoss(e: Sell, index: number, lot: Lot, loss: Usd): WashMatch[] {
    const matches = matchReplacements(
      { shares: lot.shares, loss, saleDate: e.date, heldFrom: lot.heldFrom },
      this.replacementCandidates(e, index, lot),
    );
    return matches.map((m) => this.applyMatch(m));
  }

  /** Purchases identical on the sale date within the window, in acquisition order, on demand. */
  private *replacementCandidates(e: Sell, index: number, sold: Lot): Generator<Candidate<CandidateKey>> {
    const classes = this.classesOn(e.symbol, e.date);
    const { from, to } = washWindow(e.date);
    const indices = classes.length === 1 ? this.acquisitions.get(classes[0] as string) : this.mergedAcquisitions(classes, from);
    if (indices === undefined) return;
    for (let k = this.firstOnOrAfter(indices, from); k < indices.length; k++) {
      const j = indices[k] as number;
      if (j === index) continue;
      const acq = this.events[j] as Buy | DividendReinvest;
      if (acq.date > to) return;
      if (j < index) {
        const parts = this.partsOf(j);
        if (parts.length === 0 || acq.id === sold.origin) continue;
        const open: Candidate<CandidateKey>[] = [];
        for (const lot of parts) {
          if (lot.replacement) continue;
          open.push({
            key: { kind: 'open', lot },
            acquired: lot.acquired,
            seq: lot.seq,
            tieBreak: `${lot.account}\u0000${lot.id}`,
            available: lot.shares,
            taxAdvantaged: !isTaxable(this.state(lot.account).account),
          });
        }
        if (open.length > 1) open.sort(compareCandidates);
        yield* open;
      } else {
        const available = acq.shares - (this.reserved.get(j) ?? 0);
        if (available <= 0) continue;
        yield {
          key: { kind: 'future', index: j },
          acquired: acq.date,
          seq: j,
          tieBreak: `${acq.account}\u0000${acq.id}`,
          available: available as Shares,
          taxAdvantaged: !isTaxable(this.state(acq.account).account),
        };
      }
    }
  }

  /** The purchases of several classes from `from` on, merged into acquisition order. */
  private mergedAcquisitions(classes: readonly string[], from: Day): number[] {
    const out: number[] = [];
    for (const c of classes) {
      const list = this.acquisitions.get(c);
      if (list === undefined) continue;
      for (let k = this.firstOnOrAfter(list, from); k < list.length; k++) out.push(list[k] as number);
    }
    return out.sort((a, b) => a - b);
  }

  /** Position in `list` (purchase event indices) of the first purchase dated on or after `day`. */
  private firstOnOrAfter(list: readonly number[], day: Day): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.events[list[mid] as number] as LedgerEvent).date < day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
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
      const lotId = this.nextPartId(acq.id, 0);
      const list = this.reservations.get(j) ?? [];
      list.push({ lotId, shares: m.shares, disallowed: m.disallowed, permanent: m.permanent, heldFrom: m.heldFrom });
      this.reservations.set(j, list);
      this.reserved.set(j, (this.reserved.get(j) ?? 0) + m.shares);
      return explain(lotId, acq.id, acq.account, acq.symbol, acq.date);
    }
    const lot = m.key.lot;
    const position = this.position(lot.account, lot.symbol);
    const [part, rest] = m.shares === lot.shares ? [lot, undefined] : splitLot(lot, m.shares, this.nextPartId(lot.origin, 1));
    const washed: Lot = m.permanent
      ? { ...part, replacement: true }
      : {
          ...part,
          basis: (part.basis + m.disallowed) as Usd,
          washAdjustment: (part.washAdjustment + m.disallowed) as Usd,
          heldFrom: m.heldFrom ?? part.heldFrom,
          replacement: true,
        };
    const replacements = rest === undefined ? [washed] : [washed, rest];
    position.splice(position.indexOf(lot), 1, ...replacements);
    this.replaceParts(lot, replacements);
    return explain(washed.id, washed.origin, washed.account, washed.symbol, washed.acquired);
  }

  private partsOf(index: number): readonly Lot[] {
    const p = this.openParts[index];
    return p === undefined ? NO_LOTS : Array.isArray(p) ? p : [p];
  }

  /** Keeps the registry of a purchase's open parts in step with its lots. */
  private replaceParts(old: Lot, replacements: readonly Lot[]): void {
    if (!old.purchase) return;
    const p = this.openParts[old.seq];
    if (p === old && replacements.length <= 1) {
      this.openParts[old.seq] = replacements[0];
      return;
    }
    const parts = [...this.partsOf(old.seq)];
    parts.splice(parts.indexOf(old), 1, ...replacements);
    this.openParts[old.seq] = parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : parts;
  }

  private addPart(lot: Lot): void {
    const p = this.openParts[lot.seq];
    this.openParts[lot.seq] = p === undefined ? lot : [...(Array.isArray(p) ? p : [p]), lot];
  }

  private relieve(position: Lot[], e: Sell | Transfer | TransferOut, selection: LotSelection, unitPrice: Price): Lot[] {
    const outcome = selectLots(position, e.shares, selection, { date: e.date, price: unitPrice });
    if (!outcome.ok) {
      const held = position.length === 0 ? `no shares of ${e.symbol} are held in account ${e.account}` : outcome.message;
      throw new BookingError(issue(outcome.code, held, sourceOf(e, outcome.code === 'UNKNOWN_LOT' ? 'lots' : 'shares')));
    }
    const gone: number[] = [];
    const parts = relieve(position, outcome.reliefs);
    parts.forEach(({ lot, rest }, k) => {
      const index = (outcome.reliefs[k] as Relief).index;
      if (rest === undefined) gone.push(index);
      else position[index] = rest;
      this.replaceParts(lot, rest === undefined ? NO_LOTS : [rest]);
    });
    removeIndices(position, gone);
    return parts.map((p) => p.part);
  }

  private defaultSelection(account: Account, e: Sell | Transfer | TransferOut, field: string): LotSelection {
    const method = account.lotMethod ?? this.household.settings.lotMethod;
    if (method === 'SPECIFIC') {
      throw new BookingError(issue('UNKNOWN_LOT', 'the lot method is SPECIFIC but this event names no lots', sourceOf(e, field)));
    }
    return { method };
  }

  private split(e: Split): void {
    const accounts = e.account !== undefined ? [e.account] : this.household.accounts.map((a) => a.id);
    for (const id of accounts) {
      const lots = this.state(id).positions.get(e.symbol);
      if (lots === undefined || lots.length === 0) continue;
      let total = 0;
      for (const l of lots) total += l.shares;
      const after = allocate(scaleBy(total as Shares, e.to, e.from), lots.map((l) => l.shares as number));
      const next: (Lot | undefined)[] = lots.map((l, i) => ((after[i] as number) > 0 ? { ...l, shares: after[i] as Shares } : undefined));
      let largest = -1;
      next.forEach((l, i) => {
        if (l !== undefined && (largest < 0 || l.shares > (next[largest] as Lot).shares)) largest = i;
      });
      if (largest < 0) {
        throw new BookingError(issue('BAD_VALUE', `the split leaves less than 0.000001 share of ${e.symbol} in ${id}`, sourceOf(e, 'splitTo')));
      }
      // A lot too small to survive a reverse split's rounding hands its basis to the largest lot.
      lots.forEach((l, i) => {
        if (next[i] !== undefined) return;
        const into = next[largest] as Lot;
        next[largest] = { ...into, basis: (into.basis + l.basis) as Usd, washAdjustment: (into.washAdjustment + l.washAdjustment) as Usd };
      });
      lots.forEach((old, i) => {
        const now = next[i];
        this.replaceParts(old, now === undefined ? NO_LOTS : [now]);
      });
      lots.length = 0;
      for (const l of next) if (l !== undefined) lots.push(l);
    }
  }

  private transferIn(e: TransferIn, index: number): void {
    insertSorted(this.position(e.account, e.symbol), {
      id: this.nextPartId(e.id, 0),
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
    const account = this.state(e.account).account;
    const moved = this.relieve(this.position(e.account, e.symbol), e, e.selection ?? this.defaultSelection(account, e, 'lots'), 0 as Price);
    const target = this.position(e.toAccount, e.symbol);
    for (const lot of moved) {
      const there = { ...lot, account: e.toAccount };
      if (lot.purchase) this.addPart(there);
      insertSorted(target, there);
    }
  }

  private transferOut(e: TransferOut): void {
    const account = this.state(e.account).account;
    const removed = this.relieve(this.position(e.account, e.symbol), e, e.selection ?? this.defaultSelection(account, e, 'lots'), 0 as Price);
    for (const lot of removed) this.removals.push({ eventId: e.id, lot });
  }

  private state(account: AccountId): AccountState {
    return this.accounts.get(account) as AccountState;
  }

  private position(account: AccountId, s: Symbol): Lot[] {
    const positions = this.state(account).positions;
    let lots = positions.get(s);
    if (lots === undefined) {
      lots = [];
      positions.set(s, lots);
    }
    return lots;
  }

  private addCash(account: AccountId, amount: number): void {
    this.state(account).cash += amount;
  }

  /**
   * The next lot id for parts of `origin`: the origin id itself, then `origin#2`, `#3`, ...
   * `issued` is how many ids an origin not yet recorded has already used (1 once its lot exists).
   */
  private nextPartId(origin: string, issued: number): string {
    const n = this.parts.get(origin) ?? issued;
    this.parts.set(origin, n + 1);
    return n === 0 ? origin : `${origin}#${n + 1}`;
  }

  private collectOpenLots(): Lot[] {
    const out: Lot[] = [];
    for (const a of this.household.accounts) {
      const byAccount = this.state(a.id).positions;
      const symbols = [...byAccount.keys()].sort((x, y) => (this.symbolOrder.get(x) ?? 0) - (this.symbolOrder.get(y) ?? 0));
      for (const s of symbols) out.push(...(byAccount.get(s) as Lot[]));
    }
    return out;
  }
}

const NO_MATCHES: readonly WashMatch[] = [];
const NO_LOTS: readonly Lot[] = [];

function purchaseLot(
  e: Buy | DividendReinvest,
  index: number,
  id: string,
  shares: Shares,
  basis: Usd,
  heldFrom: Day,
  washAdjustment: Usd,
  replacement: boolean,
): Lot {
  return {
    id,
    origin: e.id,
    seq: index,
    account: e.account,
    symbol: e.symbol,
    shares,
    basis,
    acquired: e.date,
    heldFrom,
    washAdjustment,
    purchase: true,
    replacement,
  };
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

/** Removes the given positions from `lots` in one pass (a FIFO prefix or LIFO suffix natively). */
function removeIndices(lots: Lot[], gone: number[]): void {
  if (gone.length === 0) return;
  gone.sort((a, b) => a - b);
  const first = gone[0] as number;
  const last = gone[gone.length - 1] as number;
  if (last - first + 1 === gone.length) {
    lots.splice(first, gone.length);
    return;
  }
  let w = first;
  let g = 0;
  for (let r = first; r < lots.length; r++) {
    if (g < gone.length && gone[g] === r) {
      g++;
      continue;
    }
    lots[w++] = lots[r] as Lot;
  }
  lots.length = w;
}
