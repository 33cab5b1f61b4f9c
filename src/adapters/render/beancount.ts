/**
 * A household's book as a beancount ledger that beancount and fava accept, and that Lotsmith's
 * beancount importer reads back into the same events (same ids, same lots, same Form 8949 rows).
 *
 *   accounts     `Assets:Lotsmith:<Id>` per account, opened with beancount's booking (LIFO for LIFO
 *                accounts, FIFO otherwise: every reduction names its lot, so the method only breaks
 *                ties) and `lotsmith-account`, `lotsmith-type`, `lotsmith-owner`, `lotsmith-lot-method`
 *   commodities  one per security; a ticker beancount cannot spell (one letter, lower case) gets a
 *                valid name and `lotsmith-symbol` with the ticker
 *   events       one transaction each, `lotsmith-id` = the event id:
 *                buy / reinvested dividend  `N SYM {{cost USD, "id"}} @ price USD` (cost = shares x price
 *                                           + fees, the lot's basis; `lotsmith-fees` says the fees)
 *                sell          one reduction per lot sold `-N SYM {acquired, "origin"} @ price USD`
 *                              (`lotsmith-lot` names the exact part), cash, Income:Lotsmith:CapitalGains
 *                transfer_in   `{{basis USD, acquired, "id"}}` against Equity:Lotsmith:External
 *                transfer / transfer_out / split  the lots reduced and restated, by label
 *                dividend, deposit, withdrawal, fee  cash against Income, Equity or Expenses
 *   wash sales   lots keep the cost paid (beancount's cost is what cash bought, and lot matching and
 *                balances depend on it). A sale whose loss is disallowed carries `wash-disallowed`
 *                (total and per lot) and `wash-replacements`; each replacement purchase carries
 *                `wash-adjustment` with the shares, the disallowed loss added to their basis, the
 *                adjusted basis and the holding period tacked on. Limits: beancount's own capital
 *                gains (Income:Lotsmith:CapitalGains) and fava's unrealized gains are on the cost
 *                paid, not the adjusted basis; Form 8949 figures are Lotsmith's (re-import to get them).
 */
import { formatDay, type Day } from '../../core/kernel/calendar.js';
import type { Result } from '../../core/kernel/errors.js';
import { format, prorate, usdOf, type Shares, type Usd } from '../../core/kernel/exact.js';
import { book } from '../../core/ledger/booking.js';
import type { LedgerEvent, LotSelection } from '../../core/ledger/events.js';
import type { Household, LotMethod } from '../../core/ledger/household.js';
import type { Disposition, Ledger } from '../../core/ledger/ledger.js';
import type { Lot } from '../../core/ledger/lots.js';

