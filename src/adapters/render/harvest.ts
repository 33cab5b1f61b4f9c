/** `lotsmith harvest` output: the day's orders and every candidate's verdict with its numbers. */
import type { Economics } from '../../core/harvest/economics.js';
import type { Order } from '../../core/harvest/orders.js';
import type { Proposals } from '../../core/harvest/proposals.js';
import { format } from '../../core/kernel/exact.js';
import { day, json, money, moneyText, px, qty, qtyText, table } from './text.js';

function orderJson(o: Order): Record<string, unknown> {
  return o.side === 'sell'
    ? { side: 'sell', account: o.account, symbol: o.symbol, shares: qty(o.shares), price: px(o.price), lots: o.lots.map((l) => ({ lotId: l.lotId, shares: qty(l.shares) })), rule: o.rule }
    : { side: 'buy', account: o.account, symbol: o.symbol, shares: qty(o.shares), price: px(o.price), amount: money(o.amount), rule: o.rule };
}

function economicsJson(e: Economics): Record<string, unknown> {
  return {
    benefit: money(e.benefit.total),
    immediateSaving: money(e.benefit.immediateSaving),
    carriedForward: { shortTerm: money(e.benefit.carriedForward.shortTerm), longTerm: money(e.benefit.carriedForward.longTerm) },
    carryforwardValue: money(e.benefit.carryforwardValue),
    offsets: {
      shortTermGains: money(e.benefit.offsets.shortTermGains),
      longTermGains: money(e.benefit.offsets.longTermGains),
      ordinaryIncome: money(e.benefit.offsets.ordinaryIncome),
    },
    spreadCost: money(e.spreadCost),
    commission: money(e.commission),
    opportunityCost: money(e.opportunityCost),
    waitValue: money(e.waitValue),
    freshValue: money(e.freshValue),
    net: money(e.net),
  };
}

export function harvestJson(p: Proposals): string {
  return json(harvestObject(p));
}

/** The JSON document of `harvestJson`, for outputs that extend it. */
export function harvestObject(p: Proposals): Record<string, unknown> {
  return {
    date: day(p.date),
    harvestBenefit: money(p.harvestBenefit),
    orders: p.orders.map(orderJson),
    candidates: p.candidates.map((c) => ({
      account: c.account,
      symbol: c.symbol,
      lotId: c.lotId,
      shares: qty(c.shares),
      basis: money(c.basis),
      marketValue: money(c.marketValue),
      loss: money(c.loss),
      term: c.term,
      verdict: c.verdict,
      replacement: c.replacement ?? null,
      why: c.why,
      economics: c.economics === undefined ? null : economicsJson(c.economics),
    })),
    notes: p.notes,
  };
}

export function harvestTable(p: Proposals): string {
  const out = [`Proposals for ${day(p.date)}: ${p.orders.length} order${p.orders.length === 1 ? '' : 's'}, harvest benefit $${moneyText(p.harvestBenefit)}`];
  if (p.orders.length > 0) {
    out.push(
      table(
        ['Side', 'Account', 'Symbol', 'Shares', 'Price', 'Amount', 'Lots', 'Rule'],
        p.orders.map((o) => [
          o.side,
          o.account,
          o.symbol,
          qtyText(o.shares),
          format('price', o.price),
          o.side === 'buy' ? moneyText(o.amount) : '',
          o.side === 'sell' ? o.lots.map((l) => l.lotId).join(' ') : '',
          o.rule,
        ]),
        3,
      ),
    );
  }
  if (p.candidates.length > 0) {
    out.push('', 'Lots at a loss in taxable accounts');
    out.push(
      table(
        ['Account', 'Symbol', 'Lot', 'Loss', 'Term', 'Benefit', 'Spread', 'Opportunity', 'Net', 'Verdict'],
        p.candidates.map((c) => [
          c.account,
          c.symbol,
          c.lotId,
          moneyText(c.loss),
          c.term,
          c.economics ? moneyText(c.economics.benefit.total) : '',
          c.economics ? moneyText(c.economics.spreadCost) : '',
          c.economics ? moneyText(c.economics.opportunityCost) : '',
          c.economics ? moneyText(c.economics.net) : '',
          c.verdict,
        ]),
        3,
      ),
    );
    out.push('', 'Why:', ...p.candidates.map((c) => `- ${c.account} ${c.symbol} lot ${c.lotId}: ${c.verdict} — ${c.why}`));
  }
  if (p.notes.length > 0) out.push('', 'Cash flows and rebalancing:', ...p.notes.map((n) => `- ${n}`));
  return out.join('\n') + '\n';
}
