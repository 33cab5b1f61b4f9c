/** Output of the daily run's commands: run records, proposals, and the orders file for a custodian. */
import type { ExportedOrder } from '../../app/proposals.js';
import type { ProposalRecord, RunNote, RunRecord } from '../../app/runPorts.js';
import { formatDay } from '../../core/kernel/calendar.js';
import { format } from '../../core/kernel/exact.js';
import { csv, table } from './text.js';

export function runText(r: RunRecord, notes: readonly RunNote[]): string {
  const t = r.totals;
  const lines = [
    `run ${r.id} of ${formatDay(r.runDate)} (policy ${r.policyVersion}, generation ${r.generation}): ${r.status}`,
    `  ${r.households} households in ${r.batches} batches (${t.batchesDone} done); ${t.screened} screened, ${t.decided} decided, ${t.proposals} proposals, ${t.errors} errors`,
    `  started ${r.startedAt}${r.finishedAt !== undefined ? `, finished ${r.finishedAt}` : ''}`,
  ];
  for (const n of notes) lines.push(`  ${n.kind === 'error' ? 'error' : 'skipped'}: household ${n.household}: ${n.message}`);
  return `${lines.join('\n')}\n`;
}

export function runJson(r: RunRecord, notes: readonly RunNote[]): string {
  return `${JSON.stringify({ ...r, runDate: formatDay(r.runDate), finishedAt: r.finishedAt ?? null, notes }, null, 2)}\n`;
}

/** "2 sells, 3 buys; harvests VTI, VEA" */
function orderText(p: ProposalRecord): string {
  const sells = p.lines.filter((l) => l.order.side === 'sell').length;
  const harvested = [...new Set(p.lines.filter((l) => l.order.rule === 'harvest').map((l) => l.order.symbol))];
  return `${sells} sell${sells === 1 ? '' : 's'}, ${p.lines.length - sells} buy${p.lines.length - sells === 1 ? '' : 's'}${harvested.length > 0 ? `; harvests ${harvested.join(', ')}` : ''}`;
}

export function proposalsTable(list: readonly ProposalRecord[]): string {
  if (list.length === 0) return 'no proposals\n';
  return `${table(
    ['proposal', 'household', 'date', 'status', 'version', 'benefit', 'orders'],
    list.map((p) => [p.id, p.household, formatDay(p.runDate), p.status + (p.reason !== undefined ? ` (${p.reason})` : ''), p.version, format('usd', p.benefit), orderText(p)]),
  )}\n`;
}

export function proposalsJson(list: readonly ProposalRecord[]): string {
  return `${JSON.stringify(
    list.map((p) => ({
      id: p.id,
      household: p.household,
      runDate: formatDay(p.runDate),
      status: p.status,
      version: p.version,
      benefit: format('usd', p.benefit),
      reason: p.reason ?? null,
      orders: p.lines.map(({ line, order: o, filledShares, lossSale }) => ({
        line,
        side: o.side,
        account: o.account,
        symbol: o.symbol,
        shares: format('shares', o.shares),
        price: format('price', o.price),
        rule: o.rule,
        lossSale,
        ...(o.side === 'sell' && o.allOrNone === true ? { allOrNone: true } : {}),
        filledShares: format('shares', filledShares),
        ...(o.side === 'buy' ? { amount: format('usd', o.amount) } : { lots: o.lots.map((l) => ({ lotId: l.lotId, shares: format('shares', l.shares) })) }),
      })),
      notes: p.notes,
      candidates: p.candidates.map((c) => ({ account: c.account, symbol: c.symbol, lotId: c.lotId, verdict: c.verdict, loss: format('usd', c.loss), why: c.why })),
    })),
    null,
    2,
  )}\n`;
}

/** One row per order line; sells name their lots (`lot:shares;...`) for a specific-lot instruction. */
export function ordersCsv(orders: readonly ExportedOrder[]): string {
  return csv(
    ['proposal', 'line', 'household', 'account', 'symbol', 'side', 'shares', 'reference_price', 'amount', 'lots', 'all_or_none'],
    orders.map((o) => [
      o.proposal,
      o.line,
      o.household,
      o.account,
      o.symbol,
      o.side,
      format('shares', o.shares),
      format('price', o.price),
      o.amount === undefined ? '' : format('usd', o.amount),
      o.lots.map((l) => `${l.lotId}:${format('shares', l.shares)}`).join(';'),
      o.allOrNone ? 'yes' : '',
    ]),
  );
}
