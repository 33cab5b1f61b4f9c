/**
 * `lotsmith gains` output: Form 8949 rows, open lots and Schedule D totals as JSON (field names of
 * the household-case contract), a Form 8949 CSV for tax preparers, a readable table, and TXF.
 */
import type { Lot } from '../../core/ledger/lots.js';
import type { Form8949Report, Form8949Row, PartTotals } from '../../core/ledger/form8949.js';
import type { WashMatch } from '../../core/ledger/ledger.js';
import { holdingPeriodStart } from '../../core/ledger/holdingPeriod.js';
import type { Day } from '../../core/kernel/calendar.js';
import { csv, day, json, money, moneyText, qty, qtyText, table, usDate } from './text.js';

export interface GainsView {
  readonly report: Form8949Report;
  readonly openLots: readonly Lot[];
  readonly explain: boolean;
}

function matchJson(m: WashMatch): Record<string, unknown> {
  return {
    replacementLot: m.replacementLot,
    replacementEvent: m.replacementEvent,
    account: m.account,
    symbol: m.symbol,
    acquiredDate: day(m.acquired),
    shares: qty(m.shares),
    disallowedLoss: money(m.disallowed),
    permanent: m.permanent,
    adjustedAcquisitionDate: m.heldFrom === undefined ? null : day(m.heldFrom),
  };
}

export function rowJson(r: Form8949Row, explain: boolean): Record<string, unknown> {
  return {
    saleEventId: r.saleEventId,
    account: r.account,
    symbol: r.symbol,
    lotId: r.lotId,
    shares: qty(r.shares),
    description: r.description,
    lotAcquiredDate: day(r.dateAcquired),
    adjustedAcquisitionDate: day(r.adjustedAcquisitionDate),
    dateSold: day(r.dateSold),
    proceeds: money(r.proceeds),
    costBasis: money(r.costBasis),
    realizedGainLoss: money(r.realizedGainLoss),
    disallowedLoss: money(r.disallowedLoss),
    permanentlyDisallowed: money(r.permanentlyDisallowed),
    adjustmentCode: r.code,
    adjustmentAmount: money(r.adjustment),
    reportedGainLoss: money(r.gainOrLoss),
    term: r.term,
    part: r.part,
    holdingPeriodStart: day(r.holdingPeriodStart),
    ...(explain ? { washMatches: r.washMatches.map(matchJson), explanation: explainRow(r) } : {}),
  };
}

export function openLotJson(l: Lot): Record<string, unknown> {
  return {
    account: l.account,
    symbol: l.symbol,
    lotId: l.id,
    shares: qty(l.shares),
    acquiredDate: day(l.acquired),
    adjustedAcquisitionDate: day(l.heldFrom),
    adjustedBasis: money(l.basis),
    washAdjustment: money(l.washAdjustment),
    holdingPeriodStart: day(holdingPeriodStart(l.heldFrom)),
  };
}

const partJson = (t: PartTotals): Record<string, number> => ({
  proceeds: money(t.proceeds),
  costBasis: money(t.costBasis),
  adjustments: money(t.adjustments),
  gainOrLoss: money(t.gainOrLoss),
});

export function gainsJson(v: GainsView): string {
  const t = v.report.totals;
  return json({
    year: v.report.year ?? null,
    dispositions: v.report.rows.map((r) => rowJson(r, v.explain)),
    openLots: v.openLots.map(openLotJson),
    totals: {
      realizedGainLoss: money(t.realizedGainLoss),
      disallowedLoss: money(t.disallowedLoss),
      reportedShortTerm: money(t.reportedShortTerm),
      reportedLongTerm: money(t.reportedLongTerm),
      permanentlyDisallowed: money(t.permanentlyDisallowed),
      scheduleD: { shortTerm: partJson(t.shortTerm), longTerm: partJson(t.longTerm) },
    },
  });
}

/** One sentence per washed row: which sale, which replacement shares, how much. */
export function explainRow(r: Form8949Row): string {
  if (r.washMatches.length === 0) return '';
  const parts = r.washMatches.map((m) => {
    const where = `${qtyText(m.shares)} sh ${m.symbol} bought ${day(m.acquired)} in ${m.account} (lot ${m.replacementLot}, event ${m.replacementEvent})`;
    return m.permanent
      ? `$${moneyText(m.disallowed)} disallowed permanently by ${where} — a tax-advantaged account, so no basis is added (Rev. Rul. 2008-5)`
      : `$${moneyText(m.disallowed)} deferred to ${where}, its adjusted acquisition date ${m.heldFrom === undefined ? '' : day(m.heldFrom)}`;
  });
  return `Sale ${r.saleEventId} of lot ${r.lotId} lost $${moneyText(-r.realizedGainLoss)}: ${parts.join('; ')}.`;
}

