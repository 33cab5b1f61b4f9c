/**
 * `lotsmith direct harvest` output: the day's proposals as `lotsmith harvest` prints them, then
 * what each harvest of a direct account (and each transition sale) did to its tracking error.
 */
import type { DirectHarvest } from '../../app/directHarvest.js';
import { harvestObject, harvestTable } from './harvest.js';
import { day, json, money, moneyText, qty, qtyText, table } from './text.js';

const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
const rate = (x: number): number => Number(x.toFixed(6));

export function directHarvestJson(r: DirectHarvest): string {
  return json({
    ...harvestObject(r.daily.proposals),
    direct: {
      candidates: r.candidates,
      targetTrackingError: rate(r.targetTrackingError),
      harvests: r.harvests.map((h) => ({
        account: h.account,
        date: day(h.date),
        sold: h.sold.map((s) => ({ symbol: s.symbol, loss: money(s.loss), benefit: money(s.benefit) })),
        trackingError: { before: rate(h.trackingError.before), afterSales: rate(h.trackingError.afterSales), after: rate(h.trackingError.after) },
        budget: h.budget,
      })),
      transitions: r.transitions.map((t) => ({
        account: t.account,
        date: day(t.date),
        sold: t.sold.map((s) => ({ symbol: s.symbol, shares: qty(s.shares), proceeds: money(s.proceeds), gain: money(s.gain), lots: s.lots.map((l) => ({ lotId: l.lotId, shares: qty(l.shares), gain: money(l.gain) })) })),
        gain: money(t.gain),
        budget: money(t.budget),
        realizedBefore: money(t.realizedBefore),
        left: t.left === undefined ? null : money(t.left),
        overweightLeft: money(t.overweightLeft),
        trackingError: { before: rate(t.trackingError.before), afterSales: rate(t.trackingError.afterSales), after: rate(t.trackingError.after) },
      })),
    },
  });
}

export function directHarvestTable(r: DirectHarvest): string {
  const out = [harvestTable(r.daily.proposals).trimEnd(), '', `Direct index: ${r.candidates} stocks in the risk model; the target portfolio's ex-ante tracking error ${pct(r.targetTrackingError)}`];
  if (r.harvests.length === 0) out.push('No stock harvested today.');
  else {
    out.push(
      table(
        ['Account', 'Stocks', 'Loss', 'TE before', 'After sales', 'After', 'Budget'],
        r.harvests.map((h) => [
          h.account,
          h.sold.map((s) => s.symbol).join(' '),
          moneyText(h.sold.reduce((s, x) => s + x.loss, 0)),
          pct(h.trackingError.before),
          pct(h.trackingError.afterSales),
          pct(h.trackingError.after),
          pct(h.budget),
        ]),
        2,
      ),
    );
  }
  if (r.transitions.length > 0) {
    out.push('', 'Transition');
    out.push(
      table(
        ['Account', 'Sold', 'Gain', 'Budget left', 'TE before', 'After'],
        r.transitions.map((t) => [
          t.account,
          t.sold.map((s) => `${s.symbol} ${qtyText(s.shares)}`).join(', '),
          moneyText(t.gain),
          t.left === undefined ? '-' : moneyText(t.left),
          pct(t.trackingError.before),
          pct(t.trackingError.after),
        ]),
        2,
      ),
    );
  }
  return out.join('\n') + '\n';
}
