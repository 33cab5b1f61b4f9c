/**
 * Tax-impact preview: what selling would do before anyone trades. A hypothetical sale — of lots
 * the adviser names, or of the lots a cash withdrawal from an account would sell — is appended to
 * the household's events at the day's closes and the whole household is booked again, so the
 * answer comes from the same ledger and wash-sale engine as the real sale would: the lots relieved,
 * the realized short- and long-term gain, the wash sales the sale would trigger against purchases
 * of the last 30 days (in any account of the household, IRAs included) and why, and the change in
 * the year's tax on capital items at the household's marginal rates (its tax profile).
 *
 * A withdrawal sells in tax order: short-term losses first, then long-term losses, then long-term
 * gains, then short-term gains (within each, the largest loss or smallest gain per dollar first),
 * whole shares, after the account's cash. Nothing is written.
 */
import { addDays, formatDay, yearOf, type Day } from '../core/kernel/calendar.js';
import { issue, type Issue, type Result } from '../core/kernel/errors.js';
import { exact, format, usdOf, type Price, type Shares, type Usd } from '../core/kernel/exact.js';
import { book } from '../core/ledger/booking.js';
import type { LedgerEvent } from '../core/ledger/events.js';
import { termOf, type Term } from '../core/ledger/holdingPeriod.js';
import { eventId, type AccountId, type Symbol } from '../core/ledger/household.js';
import type { Disposition, Ledger } from '../core/ledger/ledger.js';
import type { Lot } from '../core/ledger/lots.js';
import { identicalOn } from '../core/ledger/washSales.js';
import type { Universe } from '../core/securities/universe.js';
import { capitalItemsTax, lossContext } from '../core/tax/lossValue.js';
import { marginalRates } from '../core/tax/marginalRates.js';
import type { SetupDecoder } from './dailyRun.js';
import type { BookStore, HouseholdId, MarketSource, TaxTables, TenantId } from './ports.js';

export interface TaxPreviewDeps {
  readonly book: BookStore;
  readonly market: MarketSource;
  readonly tax: TaxTables;
  readonly universe: Universe;
  readonly setups: SetupDecoder;
}

export type PreviewSale =
  | { readonly kind: 'lots'; readonly lots: readonly { readonly lotId: string; readonly shares?: Shares }[] }
  | { readonly kind: 'withdrawal'; readonly account: AccountId; readonly amount: Usd };

export interface TaxPreviewRequest {
  readonly tenant: TenantId;
  readonly household: HouseholdId;
  readonly date: Day;
  readonly sale: PreviewSale;
}

export interface PreviewLine {
  readonly account: AccountId;
  readonly symbol: Symbol;
  readonly lotId: string;
  readonly shares: Shares;
  readonly price: Price;
  readonly proceeds: Usd;
  readonly basis: Usd;
  readonly gain: Usd;
  /** Loss the wash-sale rule would disallow on this line (0 when none). */
  readonly disallowed: Usd;
  readonly term: Term;
  readonly taxable: boolean;
}

export interface PreviewWashSale {
  readonly account: AccountId;
  readonly symbol: Symbol;
  readonly lotId: string;
  readonly loss: Usd;
  readonly disallowed: Usd;
  readonly permanent: boolean;
  readonly replacement: { readonly account: AccountId; readonly symbol: Symbol; readonly date: Day; readonly event: string; readonly lot: string };
  readonly why: string;
}

export interface TaxPreview {
  readonly date: Day;
  readonly tradingDay: Day;
  readonly lines: readonly PreviewLine[];
  readonly proceeds: Usd;
  /** Reportable gain of the sale in taxable accounts (disallowed losses added back). */
  readonly realized: { readonly shortTerm: Usd; readonly longTerm: Usd };
  /** Undefined when the household has no usable tax profile (the notes say why). */
  readonly tax: { readonly year: number; readonly before: Usd; readonly after: Usd; readonly change: Usd } | undefined;
  readonly washSales: readonly PreviewWashSale[];
  /** Losses that a purchase before `washWindowEnd` of the same or an identical security would still wash. */
  readonly washWindowEnd: Day | undefined;
  readonly notes: readonly string[];
}

