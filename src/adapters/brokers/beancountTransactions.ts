/**
 * Beancount transactions -> ledger events. A transaction's postings in securities (commodities
 * held at cost, in Assets accounts) decide what it is:
 *
 *   augmentation only         buy; transfer_in when the cost date is before the transaction date
 *                             (an opening balance with its original acquisition date) or the other
 *                             side is Equity; dividend_reinvest when the other side is Income
 *   reduction only            sell at the `@` price (`@@` total); without a price, a sale for the cash
 *                             received, or transfer_out when no cash comes back
 *   reduction + augmentation  transfer between accounts (same commodity, units and cost), or a split
 *                             (same account, all lots, same total cost, units scaled)
 *   no security               dividend (Income account naming a commodity, or `lotsmith-symbol`),
 *                             deposit, withdrawal, fee (Expenses) on investment accounts' cash;
 *                             transactions touching no investment account are counted, not booked
 *
 * Fees: `lotsmith-fees` metadata (the cost total then includes them, as Lotsmith's export writes),
 * else the transaction's Expenses postings (added to the basis of a buy, deducted from a sale's
 * proceeds). Reductions that name a lot (cost, date, label) sell those lots (SPECIFIC, by the
 * acquiring event's id); `{}` follows the account's booking method: FIFO and LIFO as methods,
 * others resolved to the lots beancount reduces. `lotsmith-kind`, `lotsmith-id` and `lotsmith-lot`
 * metadata (written by the export) make the mapping exact.
 */
import { createHash } from 'node:crypto';
import { formatDay, parseDay, type Day } from '../../core/kernel/calendar.js';
import { perShare, usdOf, type Price, type Shares, type Usd } from '../../core/kernel/exact.js';
import type { LotPick, LotSelection } from '../../core/ledger/events.js';
import { accountId, lotMethodFrom, type Symbol } from '../../core/ledger/household.js';
import type { BrokerBatch } from './brokerBatch.js';
import { brokerDecimal, tradeAmounts } from './brokerNumbers.js';
import type { Booking, Inventory, Pick } from './beancountInventory.js';
import type { Directive, Meta, Posting } from './beancountSyntax.js';

export interface BeanContext {
  readonly b: BrokerBatch;
  readonly inventory: Inventory;
  readonly operating: string;
  /** Lotsmith account key of a beancount account, when it is (or holds the cash of) an investment account. */
  keyOf(account: string): string | undefined;
  bookingOf(account: string): Booking;
  /** Symbol of a commodity held at cost; undefined for currencies and other commodities. */
  securityOf(currency: string): Symbol | undefined;
  /** Symbol named by an Income account (`Income:Dividends:VOO`), if any. */
  symbolInAccount(account: string): Symbol | undefined;
  isOpen(account: string, date: Day): boolean;
}

interface Parts {
  readonly reductions: Posting[];
  readonly augmentations: Posting[];
  readonly cash: Map<string, number>;
  readonly income: number;
  readonly expenses: number;
  readonly equity: boolean;
  readonly incomeAccounts: string[];
}

const root = (account: string): string => account.slice(0, account.indexOf(':'));

export function bookBeanTransaction(ctx: BeanContext, d: Directive, meta: Meta): void {
  const date = d.date as Day;
  for (const p of d.postings) {
    if (!ctx.isOpen(p.account, date)) return void ctx.b.fail('UNKNOWN_ACCOUNT', `account ${p.account} is not open on this date (no open directive)`, p.line, 'account');
  }
  const parts = partition(ctx, d);
  if (parts === undefined) return;
  const ids = new Ids(d, meta);
  const kind = meta.get('lotsmith-kind')?.value;
  const { reductions, augmentations } = parts;
  if (reductions.length === 0 && augmentations.length === 0) return cashOnly(ctx, d, meta, parts, ids);
  const commodities = new Set([...reductions, ...augmentations].map((p) => p.units?.currency));
  if (reductions.length > 0 && augmentations.length > 0) {
    if (commodities.size !== 1) return void ctx.b.fail('UNKNOWN_ACTION', 'a transaction exchanging one security for another (merger, conversion) is not supported', d.line);
    const accounts = new Set(reductions.map((p) => p.account));
    const into = new Set(augmentations.map((p) => p.account));
    if (kind === 'split' || (accounts.size === 1 && into.size === 1 && [...accounts][0] === [...into][0])) return split(ctx, d, meta, parts, ids);
    return transfer(ctx, d, meta, parts, ids);
  }
  if (augmentations.length > 0) for (const p of augmentations) acquire(ctx, d, meta, parts, p, ids, kind, augmentations.length);
  else reduce(ctx, d, meta, parts, ids, kind);
}

