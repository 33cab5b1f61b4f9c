/**
 * The backtest report's charts: vega-lite specifications built from the results and rendered to
 * SVG headless (vega's renderer 'none' needs no browser or canvas), so report.html can inline them
 * and stay one self-contained file. Yields and shares stay fractions in the data; the axes format
 * them as percentages.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { formatDay } from '../../core/kernel/calendar.js';
import type { BacktestResults } from '../../core/backtest/backtest.js';
import { HINDSIGHT, type AccountRow } from '../../core/backtest/metrics.js';
import { BASELINE } from '../../core/backtest/strategies.js';

export interface Chart {
  /** File name under charts/. */
  readonly file: string;
  readonly title: string;
  /** One sentence on how to read the chart. */
  readonly caption: string;
  readonly spec: TopLevelSpec;
}

export interface ChartInput {
  readonly results: BacktestResults;
  readonly accounts: readonly AccountRow[];
  readonly focusStrategy: string;
}

// Without a canvas vega estimates text at 0.8 em a character, so a long title widens the SVG past
// the plot: titles stay short, details go in subtitles and the report's captions.
const WIDTH = 560;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  title: { fontSize: 14, subtitleFontSize: 12, anchor: 'start' },
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 280 },
  legend: { labelLimit: 400 },
} as const;
const RATIO_CAP = 20;
const RULE = { type: 'rule' as const, strokeDash: [4, 3], color: '#b00', strokeWidth: 1.5 };

export function strategyLabel(results: BacktestResults, id: string): string {
  return id === HINDSIGHT ? 'Hindsight bound' : results.strategies.find((s) => s.id === id)?.label ?? id;
}

/** Strategy labels in the run's order, the hindsight bound last (the sort order of every chart). */
const labelOrder = (results: BacktestResults, ids: readonly string[]): string[] => ids.map((id) => strategyLabel(results, id));
const harvesting = (results: BacktestResults): string[] => results.strategies.map((s) => s.id).filter((id) => id !== BASELINE);

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export function backtestCharts(input: ChartInput): Chart[] {
  return [table5Heatmap(input), yieldByVintage(input), monthShares(input), benefitOverFee(input), captureChart(input), valueChart(input), periodChart(input)];
}

function table5Heatmap({ results, focusStrategy }: ChartInput): Chart {
  const m = results.metrics;
  const cell = (vintage: string, risk: number, yields: Readonly<Record<string, number>>) => ({ vintage, risk, yield: yields[focusStrategy] ?? 0 });
  const values = [...m.cohorts.map((c) => cell(String(c.vintage), c.risk, c.yields)), ...m.averages.map((c) => cell('AVG', c.risk, c.yields))];
  const columns = [...new Set(m.cohorts.map((c) => c.vintage))].sort((a, b) => a - b).map(String);
  const x = { field: 'vintage', type: 'ordinal', sort: [...columns, 'AVG'], title: 'Vintage (year the account opened)', axis: { labelAngle: 0 } } as const;
  const y = { field: 'risk', type: 'ordinal', sort: 'descending', title: 'Risk score' } as const;
  const title = 'Table 5 — Yield by vintage and risk score';
  // White text on the darkest cells of the colour scale, black elsewhere.
  const dark = 0.6 * Math.max(0, ...values.map((v) => v.yield));
  return {
    file: 'table5_heatmap.svg',
    title,
    caption: 'Each cell is the cohort\'s annualized since-inception harvesting yield (losses harvested a year over balance); darker cells harvested more, and the AVG column is the mean across vintages.',
    spec: {
      config: CONFIG,
      title: { text: title, subtitle: strategyLabel(results, focusStrategy) },
      width: Math.min(WIDTH, 70 * (columns.length + 1)),
      data: { values },
      layer: [
        { mark: 'rect', encoding: { x, y, color: { field: 'yield', type: 'quantitative', title: 'Yield (% a year)', scale: { scheme: 'blues', domainMin: 0 }, legend: { format: '.1%' } } } },
        { mark: { type: 'text', fontSize: 11 }, encoding: { x, y, text: { field: 'yield', type: 'quantitative', format: '.2%' }, color: { condition: { test: `datum.yield > ${dark}`, value: 'white' }, value: 'black' } } },
      ],
    },
  };
}