const PREVIEW_PREFIX = 'preview:';
const fail = <T>(issues: Issue[]): Result<T> => ({ ok: false, issues });
const money = (v: number): string => `$${format('usd', Math.abs(v))}`;

export async function previewSale(deps: TaxPreviewDeps, req: TaxPreviewRequest): Promise<Result<TaxPreview>> {
  const tenant = deps.book.tenant(req.tenant);
  const stored = await tenant.household(req.household);
  if (stored === undefined) return fail([issue('NOT_FOUND', `no household "${req.household}"`, { field: 'household' })]);
  const events = (await tenant.events(req.household)).map((s) => s.event);
  if (stored.lastEventDate !== undefined && req.date < stored.lastEventDate) {
    return fail([issue('BAD_DATE', `the household's book runs to ${formatDay(stored.lastEventDate)}: preview a sale on or after it`, { field: 'date' })]);
  }
  const before = book(stored.household, events, { through: req.date });
  if (!before.ok) return before;
  const held = [...new Set(before.value.openLots.map((l) => l.symbol))];
  const market = await deps.market.marketOn(req.date, held);
  if (!market.ok) return market;
  const close = (s: Symbol): Price | undefined => {
    const c = market.value.view.close(s);
    const p = c === undefined ? undefined : exact('price', c);
    return p?.ok === true ? p.value : undefined;
  };
  const picks = req.sale.kind === 'lots' ? namedLots(before.value, req.sale.lots) : withdrawalLots(before.value, req.sale.account, req.sale.amount, close, req.date);
  if (!picks.ok) return picks;
  const notes: string[] = [...picks.value.notes];
  const priceIssues: Issue[] = [];
  const sales: LedgerEvent[] = [];
  const groups = new Map<string, { account: AccountId; symbol: Symbol; picks: { lot: string; shares: Shares }[] }>();
  for (const p of picks.value.picks) {
    const key = `${p.lot.account}\u0000${p.lot.symbol}`;
    const g = groups.get(key) ?? { account: p.lot.account, symbol: p.lot.symbol, picks: [] };
    g.picks.push({ lot: p.lot.id, shares: p.shares });
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    const price = close(g.symbol);
    if (price === undefined) {
      priceIssues.push(issue('NO_CLOSES', `no close for ${g.symbol} on ${formatDay(market.value.tradingDay)}: it cannot be priced`, { field: 'lots' }));
      continue;
    }
    const shares = g.picks.reduce((a, p) => a + p.shares, 0) as Shares;
    sales.push({ kind: 'sell', id: eventId(`${PREVIEW_PREFIX}${sales.length + 1}`), date: req.date, account: g.account, symbol: g.symbol, shares, price, fees: 0 as Usd, selection: { method: 'SPECIFIC', lots: g.picks } });
  }
  if (priceIssues.length > 0) return fail(priceIssues);
  if (sales.length === 0 && req.sale.kind === 'lots') return fail([issue('MISSING_FIELD', 'the sale sells nothing', { field: req.sale.kind === 'lots' ? 'lots' : 'withdrawal.amount' })]);
  const after = book(stored.household, [...events, ...sales], { through: req.date });
  if (!after.ok) return after;
  const sold = after.value.dispositions.filter((d) => (d.saleId as string).startsWith(PREVIEW_PREFIX));
  const lines = sold.map((d) => lineOf(d, sales));
  const year = yearOf(req.date);
  const realized = realizedIn(sold, year);
  const washSales = sold.flatMap((d) => washesOf(d, stored.household));
  const lossSales = sold.filter((d) => d.taxable && d.gain < 0);
  const identical = identicalOn(stored.household);
  for (const d of lossSales) {
    const group = identical(d.symbol, req.date).filter((s) => s !== d.symbol);
    notes.push(
      `buying ${d.symbol}${group.length > 0 ? ` or ${group.join(', ')}` : ''} in any account of the household (IRAs included) through ${formatDay(addDays(req.date, 30))} would wash the loss on lot ${d.lotId}`,
    );
  }
  const tax = taxChange(deps, stored, before.value, realized, req.date, notes);
  return {
    ok: true,
    value: {
      date: req.date,
      tradingDay: market.value.tradingDay,
      lines,
      proceeds: lines.reduce((a, l) => a + l.proceeds, 0) as Usd,
      realized,
      tax,
      washSales,
      washWindowEnd: lossSales.length > 0 ? addDays(req.date, 30) : undefined,
      notes: [...new Set(notes)],
    },
  };
}