/** Event keys: `lotsmith-id` when the export wrote one, else date and a hash of the content. */
class Ids {
  private n = 0;
  private readonly base: string;
  constructor(d: Directive, meta: Meta) {
    const given = meta.get('lotsmith-id')?.value;
    if (given !== undefined) this.base = given;
    else {
      const content = [d.args.map((t) => t.text).join(' '), ...d.postings.map((p) => `${p.account} ${p.units?.number ?? ''} ${p.units?.currency ?? ''} ${JSON.stringify(p.cost ?? null)} ${JSON.stringify(p.price ?? null)}`)].join('\n');
      this.base = `bean:${formatDay(d.date as Day)}:${createHash('sha256').update(content).digest('hex').slice(0, 12)}`;
    }
  }
  next(): string {
    this.n++;
    return this.n === 1 ? this.base : `${this.base}/${this.n}`;
  }
}

function partition(ctx: BeanContext, d: Directive): Parts | undefined {
  const reductions: Posting[] = [];
  const augmentations: Posting[] = [];
  const cash = new Map<string, number>();
  let income = 0;
  let expenses = 0;
  let equity = false;
  const incomeAccounts: string[] = [];
  let missing: Posting | undefined;
  let weights = 0;
  for (const p of d.postings) {
    if (p.units === undefined) {
      if (missing !== undefined) return void ctx.b.fail('PARSE', 'more than one posting without an amount', p.line, 'units');
      missing = p;
      continue;
    }
    const sec = ctx.securityOf(p.units.currency);
    if (sec !== undefined) {
      if (root(p.account) !== 'Assets' || p.cost === undefined) {
        return void ctx.b.fail('BAD_VALUE', `${p.units.currency} is held at cost elsewhere; this posting in ${p.account} needs a cost spec ({...}) so its lot is known`, p.line, 'cost');
      }
      if (p.units.number.startsWith('-')) reductions.push(p);
      else augmentations.push(p);
      const w = weightOf(p);
      if (w === undefined) return void ctx.b.fail('BAD_NUMBER', `cannot read the amount ${p.units.number} ${p.units.currency}`, p.line, 'units');
      weights += w;
      continue;
    }
    if (p.units.currency !== ctx.operating) continue;
    const amount = cents(p.units.number);
    if (amount === undefined) return void ctx.b.fail('BAD_NUMBER', `not a number: ${p.units.number}`, p.line, 'units');
    weights += amount;
    tally(p.account, amount);
  }
  if (missing !== undefined) tally(missing.account, -weights);
  return { reductions, augmentations, cash, income, expenses, equity, incomeAccounts };

  function tally(account: string, amount: number): void {
    const r = root(account);
    if (r === 'Income') {
      income += amount;
      incomeAccounts.push(account);
    } else if (r === 'Expenses') expenses += amount;
    else if (r === 'Equity') equity = true;
    const key = r === 'Assets' ? ctx.keyOf(account) : undefined;
    if (key !== undefined) cash.set(key, (cash.get(key) ?? 0) + amount);
  }
}

function cents(text: string): number | undefined {
  const p = brokerDecimal('usd', text);
  return p.ok ? p.value : undefined;
}

/** The USD weight of a security posting (its cost), in cents. */
function weightOf(p: Posting): number | undefined {
  const units = brokerDecimal('shares', p.units?.number ?? '');
  const c = p.cost;
  if (!units.ok || c === undefined) return undefined;
  if (c.number === undefined) return 0;
  const per = brokerDecimal('price', c.number);
  const extra = c.extra === undefined ? 0 : cents(c.extra);
  if (!per.ok || extra === undefined) return undefined;
  if (c.total) return Math.sign(units.value) * (cents(c.number) ?? 0);
  return usdOf(units.value, per.value) + Math.sign(units.value) * extra;
}

function feesOf(meta: Meta, parts: Parts, ctx: BeanContext, line: number): { fees: Usd; inCost: boolean } | undefined {
  const given = meta.get('lotsmith-fees');
  if (given !== undefined) {
    const f = cents(given.value.replace(/\s*USD$/, ''));
    if (f === undefined || f < 0) return void ctx.b.fail('BAD_NUMBER', `lotsmith-fees must be an amount, got "${given.value}"`, given.line, 'lotsmith-fees');
    return { fees: f as Usd, inCost: true };
  }
  if (parts.expenses < 0) return void ctx.b.fail('BAD_VALUE', 'negative expenses (a rebate) on a trade are not supported', line, 'Expenses');
  return { fees: parts.expenses as Usd, inCost: false };
}

