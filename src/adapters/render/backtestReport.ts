/**
 * `lotsmith backtest` output: results.json, one CSV per table (csv-stringify), the charts as SVG
 * (backtestCharts.ts), one self-contained report.html, and a terminal summary. Raw numbers in
 * JSON and CSV (yields and shares as fractions, money in dollars, dates YYYY-MM-DD); formatted for
 * people in HTML and the terminal. docs/backtest-outputs.md describes every file and column.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { BacktestResults } from '../../core/backtest/backtest.js';
import type { Day } from '../../core/kernel/calendar.js';
import { HINDSIGHT, type AccountRow, type CohortRow, type FeeRatio, type VintageMarket } from '../../core/backtest/metrics.js';
import type { DepositsExample, PaperYear, ScenarioTwoExample, SimulatedInvestor } from '../../core/backtest/paperExamples.js';
import { backtestCharts, renderSvg, strategyLabel } from './backtestCharts.js';
import { day, json, table } from './text.js';
import { count, esc, htmlTable, pct, times, usd } from './reportFormat.js';
import { yardstickSheets, yardstickSections, yardstickSummary } from './backtestYardsticks.js';

export interface ReportRun {
  readonly pricesDir: string;
  /** Config file path, or 'defaults'. */
  readonly config: string;
  /** Wall time of the simulation. */
  readonly seconds: number;
  readonly workers: number;
  readonly accountDaysPerSecond: number;
  /** ISO date-time supplied by the CLI (the core has no clock). */
  readonly generatedAt: string;
}

export interface ReportInput {
  readonly results: BacktestResults;
  readonly accounts: readonly AccountRow[];
  readonly examples: { readonly deposits: DepositsExample; readonly scenarioTwo: ScenarioTwoExample };
  readonly run: ReportRun;
  /** The strategy Table 5/6 and Figure 1 are shown for, e.g. 'daily_cost_benefit'. */
  readonly focusStrategy: string;
}

/**
 * The seed paper's own figures for its two illustrations (test/fixtures/examples/seed_paper.json,
 * ids SEED-DEP and SEED-S2; the report's test checks these against that file). Kept here because
 * the fixture does not ship with the package. Deposits: the paper's yearly table of beginning
 * balances and losses, its stated average yields, total losses and year-10 values.
 */