const CURRENCY = /^[A-Z][A-Z0-9'._-]{0,22}[A-Z0-9]$/;

export function renderBeancount(household: Household, events: readonly LedgerEvent[]): Result<string> {
  const booked = book(household, events);
  if (!booked.ok) return booked;
  return { ok: true, value: new Writer(household, events, booked.value).write() };
}

interface WashNote {
  readonly sale: string;
  readonly shares: Shares;
  readonly disallowed: Usd;
  readonly heldFrom: Day | undefined;
  readonly permanent: boolean;
}

class Writer {
  private readonly out: string[] = [];
  private readonly accounts = new Map<string, string>();
  private readonly commodities = new Map<string, string>();
  private readonly sales = new Map<string, Disposition[]>();
  private readonly removals = new Map<string, Lot[]>();
  private readonly washes = new Map<string, WashNote[]>();

  constructor(
    private readonly household: Household,
    private readonly events: readonly LedgerEvent[],
    private readonly ledger: Ledger,
  ) {
    for (const d of ledger.dispositions) {
      this.sales.set(d.saleId, [...(this.sales.get(d.saleId) ?? []), d]);
      for (const m of d.washMatches) {
        this.washes.set(m.replacementEvent, [...(this.washes.get(m.replacementEvent) ?? []), { sale: d.saleId, shares: m.shares, disallowed: m.disallowed, heldFrom: m.heldFrom, permanent: m.permanent }]);
      }
    }
    for (const r of ledger.removals) this.removals.set(r.eventId, [...(this.removals.get(r.eventId) ?? []), r.lot]);
    const usedAccounts = new Set<string>();
    for (const a of household.accounts) this.accounts.set(a.id, unique(`Assets:Lotsmith:${component(a.id)}`, usedAccounts));
    const symbols = new Set<string>(household.securities.map((s) => s.symbol));
    for (const e of events) if ('symbol' in e) symbols.add(e.symbol);
    const usedNames = new Set<string>();
    for (const s of symbols) this.commodities.set(s, unique(commodityName(s), usedNames));
  }

  write(): string {
    const first = this.events.reduce((m, e) => Math.min(m, e.date), Infinity);
    const open = Number.isFinite(first) ? formatDay(first as Day) : '1970-01-01';
    this.line('; Lotsmith book, written for beancount and fava. Lots keep the cost paid; wash-sale adjustments are metadata.');
    this.line('option "title" "Lotsmith book"');
    this.line('option "operating_currency" "USD"');
    this.line('');
    for (const a of this.household.accounts) {
      const method = a.lotMethod ?? this.household.settings.lotMethod;
      this.line(`${open} open ${this.accounts.get(a.id)} "${method === 'LIFO' ? 'LIFO' : 'FIFO'}"`);
      this.meta('lotsmith-account', str(a.id));
      this.meta('lotsmith-type', str(a.type));
      this.meta('lotsmith-owner', str(a.owner));
      this.meta('lotsmith-lot-method', str(method));
    }
    for (const name of ['Income:Lotsmith:Dividends', 'Income:Lotsmith:CapitalGains', 'Expenses:Lotsmith:Fees', 'Equity:Lotsmith:External', 'Equity:Lotsmith:Rounding']) this.line(`${open} open ${name} USD`);
    for (const [sym, name] of this.commodities) {
      this.line(`${open} commodity ${name}`);
      if (name !== sym) this.meta('lotsmith-symbol', str(sym));
      const sec = this.household.securities.find((s) => s.symbol === sym);
      if (sec?.cusip !== undefined) this.meta('cusip', str(sec.cusip));
      if (sec?.assetClass !== undefined) this.meta('asset-class', str(sec.assetClass));
      if (sec?.index !== undefined) this.meta('index', str(sec.index));
    }
    this.events.forEach((e, i) => {
      this.line('');
      this.event(e, i);
    });
    return `${this.out.join('\n')}\n`;
  }

  private line(text: string): void {
    this.out.push(text);
  }

  private meta(key: string, value: string, indent = 2): void {
    this.out.push(`${' '.repeat(indent)}${key}: ${value}`);
  }

  private posting(account: string, amount: string, indent = 2): void {
    this.out.push(`${' '.repeat(indent)}${account}${amount === '' ? '' : `  ${amount}`}`);
  }

  private head(e: LedgerEvent, narration: string, kind?: string): void {
    this.line(`${formatDay(e.date)} * ${str(narration)}`);
    this.meta('lotsmith-id', str(e.id));
    if (kind !== undefined) this.meta('lotsmith-kind', str(kind));
    if (e.kind === 'sell' || e.kind === 'transfer' || e.kind === 'transfer_out') {
      // The selection as the event made it, so a re-import relieves the lots in the same order.
      const account = this.household.accounts.find((a) => a.id === e.account);
      const s: LotSelection = e.selection ?? { method: (account?.lotMethod ?? this.household.settings.lotMethod) as Exclude<LotMethod, 'SPECIFIC'> };
      const picks = s.method === 'SPECIFIC' ? s.lots.map((p) => ` ${p.lot}${p.shares !== undefined ? `:${format('shares', p.shares)}` : ''}`).join('') : '';
      this.meta('lotsmith-selection', str(`${s.method}${picks}`));
    }
  }

  private event(e: LedgerEvent, index: number): void {
    const usdText = (v: number): string => `${format('usd', v)} USD`;
    switch (e.kind) {
      case 'buy':
      case 'dividend_reinvest': {
        const gross = usdOf(e.shares, e.price);
        const cost = gross + e.fees;
        const c = this.commodities.get(e.symbol) as string;
        this.head(e, `${e.kind === 'buy' ? 'Buy' : 'Reinvest dividend in'} ${format('shares', e.shares)} ${e.symbol}`, e.kind);
        if (e.fees > 0) this.meta('lotsmith-fees', str(usdText(e.fees)));
        this.washNotes(e.id);
        const acct = this.account(e.account);
        this.posting(acct, `${format('shares', e.shares)} ${c} {{${usdText(cost)}, ${str(e.id)}}} @ ${format('price', e.price)} USD`);
        if (e.kind === 'buy') this.posting(acct, usdText(-cost));
        else {
          if (e.fees > 0) this.posting(acct, usdText(-e.fees));
          this.posting('Income:Lotsmith:Dividends', usdText(-gross));
        }
        return;
      }
      case 'sell': {
        const parts = this.sales.get(e.id) ?? [];
        const disallowed = parts.reduce((s, d) => s + d.disallowed, 0);
        this.head(e, `Sell ${format('shares', e.shares)} ${e.symbol}`, 'sell');
        if (e.fees > 0) this.meta('lotsmith-fees', str(usdText(e.fees)));
        if (disallowed > 0) {
          this.meta('wash-disallowed', str(usdText(disallowed)));
          this.meta('wash-replacements', str([...new Set(parts.flatMap((d) => d.washMatches.map((m) => m.replacementLot)))].join(' ')));
        }
        const acct = this.account(e.account);
        for (const d of parts) {
          this.posting(acct, `${format('shares', -d.shares)} ${this.commodities.get(e.symbol)} {${formatDay(d.acquired)}, ${str(d.origin)}} @ ${format('price', e.price)} USD`);
          if (d.lotId !== d.origin) this.meta('lotsmith-lot', str(d.lotId), 4);
          if (d.disallowed > 0) this.meta('wash-disallowed', str(usdText(d.disallowed)), 4);
        }
        this.posting(acct, usdText(usdOf(e.shares, e.price) - e.fees));
        this.posting('Income:Lotsmith:CapitalGains', '');
        return;
      }
      case 'dividend':
        this.head(e, `Dividend ${e.symbol}`);
        this.meta('lotsmith-symbol', str(e.symbol));
        this.posting(this.account(e.account), usdText(e.amount));
        this.posting('Income:Lotsmith:Dividends', usdText(-e.amount));
        return;
      case 'deposit':
      case 'withdrawal':
      case 'fee': {
        const sign = e.kind === 'deposit' ? 1 : -1;
        this.head(e, e.kind === 'deposit' ? 'Deposit' : e.kind === 'withdrawal' ? 'Withdrawal' : 'Fee');
        this.posting(this.account(e.account), usdText(sign * e.amount));
        this.posting(e.kind === 'fee' ? 'Expenses:Lotsmith:Fees' : 'Equity:Lotsmith:External', usdText(-sign * e.amount));
        return;
      }
      case 'transfer_in': {
        const cost = e.basis + (e.washAdjustment ?? 0);
        this.head(e, `Transfer in ${format('shares', e.shares)} ${e.symbol}`, 'transfer_in');
        this.posting(this.account(e.account), `${format('shares', e.shares)} ${this.commodities.get(e.symbol)} {{${usdText(cost)}, ${formatDay(e.acquired)}, ${str(e.id)}}}`);
        if (e.washAdjustment !== undefined && e.washAdjustment > 0) this.meta('wash-adjustment', str(usdText(e.washAdjustment)), 4);
        if (e.adjustedAcquired !== undefined) this.meta('held-from', formatDay(e.adjustedAcquired), 4);
        this.posting('Equity:Lotsmith:External', usdText(-cost));
        return;
      }
      case 'transfer_out': {
        this.head(e, `Transfer out ${format('shares', e.shares)} ${e.symbol}`, 'transfer_out');
        for (const lot of this.removals.get(e.id) ?? []) this.reduction(e.account, lot);
        this.posting('Equity:Lotsmith:External', '');
        return;
      }
      case 'transfer': {
        this.head(e, `Transfer ${format('shares', e.shares)} ${e.symbol}`, 'transfer');
        const [before, after] = this.around(index);
        for (const moved of movedLots(before, after, e.account, e.symbol)) {
          this.reduction(e.account, moved);
          this.restatement(e.toAccount, moved);
        }
        this.posting('Equity:Lotsmith:Rounding', '');
        return;
      }
      case 'split': {
        const g = gcd(e.to, e.from);
        this.head(e, `Split ${e.symbol} ${e.to / g} for ${e.from / g}`, 'split');
        this.meta('lotsmith-split', str(`${e.to / g}:${e.from / g}`));
        if (e.account === undefined) this.meta('lotsmith-split-all', 'TRUE');
        const [before, after] = this.around(index);
        const held = before.openLots.filter((l) => l.symbol === e.symbol && (e.account === undefined || l.account === e.account));
        if (held.length === 0) this.meta('lotsmith-note', str('no shares held: nothing to restate'));
        for (const lot of held) this.reduction(lot.account, lot);
        for (const lot of after.openLots.filter((l) => l.symbol === e.symbol && (e.account === undefined || l.account === e.account))) this.restatement(lot.account, lot);
        if (held.length > 0) this.posting('Equity:Lotsmith:Rounding', '');
        return;
      }
    }
  }

  private account(id: string): string {
    return this.accounts.get(id) as string;
  }

  private reduction(account: string, lot: Lot): void {
    this.posting(this.account(account), `${format('shares', -lot.shares)} ${this.commodities.get(lot.symbol)} {${formatDay(lot.acquired)}, ${str(lot.origin)}}`);
    if (lot.id !== lot.origin) this.meta('lotsmith-lot', str(lot.id), 4);
  }

  private restatement(account: string, lot: Lot): void {
    const raw = lot.basis - lot.washAdjustment;
    this.posting(this.account(account), `${format('shares', lot.shares)} ${this.commodities.get(lot.symbol)} {{${format('usd', raw)} USD, ${formatDay(lot.acquired)}, ${str(lot.origin)}}}`);
  }

  private washNotes(eventId: string): void {
    const notes = this.washes.get(eventId);
    if (notes === undefined) return;
    const text = notes
      .map((n) => `${format('shares', n.shares)} shares ${n.permanent ? 'replaced a loss of ' : '+'}${format('usd', n.disallowed)} USD from sale ${n.sale}${n.permanent ? ' (in a tax-advantaged account: disallowed for good)' : n.heldFrom !== undefined ? ` (held from ${formatDay(n.heldFrom)})` : ''}`)
      .join('; ');
    this.meta('wash-adjustment', str(text));
  }

  /** The ledger just before and just after event `index` (for the lots a transfer or split moves). */
  private around(index: number): [Ledger, Ledger] {
    const before = book(this.household, this.events.slice(0, index));
    const after = book(this.household, this.events.slice(0, index + 1));
    if (!before.ok || !after.ok) throw new Error('a prefix of a booked ledger failed to book');
    return [before.value, after.value];
  }
}

/** The parts of lots that left `account`'s position in `symbol` between two states. */
function movedLots(before: Ledger, after: Ledger, account: string, symbol: string): Lot[] {
  const left = new Map<string, number>();
  for (const l of after.openLots) if (l.account === account && l.symbol === symbol) left.set(l.id, (left.get(l.id) ?? 0) + l.shares);
  const out: Lot[] = [];
  for (const l of before.openLots) {
    if (l.account !== account || l.symbol !== symbol) continue;
    const remaining = left.get(l.id) ?? 0;
    const kept = Math.min(remaining, l.shares);
    left.set(l.id, remaining - kept);
    const moved = l.shares - kept;
    if (moved <= 0) continue;
    out.push({ ...l, shares: moved as Shares, basis: prorate(l.basis, moved, l.shares), washAdjustment: prorate(l.washAdjustment, moved, l.shares) });
  }
  return out;
}

function str(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** An account component: letters and digits, starting with a capital or a digit. */
function component(id: string): string {
  const parts = id.split(/[^A-Za-z0-9]+/).filter((p) => p !== '');
  const joined = parts.map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('-');
  return joined === '' ? 'Account' : /^[A-Z0-9]/.test(joined) ? joined : `A${joined}`;
}

/** A beancount commodity name for a ticker: itself when valid, else a valid spelling of it. */
function commodityName(sym: string): string {
  if (CURRENCY.test(sym)) return sym;
  let s = sym.toUpperCase().replace(/[^A-Z0-9'._-]/g, '-');
  if (!/^[A-Z]/.test(s)) s = `S${s}`;
  if (!/[A-Z0-9]$/.test(s)) s = `${s}0`;
  if (s.length < 2) s = `${s}-SH`;
  return CURRENCY.test(s) ? s : `S${s.replace(/[^A-Z0-9]/g, '').slice(0, 20)}0`;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function unique(name: string, used: Set<string>): string {
  let n = name;
  for (let k = 2; used.has(n); k++) n = `${name}-${k}`;
  used.add(n);
  return n;
}