const CSV_HEAD = [
  'part', 'description', 'date_acquired', 'date_sold', 'proceeds', 'cost_basis', 'adjustment_code', 'adjustment_amount',
  'gain_or_loss', 'term', 'adjusted_acquisition_date', 'account', 'symbol', 'shares', 'sale_event_id', 'lot_id', 'permanently_disallowed',
];

/** Form 8949 CSV: columns (a)-(h) in form order, dates MM/DD/YYYY, then identifying columns. */
export function gainsCsv(v: GainsView): string {
  return csv(
    CSV_HEAD,
    v.report.rows.map((r) => [
      r.part, r.description, usDate(r.dateAcquired), usDate(r.dateSold), moneyText(r.proceeds), moneyText(r.costBasis), r.code,
      r.adjustment === 0 ? '' : moneyText(r.adjustment), moneyText(r.gainOrLoss), r.term, day(r.adjustedAcquisitionDate), r.account,
      r.symbol, qtyText(r.shares), r.saleEventId, r.lotId, moneyText(r.permanentlyDisallowed),
    ]),
  );
}

export function gainsTable(v: GainsView): string {
  const t = v.report.totals;
  const rows = v.report.rows.map((r) => [
    r.part, r.saleEventId, r.account, r.description, day(r.dateAcquired), day(r.adjustedAcquisitionDate), day(r.dateSold),
    moneyText(r.proceeds), moneyText(r.costBasis), r.code, r.adjustment === 0 ? '' : moneyText(r.adjustment), moneyText(r.gainOrLoss),
  ]);
  const out = [
    `Form 8949${v.report.year !== undefined ? ` — ${v.report.year}` : ' — all years'}`,
    table(['Part', 'Sale', 'Account', '(a) Description', '(b) Acquired', 'Adj. acquired', '(c) Sold', '(d) Proceeds', '(e) Basis', '(f)', '(g) Adj.', '(h) Gain/loss'], rows, 7),
    '',
    'Schedule D',
    table(
      ['', 'Proceeds', 'Basis', 'Adjustments', 'Gain/loss'],
      [
        ['Short-term (Part I)', moneyText(t.shortTerm.proceeds), moneyText(t.shortTerm.costBasis), moneyText(t.shortTerm.adjustments), moneyText(t.shortTerm.gainOrLoss)],
        ['Long-term (Part II)', moneyText(t.longTerm.proceeds), moneyText(t.longTerm.costBasis), moneyText(t.longTerm.adjustments), moneyText(t.longTerm.gainOrLoss)],
      ],
      1,
    ),
    `Realized ${moneyText(t.realizedGainLoss)}, wash-sale disallowed ${moneyText(t.disallowedLoss)} (permanently ${moneyText(t.permanentlyDisallowed)}).`,
  ];
  if (v.explain) {
    const lines = v.report.rows.map(explainRow).filter((s) => s.length > 0);
    if (lines.length > 0) out.push('', 'Wash sales:', ...lines.map((s) => `- ${s}`));
  }
  out.push('', `Open lots (${v.openLots.length})`);
  out.push(
    table(
      ['Account', 'Symbol', 'Lot', 'Shares', 'Acquired', 'Adj. acquired', 'Adj. basis', 'Wash adj.'],
      v.openLots.map((l) => [l.account, l.symbol, l.id, qtyText(l.shares), day(l.acquired), day(l.heldFrom), moneyText(l.basis), moneyText(l.washAdjustment)]),
      3,
    ),
  );
  return out.join('\n') + '\n';
}

/** TXF codes: Form 8949 box A/B/C (short) and D/E/F (long). */
const TXF_CODES = { A: { short: 321, long: 323 }, B: { short: 711, long: 713 }, C: { short: 712, long: 714 } } as const;
export type TxfBox = keyof typeof TXF_CODES;

/** TXF v042, one format-5 record per row; the exported-on date is passed in (no clock here). */
export function gainsTxf(v: GainsView, exportedOn: Day, box: TxfBox = 'A'): string {
  const lines = ['V042', 'ALotsmith', `D${usDate(exportedOn)}`, '^'];
  for (const r of v.report.rows) {
    lines.push(
      'TD',
      `N${TXF_CODES[box][r.term]}`,
      'C1',
      'L1',
      `P${r.description}`,
      `D${usDate(r.dateAcquired)}`,
      `D${usDate(r.dateSold)}`,
      `$${moneyText(r.costBasis)}`,
      `$${moneyText(r.proceeds)}`,
      ...(r.code === 'W' ? [`$${moneyText(r.adjustment)}`] : []),
      '^',
    );
  }
  return lines.join('\n') + '\n';
}