const PAPER = {
  investorA: {
    beginningBalance: [10000, 10800, 11664, 12597.12, 13604.89, 14693.28, 15868.74, 17138.24, 18509.3, 19990.05],
    harvestedLoss: [500, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    averageYield: 0.005,
    totalLosses: 500,
    endValue: 21589.25,
  },
  investorB: {
    beginningBalance: [10000, 13300, 16864, 20713.12, 24870.17, 29359.78, 34208.57, 39445.25, 45100.87, 51208.94],
    harvestedLoss: [500, 125, 125, 125, 125, 125, 125, 125, 125, 125],
    averageYield: 0.0094,
    totalLosses: 1625,
    endValue: 55305.66,
  },
  scenarioTwo: {
    harvestedLoss: [10000, 0, 400, 0, 0],
    taxSaved: [4000, 0, 160, 0, 0],
    endValue: [104000, 106000, 93760, 93760, 104160],
    totalBasis: 93760,
    longTermGain: 10400,
    liquidationTax: 2600,
    afterTaxValue: 101560,
  },
} as const;
type PaperInvestor = (typeof PAPER)['investorA' | 'investorB'];

// ---------------------------------------------------------------- JSON

const dated = <T extends { readonly from: Day }>(x: T): Omit<T, 'from'> & { from: string } => ({ ...x, from: day(x.from) });

export function resultsJson(input: ReportInput): Record<string, unknown> {
  const { results: r, run } = input;
  const m = r.metrics;
  return {
    generatedAt: run.generatedAt,
    run: { pricesDir: run.pricesDir, config: run.config, seconds: run.seconds, workers: run.workers, accountDaysPerSecond: run.accountDaysPerSecond },
    window: { from: day(r.from), to: day(r.to), tradingDays: r.tradingDays, split: day(r.split) },
    accounts: r.accounts,
    accountDays: r.accountDays,
    focusStrategy: input.focusStrategy,
    strategies: r.strategies,
    totalReturnFunds: r.totalReturn,
    calibration: r.calibration.map((c) => ({ ...dated(c), through: day(c.through) })),
    metrics: {
      ...m,
      market: m.market.map(dated),
      periods: m.periods.map((p) => ({ ...dated(p), to: day(p.to) })),
    },
    paperExamples: {
      deposits: {
        simulator: { investorA: investorJson(input.examples.deposits.investorA), investorB: investorJson(input.examples.deposits.investorB) },
        paper: { investorA: PAPER.investorA, investorB: PAPER.investorB },
      },
      scenarioTwo: { simulator: { ...input.examples.scenarioTwo, yearly: input.examples.scenarioTwo.yearly.map(yearJson) }, paper: PAPER.scenarioTwo },
    },
  };
}

// The core reports the examples' yields in percent, as the paper prints them; JSON keeps fractions.
function yearJson({ harvestingYieldPct, ...year }: PaperYear): Record<string, number> {
  return { ...year, harvestingYield: harvestingYieldPct / 100 };
}

function investorJson({ averageAnnualHarvestingYieldPct, yearly, ...investor }: SimulatedInvestor): Record<string, unknown> {
  return { ...investor, yearly: yearly.map(yearJson), averageAnnualHarvestingYield: averageAnnualHarvestingYieldPct / 100 };
}

// ---------------------------------------------------------------- CSV

type Cell = string | number | undefined;
type Sheet = readonly [readonly string[], readonly (readonly Cell[])[]];

const MONTH_COLUMNS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const TRAILING_YEARS = ['1', '3', '5', '10'];

const yieldIds = (r: BacktestResults): string[] => [...r.strategies.map((s) => s.id), HINDSIGHT];
const yieldCells = (r: BacktestResults, c: CohortRow): Cell[] => yieldIds(r).map((id) => c.yields[id]);

/** Simulator-vs-paper rows: one per example, year and metric (year empty for whole-run figures). */
function paperRows(input: ReportInput): Cell[][] {
  const { deposits, scenarioTwo: s2 } = input.examples;
  const investor = (example: string, sim: SimulatedInvestor, paper: PaperInvestor): Cell[][] => [
    ...sim.yearly.flatMap((y, i) => [
      [example, y.year, 'beginning_balance', y.beginningBalance, paper.beginningBalance[i]],
      [example, y.year, 'harvested_loss', y.harvestedLoss, paper.harvestedLoss[i]],
      [example, y.year, 'harvesting_yield', y.harvestingYieldPct / 100, paperYield(paper, i)],
    ]),
    [example, '', 'average_harvesting_yield', sim.averageAnnualHarvestingYieldPct / 100, paper.averageYield],
    [example, '', 'total_losses', sim.totalLosses, paper.totalLosses],
    [example, '', 'end_value', sim.endValue, paper.endValue],
  ];
  const p = PAPER.scenarioTwo;
  return [
    ...investor('investor_a', deposits.investorA, PAPER.investorA),
    ...investor('investor_b', deposits.investorB, PAPER.investorB),
    ...s2.yearly.flatMap((y, i) => [
      ['scenario_two', y.year, 'harvested_loss', y.harvestedLoss, p.harvestedLoss[i]],
      ['scenario_two', y.year, 'tax_saved', y.taxSaved, p.taxSaved[i]],
      ['scenario_two', y.year, 'end_value', y.endValue, p.endValue[i]],
    ]),
    ['scenario_two', '', 'total_basis_at_liquidation', s2.totalBasisAtLiquidation, p.totalBasis],
    ['scenario_two', '', 'long_term_gain_at_liquidation', s2.longTermGainAtLiquidation, p.longTermGain],
    ['scenario_two', '', 'liquidation_tax', s2.liquidationTax, p.liquidationTax],
    ['scenario_two', '', 'after_tax_liquidation_value', s2.afterTaxLiquidationValue, p.afterTaxValue],
  ];
}

/** The paper's yearly yield is its loss over its beginning balance (beginning balance includes the deposit). */
function paperYield(paper: PaperInvestor, i: number): number | undefined {
  const balance = paper.beginningBalance[i];
  const loss = paper.harvestedLoss[i];
  return balance === undefined || loss === undefined ? undefined : loss / balance;
}

function sheets(input: ReportInput): Record<string, Sheet> {
  const r = input.results;
  const m = r.metrics;
  return {
    'cohorts.csv': [['vintage', 'risk', 'accounts', ...yieldIds(r)], m.cohorts.map((c) => [c.vintage, c.risk, c.accounts, ...yieldCells(r, c)])],
    'averages.csv': [['risk', 'accounts', ...yieldIds(r)], m.averages.map((c) => [c.risk, c.accounts, ...yieldCells(r, c)])],
    'market.csv': [['vintage', 'from', 'volatility', 'max_drawdown'], m.market.map((v) => [v.vintage, day(v.from), v.volatility, v.maxDrawdown])],
    'trailing.csv': [['vintage', 'strategy', ...TRAILING_YEARS.map((y) => `trailing_${y}y`)], m.trailing.map((t) => [t.vintage, t.strategy, ...TRAILING_YEARS.map((y) => t.yields[y])])],
    'months.csv': [['strategy', 'years', ...MONTH_COLUMNS], m.months.map((x) => [x.strategy, x.years, ...x.shares])],
    'fee_ratios.csv': [['strategy', 'accounts', 'median', 'p10', 'p90', 'share_above_one'], m.feeRatios.map((f) => [f.strategy, f.accounts, f.median, f.p10, f.p90, f.shareAboveOne])],
    'value.csv': [
      ['strategy', 'accounts', 'harvested_per_year', 'economic_value', 'economic_value_no_liquidation', 'after_tax_alpha', 'after_tax_alpha_no_liquidation', 'tracking_difference', 'tracking_difference_sd', 'trades'],
      m.value.map((v) => [v.strategy, v.accounts, v.harvestedPerYear, v.economicValue, v.economicValueNoLiquidation, v.afterTaxAlpha, v.afterTaxAlphaNoLiquidation, v.trackingDifference, v.trackingDifferenceSd, v.trades]),
    ],
    'capture.csv': [['strategy', 'harvested', 'value', 'loss_share', 'value_share', 'accounts_above_bound'], m.capture.map((c) => [c.strategy, c.harvested, c.value, c.lossShare, c.valueShare, c.accountsAboveBound])],
    ...yardstickSheets(r),
    'periods.csv': [['period', 'from', 'to', 'strategy', 'annualized_yield', 'harvested', 'loss_share'], m.periods.map((p) => [p.period, day(p.from), day(p.to), p.strategy, p.annualizedYield, p.harvested, p.lossShare])],
    'wash_sales.csv': [['strategy', 'runs', 'verified', 'disallowed', 'wash_sales', 'mismatches'], m.washSales.map((w) => [w.strategy, w.runs, w.verified, w.disallowed, w.washSales, w.mismatches.join('; ')])],
    'calibration.csv': [['asset_class', 'symbol', 'file_volatility', 'volatility', 'from', 'through'], r.calibration.map((c) => [c.assetClass, c.symbol, c.fileVolatility, c.volatility, day(c.from), day(c.through)])],
    'accounts.csv': [
      ['account', 'vintage', 'risk_score', 'profile', 'start', 'strategy', 'deposits', 'final_value', 'harvested_short_term', 'harvested_long_term', 'fees', 'tax_benefit', 'tax_saved', 'liquidation_tax', 'trades', 'decisions', 'wash_sales'],
      input.accounts.map((a) => [a.account, a.vintage, a.riskScore, a.profile, day(a.start), a.strategy, a.deposits, a.finalValue, a.harvestedShortTerm, a.harvestedLongTerm, a.fees, a.taxBenefit, a.taxSaved, a.liquidationTax, a.trades, a.decisions, a.washSales]),
    ],
    'paper_examples.csv': [['example', 'year', 'metric', 'simulator', 'paper'], paperRows(input)],
  };
}

// ---------------------------------------------------------------- human formats

function checkFocus(input: ReportInput): void {
  if (!input.results.strategies.some((s) => s.id === input.focusStrategy)) {
    throw new Error(`focus strategy '${input.focusStrategy}' is not one of the run's strategies (${input.results.strategies.map((s) => s.id).join(', ')})`);
  }
}

/** Each strategy with its rows of the metrics tables. */
function perStrategy(r: BacktestResults) {
  const m = r.metrics;
  return r.strategies.map((s) => ({
    s,
    v: m.value.find((x) => x.strategy === s.id),
    c: m.capture.find((x) => x.strategy === s.id),
    f: m.feeRatios.find((x) => x.strategy === s.id),
    w: m.washSales.find((x) => x.strategy === s.id),
  }));
}

const medianRatio = (f: FeeRatio | undefined): string => (f === undefined || f.accounts === 0 ? '—' : times(f.median));

/** The strategy comparison of report.html, one row per strategy. */
function comparisonRows(r: BacktestResults): string[][] {
  return perStrategy(r).map(({ s, v, c, f, w }) => [
    s.label,
    pct(v?.harvestedPerYear),
    pct(c?.lossShare, 1),
    pct(c?.valueShare, 1),
    pct(v?.economicValue),
    pct(v?.economicValueNoLiquidation),
    pct(v?.afterTaxAlpha),
    pct(v?.afterTaxAlphaNoLiquidation),
    v === undefined ? '—' : `${pct(v.trackingDifference)} ± ${pct(v.trackingDifferenceSd)}`,
    medianRatio(f),
    f === undefined || f.accounts === 0 ? '—' : pct(f.shareAboveOne, 0),
    v === undefined ? '—' : count(v.trades),
    w === undefined ? '—' : count(w.washSales),
  ]);
}

const COMPARISON_HEAD = [
  'Strategy', 'Harvested a year', 'Loss capture', 'Value capture', 'Economic value', 'EV, never liquidated', 'After-tax alpha',
  'Alpha, never liquidated', 'Tracking difference', 'Median benefit/fee', 'Benefit > fee', 'Trades', 'Wash sales',
];

// ---------------------------------------------------------------- terminal

/** Two figures in one cell, "a / b", to keep the terminal table narrow. */
const pair = (a: number | undefined, b: number | undefined, digits: number): string => (a === undefined || b === undefined ? '—' : `${pct(a, digits)} / ${pct(b, digits)}`);

export function backtestSummary(input: ReportInput): string {
  checkFocus(input);
  const r = input.results;
  const { investorA, investorB } = input.examples.deposits;
  const s2 = input.examples.scenarioTwo;
  const rows = perStrategy(r).map(({ s, v, c, f, w }) => [
    s.id,
    pct(v?.harvestedPerYear),
    pair(c?.lossShare, c?.valueShare, 0),
    pair(v?.economicValue, v?.economicValueNoLiquidation, 2),
    pair(v?.afterTaxAlpha, v?.afterTaxAlphaNoLiquidation, 2),
    pct(v?.trackingDifference),
    medianRatio(f),
    w === undefined ? '—' : count(w.washSales + w.mismatches.length),
  ]);
  return [
    `Backtest ${day(r.from)} – ${day(r.to)} (${count(r.tradingDays)} trading days, out of sample from ${day(r.split)}): ${count(r.accounts)} accounts, ${count(r.accountDays)} account-days in ${input.run.seconds.toFixed(1)} s (${count(Math.round(input.run.accountDaysPerSecond))} account-days/s, ${input.run.workers} worker(s)).`,
    table(['Strategy', 'Harvested/yr', 'Capture loss / value', 'Econ. value liq. / kept', 'After-tax alpha liq. / kept', 'Tracking', 'Benefit/fee', 'Wash sales'], rows, 1),
    'Capture: share of the hindsight bound. Economic value: share of deposits, portfolio liquidated at the end / never.',
    ...yardstickSummary(r, input.focusStrategy),
    'Alpha and tracking: a year, against no harvesting. Benefit/fee: median over accounts. Wash sales: found by the ledger, plus mismatches (0 expected).',
    '',
    'Seed paper examples, simulator vs paper',
    table(
      ['Example', 'Figure', 'Simulator', 'Paper'],
      [
        ['Investor A', 'average harvesting yield', pct(investorA.averageAnnualHarvestingYieldPct / 100), pct(PAPER.investorA.averageYield)],
        ['Investor B', 'average harvesting yield', pct(investorB.averageAnnualHarvestingYieldPct / 100), pct(PAPER.investorB.averageYield)],
        ['Scenario 2', 'liquidation tax', usd(s2.liquidationTax), usd(PAPER.scenarioTwo.liquidationTax)],
        ['Scenario 2', 'after-tax liquidation value', usd(s2.afterTaxLiquidationValue), usd(PAPER.scenarioTwo.afterTaxValue)],
      ],
      2,
    ),
  ].join('\n') + '\n';
}

// ---------------------------------------------------------------- HTML

function runHeader(input: ReportInput): string {
  const { results: r, run } = input;
  const facts: [string, string][] = [
    ['Window', `${day(r.from)} – ${day(r.to)} (${count(r.tradingDays)} trading days)`],
    ['Out of sample from', day(r.split)],
    ['Accounts', count(r.accounts)],
    ['Account-days', count(r.accountDays)],
    ['Speed', `${run.seconds.toFixed(1)} s on ${run.workers} worker(s), ${count(Math.round(run.accountDaysPerSecond))} account-days/s`],
    ['Prices directory', run.pricesDir],
    ['Traded on total-return series', r.totalReturn.length === 0 ? 'none' : r.totalReturn.join(', ')],
    ['Config', run.config],
    ['Focus strategy', strategyLabel(r, input.focusStrategy)],
    ['Generated', run.generatedAt],
  ];
  return `<header><h1>Lotsmith backtest</h1><dl>${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>
<p class="note">${calibrationNote(r)}</p></header>`;
}

function calibrationNote(r: BacktestResults): string {
  const split = esc(day(r.split));
  return r.calibration.length > 0
    ? `<strong>Honest calibration.</strong> Every market parameter the harvester uses was set on prices before ${split} only (volatilities re-measured, see the calibration table); the period from ${split} on is out of sample and reported separately.`
    : `<strong>Calibration was off.</strong> The harvester used the universe file's volatilities as given, measured over years that may overlap the backtest, so the period from ${split} on is not strictly out of sample.`;
}

function table5(input: ReportInput): string {
  const m = input.results.metrics;
  const vintages = [...new Set(m.cohorts.map((c) => c.vintage))].sort((a, b) => a - b);
  const f = input.focusStrategy;
  const rows = m.averages.map((avg) => [
    `Risk score ${avg.risk}`,
    ...vintages.map((v) => pct(m.cohorts.find((c) => c.risk === avg.risk && c.vintage === v)?.yields[f])),
    pct(avg.yields[f]),
  ]);
  const marketRow = (label: string, pick: (x: VintageMarket) => number): string[] => [
    label,
    ...vintages.map((v) => {
      const x = m.market.find((y) => y.vintage === v);
      return pct(x === undefined ? undefined : pick(x));
    }),
    '',
  ];
  rows.push(marketRow('Market volatility', (x) => x.volatility), marketRow('Maximum market drawdown', (x) => x.maxDrawdown));
  return htmlTable(`Table 5 — Annualized harvesting yield by vintage and risk score (${strategyLabel(input.results, f)}); market rows: the US-stock primary from each vintage's first trading day`, ['', ...vintages.map(String), 'AVG'], rows);
}

function table6(input: ReportInput): string {
  const rows = input.results.metrics.trailing.filter((t) => t.strategy === input.focusStrategy).map((t) => [String(t.vintage), ...TRAILING_YEARS.map((y) => pct(t.yields[y]))]);
  return htmlTable(`Table 6 — Trailing harvesting yields by vintage for the focus risk score (${strategyLabel(input.results, input.focusStrategy)}); — where the vintage is younger than the window`, ['Vintage', ...TRAILING_YEARS.map((y) => `${y}-year`)], rows);
}

/** The verdict above the wash-sale table: the one number a reader must not miss. */
function washStatus(verified: number, found: number): string {
  if (verified === 0) return '<p class="bad">Not verified: the run was made without the ledger\'s re-booking (verify off), so wash sales were not checked.</p>';
  if (found > 0) return `<p class="bad">${count(found)} wash sale(s) or mismatch(es) found — expected 0. The first are listed below the table.</p>`;
  return `<p class="ok">0 wash sales and 0 mismatches in ${count(verified)} verified histories — as expected: the ledger re-booked every simulated trade and agreed to the cent.</p>`;
}

function washSection(r: BacktestResults): string {
  const rows = r.metrics.washSales;
  const found = rows.reduce((s, w) => s + w.washSales + w.mismatches.length, 0);
  const verified = rows.reduce((s, w) => s + w.verified, 0);
  const mismatches = rows.flatMap((w) => w.mismatches.map((x) => `<li>${esc(w.strategy)}: ${esc(x)}</li>`));
  const tableHtml = htmlTable(
    'Ledger re-booking of every simulated history',
    ['Strategy', 'Runs', 'Verified', 'Wash sales', 'Disallowed loss', 'Mismatches'],
    rows.map((w) => [strategyLabel(r, w.strategy), count(w.runs), count(w.verified), count(w.washSales), usd(w.disallowed), count(w.mismatches.length)]),
  );
  return `<section><h2>Wash-sale verification</h2>${washStatus(verified, found)}${tableHtml}${mismatches.length > 0 ? `<ul>${mismatches.join('')}</ul>` : ''}</section>`;
}

function calibrationTable(r: BacktestResults): string {
  return htmlTable(
    `Volatility per asset class: the universe file's figure vs re-measured on prices before ${day(r.split)}`,
    ['Asset class', 'Fund', 'Universe file', 'Re-measured', 'From', 'Through'],
    r.calibration.map((c) => [c.assetClass, c.symbol, pct(c.fileVolatility, 1), pct(c.volatility, 1), day(c.from), day(c.through)]),
    2,
  );
}

function paperTables(input: ReportInput): string {
  const investor = (name: string, sim: SimulatedInvestor, paper: PaperInvestor): string =>
    htmlTable(
      `${name}: simulator vs paper`,
      ['Year', 'Beginning balance', 'Paper', 'Harvested loss', 'Paper', 'Yield', 'Paper'],
      [
        ...sim.yearly.map((y, i) => [String(y.year), usd(y.beginningBalance), usd(paper.beginningBalance[i]), usd(y.harvestedLoss), usd(paper.harvestedLoss[i]), pct(y.harvestingYieldPct / 100), pct(paperYield(paper, i))]),
        ['Total / average', '', '', usd(sim.totalLosses), usd(paper.totalLosses), pct(sim.averageAnnualHarvestingYieldPct / 100), pct(paper.averageYield)],
      ],
    );
  const s2 = input.examples.scenarioTwo;
  const p = PAPER.scenarioTwo;
  const scenario = htmlTable(
    'Scenario 2 (five years, tax savings reinvested): simulator vs paper',
    ['Year', 'Harvested loss', 'Paper', 'Tax saved', 'Paper', 'End value', 'Paper'],
    s2.yearly.map((y, i) => [String(y.year), usd(y.harvestedLoss), usd(p.harvestedLoss[i]), usd(y.taxSaved), usd(p.taxSaved[i]), usd(y.endValue), usd(p.endValue[i])]),
  );
  const liquidation = htmlTable(
    'Scenario 2, liquidated after year 5 at the 25 % long-term rate',
    ['', 'Simulator', 'Paper'],
    [
      ['Total basis', usd(s2.totalBasisAtLiquidation), usd(p.totalBasis)],
      ['Long-term gain', usd(s2.longTermGainAtLiquidation), usd(p.longTermGain)],
      ['Liquidation tax', usd(s2.liquidationTax), usd(p.liquidationTax)],
      ['After-tax value', usd(s2.afterTaxLiquidationValue), usd(p.afterTaxValue)],
    ],
  );
  const { investorA, investorB } = input.examples.deposits;
  const washes = investorA.washSales + investorB.washSales + s2.washSales;
  return `<section><h2>The seed paper's examples, through the simulator</h2><p>The paper's stylized price paths run day by day through the same brokerage, policy, tax settlement and ledger check as the backtest (${washes} wash sales).</p>${investor('Investor A (one $10,000 deposit)', investorA, PAPER.investorA)}${investor('Investor B ($10,000, then $2,500 each year)', investorB, PAPER.investorB)}${scenario}${liquidation}</section>`;
}

const STYLE = `body{font:15px/1.45 Helvetica,Arial,sans-serif;color:#222;max-width:1100px;margin:2em auto;padding:0 1em}
h1{margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid #ccc}dl{display:grid;grid-template-columns:max-content auto;gap:.1em 1em}dt{font-weight:bold}dd{margin:0}
table{border-collapse:collapse;margin:1em 0;font-size:14px}caption{text-align:left;font-weight:bold;padding:.3em 0}th,td{padding:.2em .6em;border-bottom:1px solid #e3e3e3}
th{background:#f4f4f4}.n{text-align:right;font-variant-numeric:tabular-nums}.note{background:#f4f7fb;padding:.6em;border-left:4px solid #4a78b0}
.ok{background:#eef8ee;padding:.6em;border-left:4px solid #2a8a2a;font-weight:bold}.bad{background:#fbeeee;padding:.6em;border-left:4px solid #b00;font-weight:bold}
figure{margin:2em 0}figcaption{color:#444;max-width:760px}svg{max-width:100%;height:auto}`;

function html(input: ReportInput, charts: readonly { caption: string; svg: string }[]): string {
  const r = input.results;
  const comparison = htmlTable('Strategies against no harvesting (economic value as a share of deposits; alpha and tracking difference a year)', COMPARISON_HEAD, comparisonRows(r));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Lotsmith backtest ${esc(day(r.from))} – ${esc(day(r.to))}</title><style>${STYLE}</style></head>
<body>${runHeader(input)}
<section><h2>Harvesting yields (the paper's Tables 5 and 6)</h2>${table5(input)}${table6(input)}</section>
<section><h2>Strategy comparison</h2>${comparison}</section>
${yardstickSections(r, input.focusStrategy)}
${washSection(r)}
<section><h2>Calibration</h2>${calibrationTable(r)}</section>
${paperTables(input)}
<section><h2>Charts</h2>${charts.map((c) => `<figure>${c.svg}<figcaption>${esc(c.caption)}</figcaption></figure>`).join('\n')}</section>
</body></html>
`;
}

// ---------------------------------------------------------------- files

export async function writeBacktestReport(dir: string, input: ReportInput): Promise<string[]> {
  checkFocus(input);
  await mkdir(join(dir, 'charts'), { recursive: true });
  const charts = await Promise.all(backtestCharts(input).map(async (c) => ({ ...c, svg: await renderSvg(c.spec) })));
  const files: [string, string][] = [
    ['results.json', json(resultsJson(input))],
    ...Object.entries(sheets(input)).map(([name, [head, rows]]): [string, string] => [name, stringify([head, ...rows])]),
    ...charts.map((c): [string, string] => [join('charts', c.file), c.svg]),
    ['report.html', html(input, charts)],
  ];
  for (const [name, text] of files) await writeFile(join(dir, name), text);
  return files.map(([name]) => join(dir, name));
}