function acquire(ctx: BeanContext, d: Directive, meta: Meta, parts: Parts, p: Posting, ids: Ids, kind: string | undefined, count: number): void {
  const units = brokerDecimal('shares', p.units?.number ?? '');
  const cost = p.cost;
  const sym = ctx.securityOf(p.units?.currency ?? '');
  const key = ctx.keyOf(p.account);
  if (!units.ok || units.value <= 0 || cost === undefined || sym === undefined || key === undefined) return void ctx.b.fail('BAD_NUMBER', `cannot read the units ${p.units?.number}`, p.line, 'units');
  if (cost.number === undefined || cost.currency !== ctx.operating) {
    return void ctx.b.fail('BAD_VALUE', `an acquisition needs a cost in ${ctx.operating} (${cost.currency ?? 'none given'})`, p.line, 'cost');
  }
  const total = Math.abs(weightOf(p) ?? 0) as Usd;
  const date = d.date as Day;
  const acquired = cost.date ?? date;
  const shares = units.value as Shares;
  const account = accountId(key);
  const id = ids.next();
  const pm = p.meta;
  const fees = count === 1 ? feesOf(meta, parts, ctx, d.line) : { fees: 0 as Usd, inCost: false };
  if (fees === undefined) return;
  const isTransferIn = kind === 'transfer_in' || (kind === undefined && (acquired < date || (parts.equity && parts.cash.size === 0)));
  const perUnit = cost.total ? perShare(total, shares) : (brokerDecimal('price', cost.number) as { value: Price }).value;
  ctx.inventory.add(p.account, p.units?.currency as string, { origin: pm.get('lotsmith-origin')?.value ?? id, units: shares, perUnit, date: acquired, label: cost.label });
  if (isTransferIn) {
    const adj = pm.get('wash-adjustment');
    const wash = adj === undefined ? 0 : cents(adj.value.replace(/\s*USD$/, ''));
    const heldFrom = pm.get('held-from')?.value;
    if (wash === undefined) return void ctx.b.fail('BAD_NUMBER', `wash-adjustment must be an amount, got "${adj?.value}"`, adj?.line, 'wash-adjustment');
    if (acquired > date) return void ctx.b.fail('BAD_DATE', 'the lot date is after the transaction date', p.line, 'cost');
    ctx.b.addEvent(id, {
      kind: 'transfer_in', date, account, symbol: sym, shares, basis: (total - wash) as Usd, acquired,
      ...(wash > 0 ? { washAdjustment: wash as Usd } : {}),
      ...(heldFrom !== undefined ? { adjustedAcquired: parseDay(heldFrom.trim()) ?? acquired } : {}),
    }, p.line, 'beancount opening lot');
    return ctx.b.count('acquisitions with an earlier cost date (or from Equity) booked as transfers in with their acquisition dates');
  }
  const stated = p.price !== undefined && p.price.amount.currency === ctx.operating ? brokerDecimal('price', p.price.amount.number) : undefined;
  const gross = fees.inCost ? total : ((total + fees.fees) as Usd);
  const amounts = tradeAmounts({ side: 'buy', shares, cash: gross, fees: fees.fees, ...(stated?.ok && !p.price?.total ? { statedPrice: stated.value } : {}) });
  if (!amounts.ok) return void ctx.b.fail('BAD_VALUE', amounts.reason, p.line, 'cost');
  const reinvest = kind === 'dividend_reinvest' || (kind === undefined && parts.income < 0 && !parts.equity);
  const body = { date, account, symbol: sym, shares, price: amounts.value.price, fees: amounts.value.fees };
  ctx.b.addEvent(id, reinvest ? { kind: 'dividend_reinvest', ...body } : { kind: 'buy', ...body }, p.line, reinvest ? 'beancount reinvested dividend' : 'beancount purchase');
  ctx.b.count(reinvest ? 'acquisitions paid by income booked as reinvested dividends' : 'acquisitions booked as buys');
}

interface Reduced {
  readonly posting: Posting;
  readonly shares: Shares;
  readonly picks: Pick[];
  readonly named: boolean;
  readonly exactLot: string | undefined;
}