function yieldByVintage({ results }: ChartInput): Chart {
  const ids = [...results.strategies.map((s) => s.id), HINDSIGHT];
  const values = results.metrics.cohorts.flatMap((c) => ids.map((id) => ({ vintage: String(c.vintage), strategy: strategyLabel(results, id), yield: c.yields[id] ?? 0 })));
  const order = labelOrder(results, ids);
  const title = 'Yield by vintage, strategies vs hindsight';
  return {
    file: 'yield_by_vintage.svg',
    title,
    caption: 'Bars are each vintage\'s yield averaged with equal weight over its risk-score cohorts; the gap between a strategy and the hindsight bound is what perfect foresight would have added.',
    spec: {
      config: CONFIG,
      title,
      width: WIDTH,
      data: { values },
      mark: 'bar',
      encoding: {
        x: { field: 'vintage', type: 'ordinal', title: 'Vintage (year the account opened)', axis: { labelAngle: 0 } },
        xOffset: { field: 'strategy', type: 'nominal', sort: order },
        y: { aggregate: 'mean', field: 'yield', type: 'quantitative', title: 'Harvesting yield (% of balance a year)', axis: { format: '.1%' } },
        color: { field: 'strategy', type: 'nominal', sort: order, title: 'Strategy' },
      },
    },
  };
}

function monthShares({ results, focusStrategy }: ChartInput): Chart {
  const row = results.metrics.months.find((m) => m.strategy === focusStrategy);
  const values = (row?.shares ?? []).map((share, i) => ({ month: MONTHS[i], share }));
  const title = 'Figure 1 — Harvested losses by month';
  return {
    file: 'monthly_shares.svg',
    title,
    caption: `Each bar is the month's share of its year's harvested losses, averaged over ${row?.years ?? 0} complete calendar year(s); the dashed line at 8.3 % is an even spread, and tall bars outside December are losses a year-end review would miss.`,
    spec: {
      config: CONFIG,
      title: { text: title, subtitle: strategyLabel(results, focusStrategy) },
      width: WIDTH,
      layer: [
        {
          data: { values },
          mark: 'bar',
          encoding: {
            x: { field: 'month', type: 'ordinal', sort: MONTHS, title: 'Calendar month', axis: { labelAngle: 0 } },
            y: { field: 'share', type: 'quantitative', title: 'Share of the year\'s harvested losses (%)', axis: { format: '.0%' } },
          },
        },
        ...markedLine('y', 1 / 12, 'even spread'),
      ],
    },
  };
}

function benefitOverFee({ results, accounts, focusStrategy }: ChartInput): Chart {
  // A few young accounts with tiny fees reach 100× and would squeeze the rest into one bar.
  const values = accounts.filter((a) => a.strategy === focusStrategy && a.fees > 0).map((a) => ({ ratio: Math.min(a.taxBenefit / a.fees, RATIO_CAP) }));
  const title = 'Tax benefit over fees, per account';
  // Bins from 0 so the break-even line sits inside the axis whatever the ratios.
  const extent: [number, number] = [0, Math.max(2, Math.ceil(Math.max(0, ...values.map((v) => v.ratio))))];
  return {
    file: 'benefit_over_fee.svg',
    title,
    caption: `Accounts (${values.length} with fees paid) binned by the paper's estimated tax benefit over the fees they paid, ratios above ${RATIO_CAP}× in the last bin; those right of the dashed 1× line received more in tax benefit than they paid in fees.`,
    spec: {
      config: CONFIG,
      title: { text: title, subtitle: strategyLabel(results, focusStrategy) },
      width: WIDTH,
      layer: [
        {
          data: { values },
          mark: 'bar',
          encoding: {
            x: { field: 'ratio', type: 'quantitative', bin: { maxbins: 30, extent }, title: 'Estimated tax benefit / advisory fees paid (×)', axis: { labelExpr: "format(datum.value, '.1f') + '×'" } },
            y: { aggregate: 'count', type: 'quantitative', title: 'Accounts', axis: { tickMinStep: 1, format: 'd' } },
          },
        },
        ...markedLine('x', 1, 'benefit = fee'),
      ],
    },
  };
}

