/**
 * Ledger invariants, checked independently of how booking computed its result:
 *
 *  - Shares are conserved per account and security: open + sold + moved out = acquired + moved in,
 *    with splits scaling the position total exactly as events describe.
 *  - Basis is conserved for the household: open + sold + removed basis = what was paid or carried
 *    in + the disallowed losses deferred into replacements (not the permanently disallowed ones).
 *  - No lot is empty or negative; wash adjustments are non-negative and only move holding periods
 *    back; adjusted acquisition dates never follow the real ones.
 *  - Every disposition adds up: gain = proceeds - basis, 0 <= disallowed <= the loss,
 *    permanent <= disallowed, and its matches add up to its disallowed loss.
 *  - One bite: no acquisition replaces more shares than it bought.
 *
 * An empty result means the ledger is consistent with its events.
 */
import { scaleBy, usdOf, type Shares } from '../kernel/exact.js';
import type { LedgerEvent } from './events.js';
import type { Ledger } from './ledger.js';

export function checkInvariants(events: readonly LedgerEvent[], ledger: Ledger): string[] {
  return [...checkLots(ledger), ...checkDispositions(ledger), ...checkShares(events, ledger), ...checkBasis(events, ledger), ...checkOneBite(events, ledger)];
}

function checkLots(ledger: Ledger): string[] {
  const out: string[] = [];
  for (const l of ledger.openLots) {
    if (!(l.shares > 0)) out.push(`lot ${l.id} has ${l.shares} shares`);
    if (l.basis < 0) out.push(`lot ${l.id} has negative basis`);
    if (l.washAdjustment < 0) out.push(`lot ${l.id} has a negative wash adjustment`);
    if (l.heldFrom > l.acquired) out.push(`lot ${l.id} is held from after its acquisition`);
  }
  return out;
}

function checkDispositions(ledger: Ledger): string[] {
  const out: string[] = [];
  for (const d of ledger.dispositions) {
    const at = `sale ${d.saleId} lot ${d.lotId}`;
    if (!(d.shares > 0)) out.push(`${at}: ${d.shares} shares`);
    if (d.gain !== d.proceeds - d.basis) out.push(`${at}: gain is not proceeds - basis`);
    const loss = d.gain < 0 ? -d.gain : 0;
    if (d.disallowed < 0 || d.disallowed > loss) out.push(`${at}: disallowed ${d.disallowed} outside [0, ${loss}]`);
    if (d.permanentlyDisallowed < 0 || d.permanentlyDisallowed > d.disallowed) out.push(`${at}: permanent exceeds disallowed`);
    const matched = d.washMatches.reduce((s, m) => s + m.disallowed, 0);
    if (matched !== d.disallowed) out.push(`${at}: matches add to ${matched}, not ${d.disallowed}`);
    const shares = d.washMatches.reduce((s, m) => s + m.shares, 0);
    if (shares > d.shares) out.push(`${at}: more replacement shares than shares sold`);
    if (!d.taxable && d.washMatches.length > 0) out.push(`${at}: a sale in a tax-advantaged account was washed`);
  }
  return out;
}

const key = (account: string, symbol: string): string => `${account}\u0000${symbol}`;

function checkShares(events: readonly LedgerEvent[], ledger: Ledger): string[] {
  const expected = new Map<string, number>();
  const add = (account: string, symbol: string, n: number): void => {
    const k = key(account, symbol);
    expected.set(k, (expected.get(k) ?? 0) + n);
  };
  for (const e of events) {
    switch (e.kind) {
      case 'buy':
      case 'dividend_reinvest':
      case 'transfer_in':
        add(e.account, e.symbol, e.shares);
        break;
      case 'sell':
      case 'transfer_out':
        add(e.account, e.symbol, -e.shares);
        break;
      case 'transfer':
        add(e.account, e.symbol, -e.shares);
        add(e.toAccount, e.symbol, e.shares);
        break;
      case 'split':
        for (const [k, total] of expected) {
          const [account, symbol] = k.split('\u0000') as [string, string];
          if (symbol === e.symbol && (e.account === undefined || e.account === account) && total > 0) {
            expected.set(k, scaleBy(total as Shares, e.to, e.from));
          }
        }
        break;
      default:
        break;
    }
  }
  const actual = new Map<string, number>();
  for (const l of ledger.openLots) actual.set(key(l.account, l.symbol), (actual.get(key(l.account, l.symbol)) ?? 0) + l.shares);
  const out: string[] = [];
  for (const k of new Set([...expected.keys(), ...actual.keys()])) {
    const e = expected.get(k) ?? 0;
    const a = actual.get(k) ?? 0;
    if (e !== a) out.push(`shares of ${k.replace('\u0000', ' ')}: open ${a}, events imply ${e}`);
  }
  return out;
}

function checkBasis(events: readonly LedgerEvent[], ledger: Ledger): string[] {
  let paid = 0;
  for (const e of events) {
    if (e.kind === 'buy' || e.kind === 'dividend_reinvest') paid += usdOf(e.shares, e.price) + e.fees;
    else if (e.kind === 'transfer_in') paid += e.basis + (e.washAdjustment ?? 0);
  }
  let deferred = 0;
  let out = 0;
  for (const d of ledger.dispositions) {
    deferred += d.disallowed - d.permanentlyDisallowed;
    out += d.basis;
  }
  for (const l of ledger.openLots) out += l.basis;
  for (const r of ledger.removals) out += r.lot.basis;
  return out === paid + deferred ? [] : [`basis: open + sold + removed = ${out}, paid + deferred = ${paid + deferred}`];
}

/**
 * Shares are counted in the units of the day they are matched; a split between the purchase and
 * the sale changes those units, so each match is converted back to purchase-day shares (to within
 * a micro-share of rounding per split).
 */
function checkOneBite(events: readonly LedgerEvent[], ledger: Ledger): string[] {
  const index = new Map<string, number>();
  events.forEach((e, i) => index.set(e.id, i));
  const splitFactor = (acq: number, sale: number): { to: number; from: number; splits: number } => {
    const a = events[acq] as LedgerEvent;
    let to = 1;
    let from = 1;
    let splits = 0;
    for (let i = acq + 1; i < sale; i++) {
      const e = events[i] as LedgerEvent;
      if (e.kind === 'split' && 'symbol' in a && e.symbol === a.symbol && (e.account === undefined || e.account === a.account)) {
        to *= e.to;
        from *= e.from;
        splits++;
      }
    }
    return { to, from, splits };
  };
  const used = new Map<string, number>();
  const slack = new Map<string, number>();
  for (const d of ledger.dispositions) {
    const sale = index.get(d.saleId) as number;
    for (const m of d.washMatches) {
      const acq = index.get(m.replacementEvent);
      if (acq === undefined) continue;
      const f = splitFactor(acq, sale);
      used.set(m.replacementEvent, (used.get(m.replacementEvent) ?? 0) + (m.shares * f.from) / f.to);
      slack.set(m.replacementEvent, (slack.get(m.replacementEvent) ?? 0) + f.splits * Math.max(1, f.from / f.to));
    }
  }
  const out: string[] = [];
  for (const [id, n] of used) {
    const e = events[index.get(id) as number] as LedgerEvent;
    if (e.kind !== 'buy' && e.kind !== 'dividend_reinvest') out.push(`replacement ${id} is not a purchase`);
    else if (n > e.shares + (slack.get(id) ?? 0)) out.push(`acquisition ${id} replaced ${n} shares but bought ${e.shares}`);
  }
  return out;
}