/** Resolves every reduction of a transaction against the inventory, in posting order. */
function resolveReductions(ctx: BeanContext, postings: readonly Posting[]): Reduced[] | undefined {
  const out: Reduced[] = [];
  for (const p of postings) {
    const units = brokerDecimal('shares', p.units?.number ?? '');
    const c = p.cost;
    if (!units.ok || c === undefined) return void ctx.b.fail('BAD_NUMBER', `cannot read the units ${p.units?.number}`, p.line, 'units');
    if (c.total) return void ctx.b.fail('BAD_VALUE', 'a total cost {{...}} on a reduction is not supported: name the lot by cost per unit, date or label', p.line, 'cost');
    const per = c.number === undefined ? undefined : brokerDecimal('price', c.number);
    if (per !== undefined && !per.ok) return void ctx.b.fail('BAD_NUMBER', per.reason, p.line, 'cost');
    const shares = -units.value as Shares;
    const booking = ctx.bookingOf(p.account);
    const r = ctx.inventory.reduce(p.account, p.units?.currency as string, shares, { ...(per?.ok ? { perUnit: per.value } : {}), ...(c.date !== undefined ? { date: c.date } : {}), ...(c.label !== undefined ? { label: c.label } : {}) }, booking);
    if (!r.ok) return void ctx.b.fail(r.code, r.reason, p.line, 'cost');
    out.push({ posting: p, shares, picks: r.picks, named: c.number !== undefined || c.date !== undefined || c.label !== undefined, exactLot: p.meta.get('lotsmith-lot')?.value });
  }
  return out;
}

function selectionOf(ctx: BeanContext, reduced: readonly Reduced[]): LotSelection {
  const booking = ctx.bookingOf((reduced[0] as Reduced).posting.account);
  if (reduced.every((r) => !r.named && r.exactLot === undefined) && (booking === 'FIFO' || booking === 'LIFO')) return { method: booking };
  const lots: LotPick[] = [];
  for (const r of reduced) {
    if (r.exactLot !== undefined) lots.push({ lot: r.exactLot, shares: r.shares });
    else for (const pick of r.picks) lots.push({ lot: pick.origin, shares: pick.shares });
  }
  return { method: 'SPECIFIC', lots };
}

/** `lotsmith-selection: "HIFO"` or `"SPECIFIC e02:4 e03"`: the selection a Lotsmith event made. */
function selectionInMeta(ctx: BeanContext, meta: Meta): LotSelection | undefined | null {
  const m = meta.get('lotsmith-selection');
  if (m === undefined) return undefined;
  const [head, ...rest] = m.value.trim().split(/\s+/);
  const method = lotMethodFrom(head ?? '');
  if (method === undefined) {
    ctx.b.fail('UNKNOWN_LOT_METHOD', `unknown lot method "${head ?? ''}" in lotsmith-selection`, m.line, 'lotsmith-selection');
    return null;
  }
  if (method !== 'SPECIFIC') return { method };
  const lots: LotPick[] = [];
  for (const item of rest) {
    const colon = item.lastIndexOf(':');
    if (colon < 0) {
      lots.push({ lot: item });
      continue;
    }
    const shares = brokerDecimal('shares', item.slice(colon + 1));
    if (!shares.ok || shares.rounded) {
      ctx.b.fail('BAD_NUMBER', `cannot read the lot "${item}" in lotsmith-selection`, m.line, 'lotsmith-selection');
      return null;
    }
    lots.push({ lot: item.slice(0, colon), shares: shares.value as Shares });
  }
  return { method, lots };
}

