/**
 * The backtest report on a real small backtest (three accounts on real ETF prices, every default
 * strategy, the ledger verifying each history): every file docs/backtest-outputs.md lists is
 * written, the CSV headers are the documented ones, report.html is one self-contained page, and the
 * paper's figures the report prints are the fixture's.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPriceBook } from '../files/priceDirectory.js';
import { FIXTURE_PRICES } from '../files/testPrices.test-util.js';
import { prepareBacktest, simulateSlice, summarize } from '../../core/backtest/backtest.js';
import { testSpec } from '../../core/backtest/testBacktest.test-util.js';
import { accountRows } from '../../core/backtest/metrics.js';
import { depositsExample, scenarioTwoExample } from '../../core/backtest/paperExamples.js';
import { DEFAULT_STRATEGIES } from '../../core/backtest/strategies.js';
import { FEDERAL_2025 } from '../../core/harvest/testHousehold.test-util.js';
import { backtestSummary, resultsJson, writeBacktestReport, type ReportInput } from './backtestReport.js';

const STRATEGY_IDS = DEFAULT_STRATEGIES.map((s) => s.id);
const YIELD_COLUMNS = [...STRATEGY_IDS, 'hindsight'];

function buildInput(): ReportInput {
  const spec = testSpec('2020-01-02', '2022-06-30', 3, { split: '2021-01-01' });
  const pricesDir = FIXTURE_PRICES;
  const prepared = prepareBacktest(spec, loadPriceBook(pricesDir).book);
  if (!prepared.ok) throw new Error(JSON.stringify(prepared.issues));
  const runs = simulateSlice(prepared.value, 0, spec.population.count);
  const results = summarize(prepared.value, runs);
  return {
    results,
    accounts: accountRows({ data: prepared.value.ctx.data, strategies: spec.strategies, accounts: runs, profiles: spec.profiles }),
    examples: { deposits: depositsExample(FEDERAL_2025), scenarioTwo: scenarioTwoExample(FEDERAL_2025) },
    run: { pricesDir, config: 'defaults', seconds: 1.5, workers: 1, accountDaysPerSecond: results.accountDays / 1.5, generatedAt: '2025-06-30T12:00:00Z' },
    focusStrategy: 'daily_cost_benefit',
  };
}

/** The CSV files and their header rows, as docs/backtest-outputs.md documents them. */
const CSV_HEADERS: Record<string, string[]> = {
  'cohorts.csv': ['vintage', 'risk', 'accounts', ...YIELD_COLUMNS],
  'averages.csv': ['risk', 'accounts', ...YIELD_COLUMNS],
  'market.csv': ['vintage', 'from', 'volatility', 'max_drawdown'],
  'trailing.csv': ['vintage', 'strategy', 'trailing_1y', 'trailing_3y', 'trailing_5y', 'trailing_10y'],
  'months.csv': ['strategy', 'years', 'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  'fee_ratios.csv': ['strategy', 'accounts', 'median', 'p10', 'p90', 'share_above_one'],
  'value.csv': ['strategy', 'accounts', 'harvested_per_year', 'economic_value', 'economic_value_no_liquidation', 'after_tax_alpha', 'after_tax_alpha_no_liquidation', 'tracking_difference', 'tracking_difference_sd', 'trades'],
  'capture.csv': ['strategy', 'harvested', 'value', 'loss_share', 'value_share', 'accounts_above_bound'],
  'yardsticks.csv': ['threshold', 'accounts_chosen'],
  'vintage_value.csv': ['vintage', 'strategy', 'accounts', 'harvested_per_year', 'economic_value', 'economic_value_no_liquidation', 'after_tax_alpha', 'after_tax_alpha_no_liquidation'],
  'vintage_wins.csv': ['strategy', 'vintages', 'focus_wins', 'focus_loses'],
  'periods.csv': ['period', 'from', 'to', 'strategy', 'annualized_yield', 'harvested', 'loss_share'],
  'wash_sales.csv': ['strategy', 'runs', 'verified', 'disallowed', 'wash_sales', 'mismatches'],
  'calibration.csv': ['asset_class', 'symbol', 'file_volatility', 'volatility', 'from', 'through'],
  'accounts.csv': ['account', 'vintage', 'risk_score', 'profile', 'start', 'strategy', 'deposits', 'final_value', 'harvested_short_term', 'harvested_long_term', 'fees', 'tax_benefit', 'tax_saved', 'liquidation_tax', 'trades', 'decisions', 'wash_sales'],
  'paper_examples.csv': ['example', 'year', 'metric', 'simulator', 'paper'],
};
const CHARTS = ['table5_heatmap', 'yield_by_vintage', 'monthly_shares', 'benefit_over_fee', 'capture', 'value', 'periods'].map((c) => `charts/${c}.svg`);

let input: ReportInput;
let dir: string;
let written: string[];
const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
/** Rows of a CSV this report wrote (no cell of the checked files holds a comma or quote). */
const rowsOf = (name: string): string[][] => read(name).trimEnd().split('\n').map((line) => line.split(','));

beforeAll(async () => {
  input = buildInput();
  dir = join(mkdtempSync(join(tmpdir(), 'lotsmith-report-')), 'out');
  written = await writeBacktestReport(dir, input);
}, 60_000);

afterAll(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

describe('writeBacktestReport', () => {
  it('creates the directory and writes results.json, every CSV, every chart and report.html', () => {
    const expected = ['results.json', ...Object.keys(CSV_HEADERS), ...CHARTS, 'report.html'].map((f) => join(dir, f));
    expect([...written].sort()).toEqual([...expected].sort());
    for (const f of expected) expect(readFileSync(f, 'utf8').length).toBeGreaterThan(0);
  });

  it('writes the documented CSV headers, dates as YYYY-MM-DD and yields as fractions', () => {
    for (const [name, head] of Object.entries(CSV_HEADERS)) expect(rowsOf(name)[0], name).toEqual(head);
    const accounts = rowsOf('accounts.csv').slice(1);
    expect(accounts).toHaveLength(input.accounts.length);
    for (const row of accounts) expect(row[4]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // A yield of 1.2 % is written 0.012, not 1.2.
    for (const row of rowsOf('cohorts.csv').slice(1)) for (const y of row.slice(3)) expect(Math.abs(Number(y))).toBeLessThan(1);
  });

  it('prints the paper\'s own figures (test/fixtures/examples/seed_paper.json) beside the simulator\'s', () => {
    const fixture = JSON.parse(readFileSync('test/fixtures/examples/seed_paper.json', 'utf8')) as { id: string; expected: Record<string, never> }[];
    const expected = (id: string) => (fixture.find((c) => c.id === id) as { expected: Record<string, never> }).expected;
    const dep = expected('SEED-DEP') as Record<'investorA' | 'investorB', { averageAnnualHarvestingYieldPct: number; totalLosses: number; endValueYear10: number; yearly: { beginningBalance: number; harvestedLoss: number }[] }>;
    const s2 = expected('SEED-S2') as Record<string, number>;
    const paper = new Map(rowsOf('paper_examples.csv').slice(1).map(([example, year, metric, , value]) => [`${example} ${year} ${metric}`, Number(value)]));
    for (const [who, id] of [['investorA', 'investor_a'], ['investorB', 'investor_b']] as const) {
      const e = dep[who];
      e.yearly.forEach((y, i) => {
        expect(paper.get(`${id} ${i + 1} beginning_balance`)).toBe(y.beginningBalance);
        expect(paper.get(`${id} ${i + 1} harvested_loss`)).toBe(y.harvestedLoss);
      });
      expect(paper.get(`${id}  average_harvesting_yield`)).toBeCloseTo(e.averageAnnualHarvestingYieldPct / 100, 10);
      expect(paper.get(`${id}  total_losses`)).toBe(e.totalLosses);
      expect(paper.get(`${id}  end_value`)).toBe(e.endValueYear10);
    }
    expect([1, 2, 3, 4, 5].map((y) => paper.get(`scenario_two ${y} harvested_loss`))).toEqual([s2['year1HarvestedLoss'], 0, s2['year3HarvestedLoss'], 0, 0]);
    expect([1, 2, 3, 4, 5].map((y) => paper.get(`scenario_two ${y} end_value`))).toEqual([s2['endYear1Value'], s2['endYear2Value'], s2['endYear3ValueAfterReinvest'], s2['endYear4Value'], s2['endYear5Value']]);
    expect(paper.get('scenario_two  liquidation_tax')).toBe(s2['liquidationTax']);
    expect(paper.get('scenario_two  total_basis_at_liquidation')).toBe(s2['totalBasisAtLiquidation']);
  });

  it('renders every chart to SVG with vega', () => {
    for (const c of CHARTS) expect(read(c).startsWith('<svg'), c).toBe(true);
  });

  it('writes one self-contained report.html: charts inlined, Tables 5 and 6, wash sales verified as 0, no script and no remote resource', () => {
    const html = read('report.html');
    expect(html.match(/<svg/g)?.length).toBe(CHARTS.length);
    expect(html).toContain('Table 5');
    expect(html).toContain('Table 6');
    expect(html).toContain('Market volatility');
    expect(html).toContain('Maximum market drawdown');
    expect(html).toContain('Wash-sale verification');
    expect(html).toMatch(/0 wash sales and 0 mismatches in \d+ verified histories/);
    expect(html).toContain(input.run.pricesDir);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?https?:/i);
  });
});

describe('report.html when something is wrong', () => {
  it('puts a wash-sale mismatch above the table and escapes every interpolated string', async () => {
    const washSales = input.results.metrics.washSales.map((w, i) => (i === 0 ? { ...w, mismatches: ['acct-1: sale <7> basis differs'] } : w));
    const broken: ReportInput = {
      ...input,
      results: { ...input.results, metrics: { ...input.results.metrics, washSales } },
      run: { ...input.run, pricesDir: '/data/<b>prices & co' },
    };
    const other = join(dir, '..', 'broken');
    await writeBacktestReport(other, broken);
    const html = readFileSync(join(other, 'report.html'), 'utf8');
    expect(html).toContain('1 wash sale(s) or mismatch(es) found — expected 0');
    expect(html).toContain('<li>none: acct-1: sale &lt;7&gt; basis differs</li>');
    expect(html).toContain('/data/&lt;b&gt;prices &amp; co');
    expect(html).not.toContain('<b>prices');
  });
});

describe('resultsJson', () => {
  it('holds the metrics with dates as YYYY-MM-DD and the window of the run, but not the per-account rows', () => {
    const doc = JSON.parse(read('results.json')) as Record<string, Record<string, unknown>>;
    expect(doc).toEqual(JSON.parse(JSON.stringify(resultsJson(input))));
    expect(doc['window']).toEqual({ from: '2020-01-02', to: '2022-06-30', tradingDays: input.results.tradingDays, split: '2021-01-01' });
    const metrics = doc['metrics'] as Record<string, unknown[]>;
    for (const key of ['cohorts', 'averages', 'market', 'trailing', 'months', 'feeRatios', 'value', 'capture', 'periods', 'washSales']) expect(metrics[key], key).not.toHaveLength(0);
    expect((metrics['periods'] as { from: unknown }[])[0]?.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(doc).not.toHaveProperty('accountRows');
    // Yields are fractions throughout, the paper examples' included (the core reports those in percent).
    expect(JSON.stringify(doc)).not.toMatch(/Pct"/);
  });
});

describe('backtestSummary', () => {
  it('names every strategy and the paper examples\' headline figures', () => {
    const text = backtestSummary(input);
    for (const id of STRATEGY_IDS) expect(text).toContain(id);
    expect(text).toContain('Investor B');
    expect(text).toContain('0.94 %');
    expect(text).toContain('$2,600');
  });

  it('refuses a focus strategy the run did not simulate', () => {
    expect(() => backtestSummary({ ...input, focusStrategy: 'weekly' })).toThrow(/weekly.*daily_cost_benefit/);
  });
});