interface Pick {
  readonly lot: Lot;
  readonly shares: Shares;
}

function namedLots(ledger: Ledger, named: readonly { readonly lotId: string; readonly shares?: Shares }[]): Result<{ picks: Pick[]; notes: string[] }> {
  const issues: Issue[] = [];
  const picks: Pick[] = [];
  const byId = new Map(ledger.openLots.map((l) => [l.id, l]));
  const seen = new Set<string>();
  named.forEach((n, i) => {
    const lot = byId.get(n.lotId);
    if (lot === undefined) return issues.push(issue('NOT_FOUND', `no open lot "${n.lotId}" in the household`, { field: `lots.${i}.lotId` }));
    if (seen.has(n.lotId)) return issues.push(issue('DUPLICATE_ID', `lot "${n.lotId}" is named twice`, { field: `lots.${i}.lotId` }));
    seen.add(n.lotId);
    const shares = n.shares ?? lot.shares;
    if (shares <= 0 || shares > lot.shares) {
      return issues.push(issue('BAD_VALUE', `lot ${lot.id} holds ${format('shares', lot.shares)} shares; cannot sell ${format('shares', shares)}`, { field: `lots.${i}.shares` }));
    }
    return picks.push({ lot, shares });
  });
  if (named.length === 0) issues.push(issue('MISSING_FIELD', 'name at least one lot', { field: 'lots' }));
  return issues.length > 0 ? fail(issues) : { ok: true, value: { picks, notes: [] } };
}

const SHARE = 1_000_000;

function withdrawalLots(ledger: Ledger, account: AccountId, amount: Usd, close: (s: Symbol) => Price | undefined, date: Day): Result<{ picks: Pick[]; notes: string[] }> {
  if (!ledger.household.accounts.some((a) => a.id === account)) return fail([issue('UNKNOWN_ACCOUNT', `no account "${account}" in the household`, { field: 'withdrawal.account' })]);
  if (amount <= 0) return fail([issue('NOT_POSITIVE', 'the withdrawal amount must be positive', { field: 'withdrawal.amount' })]);
  const notes: string[] = [];
  const cash = Math.max(0, ledger.cash.get(account) ?? 0);
  let need = amount - cash;
  if (cash > 0) notes.push(`${money(Math.min(cash, amount))} of the withdrawal comes from the account's cash`);
  if (need <= 0) return { ok: true, value: { picks: [], notes } };
  const ranked = ledger.openLots
    .filter((l) => l.account === account && close(l.symbol) !== undefined)
    .map((lot) => {
      const value = usdOf(lot.shares, close(lot.symbol) as Price);
      const gain = value - lot.basis;
      const term = termOf(lot.heldFrom, date);
      const rank = gain < 0 ? (term === 'short' ? 0 : 1) : term === 'long' ? 2 : 3;
      return { lot, value, rank, perDollar: value === 0 ? 0 : gain / value };
    })
    .sort((a, b) => a.rank - b.rank || a.perDollar - b.perDollar || a.lot.seq - b.lot.seq);
  const picks: Pick[] = [];
  for (const r of ranked) {
    if (need <= 0) break;
    const price = close(r.lot.symbol) as Price;
    if (r.value <= need) {
      picks.push({ lot: r.lot, shares: r.lot.shares });
      need -= r.value;
      continue;
    }
    const perShare = usdOf(SHARE as Shares, price);
    const whole = Math.min(r.lot.shares, Math.ceil(need / perShare) * SHARE) as Shares;
    picks.push({ lot: r.lot, shares: whole });
    need -= usdOf(whole, price);
  }
  if (need > 0) return fail([issue('BAD_VALUE', `account ${account} holds ${money(amount - cash - need)} of priced securities and ${money(cash)} of cash: not enough for ${money(amount)}`, { field: 'withdrawal.amount' })]);
  return { ok: true, value: { picks, notes } };
}