function reduce(ctx: BeanContext, d: Directive, meta: Meta, parts: Parts, ids: Ids, kind: string | undefined): void {
  const groups = new Map<string, Posting[]>();
  for (const p of parts.reductions) {
    const k = `${p.account}\u0000${p.units?.currency}`;
    groups.set(k, [...(groups.get(k) ?? []), p]);
  }
  if (groups.size > 1) return void ctx.b.fail('UNKNOWN_ACTION', 'one transaction reducing several securities or accounts is not supported: split it into one transaction per security', d.line);
  const postings = [...groups.values()][0] as Posting[];
  const reduced = resolveReductions(ctx, postings);
  if (reduced === undefined) return;
  const first = postings[0] as Posting;
  const key = ctx.keyOf(first.account) as string;
  const sym = ctx.securityOf(first.units?.currency ?? '') as Symbol;
  const shares = reduced.reduce((s, r) => s + r.shares, 0) as Shares;
  const given = selectionInMeta(ctx, meta);
  if (given === null) return;
  const selection = given ?? selectionOf(ctx, reduced);
  const date = d.date as Day;
  const id = ids.next();
  const priced = postings.find((p) => p.price !== undefined);
  const received = parts.cash.get(key) ?? 0;
  if (kind === 'transfer_out' || (kind === undefined && priced === undefined && received <= 0)) {
    ctx.b.addEvent(id, { kind: 'transfer_out', date, account: accountId(key), symbol: sym, shares, selection }, first.line, 'beancount reduction without proceeds');
    return ctx.b.count('reductions with no proceeds booked as shares leaving the household');
  }
  const fees = feesOf(meta, parts, ctx, d.line);
  if (fees === undefined) return;
  let statedPrice: Price | undefined;
  let cash: Usd | undefined;
  if (priced?.price !== undefined) {
    if (priced.price.amount.currency !== ctx.operating) return void ctx.b.fail('BAD_VALUE', `the sale price is in ${priced.price.amount.currency}, not ${ctx.operating}`, priced.line, 'price');
    if (priced.price.total) cash = ((cents(priced.price.amount.number) ?? 0) - fees.fees) as Usd;
    else statedPrice = (brokerDecimal('price', priced.price.amount.number) as { value: Price }).value;
  } else cash = received as Usd;
  const amounts = tradeAmounts({ side: 'sell', shares, fees: fees.fees, ...(statedPrice !== undefined ? { statedPrice } : {}), ...(cash !== undefined ? { cash } : {}) });
  if (!amounts.ok) return void ctx.b.fail('BAD_VALUE', amounts.reason, first.line, 'price');
  ctx.b.addEvent(id, { kind: 'sell', date, account: accountId(key), symbol: sym, shares, price: amounts.value.price, fees: amounts.value.fees, selection }, first.line, 'beancount sale');
  ctx.b.count(selection.method === 'SPECIFIC' ? 'reductions booked as sales of the lots they name' : `reductions {} booked as sales by the account's ${selection.method} booking`);
}

function transfer(ctx: BeanContext, d: Directive, meta: Meta, parts: Parts, ids: Ids): void {
  const from = new Set(parts.reductions.map((p) => p.account));
  const to = new Set(parts.augmentations.map((p) => p.account));
  if (from.size !== 1 || to.size !== 1) return void ctx.b.fail('UNKNOWN_ACTION', 'a transfer must move shares from one account to one other account', d.line);
  const reduced = resolveReductions(ctx, parts.reductions);
  if (reduced === undefined) return;
  const source = [...from][0] as string;
  const target = [...to][0] as string;
  const currency = (parts.reductions[0] as Posting).units?.currency as string;
  const out = reduced.reduce((s, r) => s + r.shares, 0);
  let into = 0;
  let costIn = 0;
  for (const p of parts.augmentations) {
    const u = brokerDecimal('shares', p.units?.number ?? '');
    if (u.ok) into += u.value;
    costIn += weightOf(p) ?? 0;
  }
  if (into !== out) return void ctx.b.fail('BAD_VALUE', `the transfer takes ${out / 1e6} units out and puts ${into / 1e6} in`, d.line);
  // The lots move with their origins, dates and costs; the receiving postings only restate them.
  for (const r of reduced) {
    for (const pick of r.picks) {
      const perUnit = perShare(Math.round(costIn * (pick.shares / into)) as Usd, pick.shares);
      ctx.inventory.add(target, currency, { origin: pick.origin, units: pick.shares, perUnit, date: dateOf(parts, pick.origin, d), label: labelOf(parts, pick.origin) });
    }
  }
  const fromKey = ctx.keyOf(source) as string;
  const toKey = ctx.keyOf(target) as string;
  if (fromKey === toKey) return ctx.b.count('moves of lots between sub-accounts of one account (no event)');
  const sym = ctx.securityOf(currency) as Symbol;
  const given = selectionInMeta(ctx, meta);
  if (given === null) return;
  ctx.b.addEvent(ids.next(), { kind: 'transfer', date: d.date as Day, account: accountId(fromKey), toAccount: accountId(toKey), symbol: sym, shares: out as Shares, selection: given ?? selectionOf(ctx, reduced) }, d.line, 'beancount transfer');
  ctx.b.count('moves of lots between accounts booked as transfers (basis and dates kept)');
}

function dateOf(parts: Parts, origin: string, d: Directive): Day {
  const p = parts.augmentations.find((a) => a.cost?.label === origin);
  return p?.cost?.date ?? parts.augmentations[0]?.cost?.date ?? (d.date as Day);
}