/** A dashed reference line at `at` on axis `channel`, labelled, as two layers. */
function markedLine(channel: 'x' | 'y', at: number, label: string) {
  const field = { field: 'at', type: 'quantitative' as const };
  const position = channel === 'x' ? { x: field } : { y: field };
  const data = { values: [{ at, label }] };
  return [
    { data, mark: RULE, encoding: position },
    {
      data,
      // Above the plot for a vertical line, where no bar can hide it; above the line for a horizontal one.
      mark: { type: 'text' as const, color: '#b00', align: 'left' as const, baseline: 'bottom' as const, ...(channel === 'x' ? { y: -4, dx: -4 } : { x: 4, dy: -3 }) },
      encoding: { ...position, text: { field: 'label' } },
    },
  ];
}

/** Horizontal bars of one measure per strategy, grouped by `series` (the legend). */
function groupedBars(rows: readonly { strategy: string; series: string; value: number }[], order: readonly string[], axis: { title: string; format: string }) {
  return {
    data: { values: rows },
    mark: 'bar',
    encoding: {
      y: { field: 'strategy', type: 'nominal', sort: order, title: 'Strategy' },
      yOffset: { field: 'series', type: 'nominal' },
      x: { field: 'value', type: 'quantitative', title: axis.title, axis: { format: axis.format } },
      color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom' } },
    },
  } as const;
}

function captureChart({ results }: ChartInput): Chart {
  const ids = harvesting(results);
  const rows = results.metrics.capture
    .filter((c) => ids.includes(c.strategy))
    .flatMap((c) => [
      { strategy: strategyLabel(results, c.strategy), series: 'Losses harvested', value: c.lossShare },
      { strategy: strategyLabel(results, c.strategy), series: 'Value of the harvests', value: c.valueShare },
    ]);
  const title = 'Capture of the hindsight bound';
  return {
    file: 'capture.svg',
    title,
    caption: 'Each strategy\'s harvested losses, and their discounted tax value, as a share of what a harvester with perfect hindsight could have taken from the same accounts; 100 % is the bound.',
    spec: { config: CONFIG, title, width: WIDTH, ...groupedBars(rows, labelOrder(results, ids), { title: 'Share of the hindsight bound (%)', format: '.0%' }) },
  };
}

function valueChart({ results }: ChartInput): Chart {
  const ids = harvesting(results);
  const order = labelOrder(results, ids);
  const value = results.metrics.value.filter((v) => ids.includes(v.strategy));
  const variants = (liquidated: number, kept: number, strategy: string) => [
    { strategy: strategyLabel(results, strategy), series: 'Liquidated at the end', value: liquidated },
    { strategy: strategyLabel(results, strategy), series: 'Never liquidated (step-up, donation)', value: kept },
  ];
  const title = 'Economic value and after-tax alpha';
  return {
    file: 'value.svg',
    title,
    caption: 'Left: present value of tax saved and wealth gained as a share of deposits; right: the annualized after-tax return gained; each with the portfolio\'s gains taxed at the end or never realized.',
    spec: {
      config: CONFIG,
      title,
      hconcat: [
        { width: 260, ...groupedBars(value.flatMap((v) => variants(v.economicValue, v.economicValueNoLiquidation, v.strategy)), order, { title: 'Economic value (% of deposits)', format: '.1%' }) },
        { width: 260, ...groupedBars(value.flatMap((v) => variants(v.afterTaxAlpha, v.afterTaxAlphaNoLiquidation, v.strategy)), order, { title: 'After-tax alpha (% a year)', format: '.2%' }) },
      ],
    },
  };
}

function periodChart({ results }: ChartInput): Chart {
  const ids = [...harvesting(results), HINDSIGHT];
  const rows = results.metrics.periods
    .filter((p) => ids.includes(p.strategy))
    .map((p) => ({
      strategy: strategyLabel(results, p.strategy),
      series: `${p.period === 'calibration' ? 'Calibration' : 'Out of sample'} ${formatDay(p.from)} – ${formatDay(p.to)}`,
      value: p.annualizedYield,
    }));
  const title = 'Yield before and after the calibration split';
  return {
    file: 'periods.svg',
    title,
    caption: `Parameters were set on data before ${formatDay(results.split)} only, so the out-of-sample bars are the honest estimate; a strategy that does much worse out of sample was fitted to its past.`,
    spec: { config: CONFIG, title, width: WIDTH, ...groupedBars(rows, labelOrder(results, ids), { title: 'Harvesting yield (% of balance a year)', format: '.1%' }) },
  };
}
