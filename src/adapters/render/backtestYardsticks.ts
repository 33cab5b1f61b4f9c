/**
 * The report's yardsticks and vintages: the hindsight bound from above and the hindsight-tuned
 * fixed threshold from below (the best achievable harvester lies between them), and economic value
 * and after-tax alpha by vintage x strategy with the focus strategy's wins. CSV sheets, HTML
 * sections and terminal lines; docs/backtest-outputs.md describes them.
 */
import type { BacktestResults } from '../../core/backtest/backtest.js';
import { HINDSIGHT, TUNED } from '../../core/backtest/metrics.js';
import { count, htmlTable, pct } from './reportFormat.js';

type Cell = string | number | undefined;
type Sheet = [readonly string[], readonly (readonly Cell[])[]];

export function yardstickSheets(r: BacktestResults): Record<string, Sheet> {
  const m = r.metrics;
  const y = m.yardsticks;
  return {
    'yardsticks.csv': [['threshold', 'accounts_chosen'], y.thresholds.map((t, i) => [t, y.chosen[i]])],
    'vintage_value.csv': [
      ['vintage', 'strategy', 'accounts', 'harvested_per_year', 'economic_value', 'economic_value_no_liquidation', 'after_tax_alpha', 'after_tax_alpha_no_liquidation'],
      m.vintageValue.map((v) => [v.vintage, v.strategy, v.accounts, v.harvestedPerYear, v.economicValue, v.economicValueNoLiquidation, v.afterTaxAlpha, v.afterTaxAlphaNoLiquidation]),
    ],
    'vintage_wins.csv': [
      ['strategy', 'vintages', 'focus_wins', 'focus_loses'],
      m.vintageWins.map((w) => [w.strategy, w.vintages, w.wins, w.losses.map((l) => l.vintage).join(' ')]),
    ],
  };
}

const thresholdText = (t: number): string => pct(t, t * 100 < 2 ? 1 : 0);

export function yardstickSections(r: BacktestResults, focus: string): string {
  const m = r.metrics;
  const y = m.yardsticks;
  const bound = m.capture.find((c) => c.strategy === HINDSIGHT);
  const label = (id: string): string => (id === HINDSIGHT ? 'Hindsight bound (from above)' : id === TUNED ? `Best fixed threshold per account, with hindsight (from below; median ${thresholdText(y.medianThreshold)})` : (r.strategies.find((s) => s.id === id)?.label ?? id));
  const rows = m.capture
    .filter((c) => c.strategy !== 'none')
    .map((c) => [label(c.strategy), count(Math.round(c.harvested)), count(Math.round(c.value)), pct(c.lossShare, 1), pct(c.valueShare, 1), count(c.accountsAboveBound)]);
  const yardsticks = htmlTable(
    `Yardsticks: the bound ($${count(Math.round(bound?.harvested ?? 0))} of losses) and the hindsight-tuned threshold; the gap between them is ${pct(y.lossGap, 1)} of the bound's losses and ${pct(y.valueGap, 1)} of its value`,
    ['Harvester', 'Harvested ($)', 'Value ($)', 'Share of bound, loss', 'Share of bound, value', 'Accounts above the bound'],
    rows,
  );
  const chosen = htmlTable('Threshold chosen with hindsight, accounts', ['Threshold', 'Accounts'], y.thresholds.map((t, i) => [thresholdText(t), count(y.chosen[i] ?? 0)]));
  const vintages = [...new Set(m.vintageValue.map((v) => v.vintage))];
  const strategies = r.strategies.filter((_, k) => k > 0);
  const cell = (vintage: number, id: string, f: (v: (typeof m.vintageValue)[number]) => number): string => {
    const v = m.vintageValue.find((x) => x.vintage === vintage && x.strategy === id);
    return v === undefined ? '—' : pct(f(v));
  };
  const table = (caption: string, f: (v: (typeof m.vintageValue)[number]) => number): string =>
    htmlTable(caption, ['Vintage', 'Accounts', ...strategies.map((s) => s.label)], vintages.map((vt) => [String(vt), count(m.vintageValue.find((x) => x.vintage === vt)?.accounts ?? 0), ...strategies.map((s) => cell(vt, s.id, f))]));
  const wins = htmlTable(
    `Vintages in which ${focus} has the higher economic value (liquidated)`,
    ['Against', 'Vintages', 'Wins', 'Loses in'],
    m.vintageWins.map((w) => [w.strategy, count(w.vintages), count(w.wins), w.losses.map((l) => String(l.vintage)).join(', ') || '—']),
  );
  return `<section><h2>Yardsticks: hindsight bound and hindsight-tuned threshold</h2>${yardsticks}${chosen}</section>
<section><h2>Value by vintage</h2>${table('Economic value by vintage, liquidated at the end (share of deposits)', (v) => v.economicValue)}${table('Economic value by vintage, never liquidated', (v) => v.economicValueNoLiquidation)}${table('After-tax alpha by vintage, liquidated (a year)', (v) => v.afterTaxAlpha)}${table('After-tax alpha by vintage, never liquidated (a year)', (v) => v.afterTaxAlphaNoLiquidation)}${wins}</section>`;
}

export function yardstickSummary(r: BacktestResults, focus: string): string[] {
  const m = r.metrics;
  const y = m.yardsticks;
  const tuned = m.capture.find((c) => c.strategy === TUNED);
  const above = m.capture.filter((c) => c.strategy !== HINDSIGHT).reduce((s, c) => s + c.accountsAboveBound, 0);
  const lines: string[] = [];
  if (tuned !== undefined) {
    lines.push(`Yardsticks: the best fixed threshold per account with hindsight (median ${thresholdText(y.medianThreshold)}) takes ${pct(tuned.lossShare, 0)} of the bound's losses and ${pct(tuned.valueShare, 0)} of its value (gap ${pct(y.lossGap, 0)} / ${pct(y.valueGap, 0)}); accounts above the bound: ${count(above)}.`);
  }
  if (m.vintageWins.length > 0) lines.push(`Vintages ${focus} wins on economic value: ${m.vintageWins.map((w) => `${w.wins}/${w.vintages} vs ${w.strategy}`).join(', ')}.`);
  return lines;
}