function lineOf(d: Disposition, sales: readonly LedgerEvent[]): PreviewLine {
  const sale = sales.find((s) => s.id === d.saleId);
  const price = (sale !== undefined && sale.kind === 'sell' ? sale.price : 0) as Price;
  return { account: d.account, symbol: d.symbol, lotId: d.lotId, shares: d.shares, price, proceeds: d.proceeds, basis: d.basis, gain: d.gain, disallowed: d.disallowed, term: d.term, taxable: d.taxable };
}

function realizedIn(ds: readonly Disposition[], year: number): { shortTerm: Usd; longTerm: Usd } {
  let shortTerm = 0;
  let longTerm = 0;
  for (const d of ds) {
    if (!d.taxable || yearOf(d.date) !== year) continue;
    if (d.term === 'short') shortTerm += d.gain + d.disallowed;
    else longTerm += d.gain + d.disallowed;
  }
  return { shortTerm: shortTerm as Usd, longTerm: longTerm as Usd };
}

function washesOf(d: Disposition, household: Ledger['household']): PreviewWashSale[] {
  const accountType = (id: AccountId): string => household.accounts.find((a) => a.id === id)?.type ?? 'account';
  return d.washMatches.map((m) => {
    const same = m.symbol === d.symbol ? `${d.symbol}` : `${m.symbol}, substantially identical to ${d.symbol},`;
    const where = m.account === d.account ? `the same account` : `account ${m.account} (${accountType(m.account)})`;
    const effect = m.permanent
      ? `${money(m.disallowed)} of the loss is disallowed for good (a purchase in a tax-advantaged account never carries it)`
      : `${money(m.disallowed)} of the loss is disallowed and added to the basis of lot ${m.replacementLot}`;
    return {
      account: d.account,
      symbol: d.symbol,
      lotId: d.lotId,
      loss: (-d.gain) as Usd,
      disallowed: m.disallowed,
      permanent: m.permanent,
      replacement: { account: m.account, symbol: m.symbol, date: m.acquired, event: m.replacementEvent, lot: m.replacementLot },
      why: `selling lot ${d.lotId} at a loss of ${money(d.gain)}: ${same} was bought in ${where} on ${formatDay(m.acquired)} (event ${m.replacementEvent}), within 30 days before the sale (IRC §1091); ${effect}`,
    };
  });
}

function taxChange(deps: TaxPreviewDeps, stored: Parameters<SetupDecoder['decode']>[0], before: Ledger, sale: { shortTerm: Usd; longTerm: Usd }, date: Day, notes: string[]): TaxPreview['tax'] {
  const setup = deps.setups.decode(stored, deps.universe);
  if (!setup.ok) {
    notes.push(`no tax estimate: ${setup.issues.map((i) => i.message).join('; ')}`);
    return undefined;
  }
  const year = yearOf(date);
  const tables = deps.tax.forYear(year);
  if (!tables.ok) {
    notes.push(`no tax estimate: ${tables.issues.map((i) => i.message).join('; ')}`);
    return undefined;
  }
  if (tables.value.year !== year) notes.push(`no tax tables for ${year}: using the ${tables.value.year} tables`);
  const profile = setup.value.profile;
  const rates = marginalRates(tables.value.federal, tables.value.states, profile, { stateDeductible: setup.value.stateDeductible });
  if (!rates.ok) {
    notes.push(`no tax estimate: ${rates.issues.map((i) => i.message).join('; ')}`);
    return undefined;
  }
  const soFar = realizedIn(before.dispositions, year);
  const taxWith = (r: { shortTerm: number; longTerm: number }): Usd =>
    capitalItemsTax(lossContext(tables.value.federal, { ...profile, realized: { shortTerm: r.shortTerm as Usd, longTerm: r.longTerm as Usd } }, rates.value)).tax;
  const beforeTax = taxWith(soFar);
  const afterTax = taxWith({ shortTerm: soFar.shortTerm + sale.shortTerm, longTerm: soFar.longTerm + sale.longTerm });
  notes.push(`tax on the year's capital items at the household's marginal rates, with ${formatDay(date).slice(0, 4)}'s realized gains so far and its carryover`);
  return { year: tables.value.year, before: beforeTax, after: afterTax, change: (afterTax - beforeTax) as Usd };
}