function labelOf(parts: Parts, origin: string): string | undefined {
  return parts.augmentations.find((a) => a.cost?.label === origin)?.cost?.label ?? parts.augmentations[0]?.cost?.label;
}

function split(ctx: BeanContext, d: Directive, meta: Meta, parts: Parts, ids: Ids): void {
  const accounts = [...new Set(parts.reductions.map((p) => p.account))];
  const currency = (parts.reductions[0] as Posting).units?.currency as string;
  let before = 0;
  let after = 0;
  for (const account of accounts) {
    const held = ctx.inventory.held(account, currency).reduce((s, l) => s + l.units, 0);
    const out = -parts.reductions.filter((p) => p.account === account).reduce((s, p) => s + ((brokerDecimal('shares', p.units?.number ?? '') as { value: number }).value ?? 0), 0);
    if (held !== out) return void ctx.b.fail('UNKNOWN_ACTION', `a split must restate every lot of ${currency} in ${account} (${held / 1e6} held, ${out / 1e6} restated)`, d.line);
    before += out;
  }
  for (const p of parts.augmentations) after += (brokerDecimal('shares', p.units?.number ?? '') as { value: number }).value ?? 0;
  const stated = /^(\d+):(\d+)$/.exec(meta.get('lotsmith-split')?.value ?? '');
  const [to, from] = stated !== null ? [Number(stated[1]), Number(stated[2])] : ratio(after, before);
  if (to > 10_000 || from > 10_000) return void ctx.b.fail('BAD_VALUE', `the units go from ${before / 1e6} to ${after / 1e6}: not a whole-number split ratio`, d.line);
  const all = meta.get('lotsmith-split-all')?.value === 'TRUE';
  for (const account of accounts) {
    const old = ctx.inventory.clear(account, currency);
    const added = parts.augmentations.filter((p) => p.account === account);
    old.forEach((lot, i) => {
      const p = added.find((a) => a.cost?.label !== undefined && a.cost.label === lot.label) ?? added[i];
      const u = p === undefined ? undefined : brokerDecimal('shares', p.units?.number ?? '');
      const units = u?.ok ? u.value : Math.round((lot.units * to) / from);
      ctx.inventory.add(account, currency, { origin: lot.origin, units, perUnit: perShare(usdOf(lot.units as Shares, lot.perUnit), units as Shares), date: lot.date, label: lot.label });
    });
  }
  const sym = ctx.securityOf(currency) as Symbol;
  const key = ctx.keyOf(accounts[0] as string) as string;
  ctx.b.addEvent(ids.next(), { kind: 'split', date: d.date as Day, ...(all ? {} : { account: accountId(key) }), symbol: sym, from, to }, d.line, 'beancount split');
  ctx.b.count('restatements of every lot at new units and the same cost booked as splits');
}

function ratio(a: number, b: number): [number, number] {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return [a / x, b / x];
}

function cashOnly(ctx: BeanContext, d: Directive, meta: Meta, parts: Parts, ids: Ids): void {
  if (parts.cash.size === 0) return ctx.b.count('transactions touching no investment account not booked');
  const date = d.date as Day;
  const named = meta.get('lotsmith-symbol')?.value;
  for (const [key, amount] of parts.cash) {
    if (amount === 0) continue;
    const account = accountId(key);
    const sym = named !== undefined ? ctx.securityOf(named) ?? (named as Symbol) : parts.incomeAccounts.map((a) => ctx.symbolInAccount(a)).find((s) => s !== undefined);
    if (amount > 0 && parts.income < 0 && sym !== undefined) {
      ctx.b.addEvent(ids.next(), { kind: 'dividend', date, account, symbol: sym, amount: amount as Usd }, d.line, 'beancount income');
      ctx.b.count('income from a security booked as dividends');
    } else if (amount > 0) {
      ctx.b.addEvent(ids.next(), { kind: 'deposit', date, account, amount: amount as Usd }, d.line, 'beancount cash in');
      ctx.b.count('cash into investment accounts booked as deposits');
    } else {
      const fee = parts.expenses > 0 && parts.cash.size === 1 && !parts.equity;
      ctx.b.addEvent(ids.next(), { kind: fee ? 'fee' : 'withdrawal', date, account, amount: -amount as Usd }, d.line, fee ? 'beancount expense' : 'beancount cash out');
      ctx.b.count(fee ? 'expenses paid from investment accounts booked as fees' : 'cash out of investment accounts booked as withdrawals');
    }
  }
}
