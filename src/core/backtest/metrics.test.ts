/**
 * The paper's measures computed from simulated runs: Harvesting Yield as the mean daily yield
 * x 252 (losses over beginning-of-year balances), risk scores rounded half up, the monthly
 * shares of each year's losses, benefit over fee, and capture of the hindsight bound.
 */
import { describe, expect, it } from 'vitest';
import { dayFromCivil, type Day } from '../kernel/calendar.js';
import { symbol } from '../ledger/household.js';
import { rate, FEDERAL_2025 } from '../harvest/testHousehold.test-util.js';
import { NO_CARRYOVER } from '../tax/capitalLoss.js';
import type { Usd } from '../kernel/exact.js';
import { calendarFields, type MarketData } from './marketData.js';
import { computeMetrics, riskRow, type MetricsInput } from './metrics.js';
import type { AccountRun, HarvestEvent, StrategyRun, YearResult } from './simulation.js';
import type { AccountSpec } from './accounts.js';

// Two calendar years of four trading days each (the arithmetic, not the market, is under test).
const days = Int32Array.from([dayFromCivil(2021, 1, 4), dayFromCivil(2021, 4, 1), dayFromCivil(2021, 7, 1), dayFromCivil(2021, 12, 30), dayFromCivil(2022, 1, 3), dayFromCivil(2022, 4, 1), dayFromCivil(2022, 7, 1), dayFromCivil(2022, 12, 30)]);
const flat = new Float64Array(8).fill(100);
const data: MarketData = { days, symbols: [symbol('VTI')], symbolIndex: new Map([[symbol('VTI'), 0]]), close: [flat], dividend: [new Float64Array(8)], adjClose: [flat] };

function year(y: number, first: number, last: number, balance: number, harvested: number, fees: number): YearResult {
  return { year: y, first, last, beginningBalance: balance, averageBalance: balance, endValue: balance, harvestedShort: harvested, harvestedLong: 0, realizedShort: -harvested, realizedLong: 0, lossesShort: harvested, lossesLong: 0, deposits: first === 0 ? balance * 100 : 0, dividends: 0, fees, tax: 0, carryoverOut: NO_CARRYOVER };
}

function run(strategy: string, harvests: HarvestEvent[], balance: number, fees: number): StrategyRun {
  const byYear = (y: number) => harvests.filter((h) => (y === 2021 ? h.t < 4 : h.t >= 4)).reduce((s, h) => s + h.short, 0);
  return { strategy, years: [year(2021, 0, 3, balance, byYear(2021), fees), year(2022, 4, 7, balance, byYear(2022), fees)], harvests, finalValue: balance, unrealizedShort: 0, unrealizedLong: 0, liquidationTax: 0, logReturn: 0, days: 300, trades: 0, decisions: 0 };
}

const spec = (id: string, riskScore: number): AccountSpec => ({ id, start: 0, vintage: 2021, riskScore, initialDeposit: 10_000_000 as Usd, monthlyDeposit: 0 as Usd, yearlyDeposit: 0 as Usd, profile: 0 });

function input(accounts: AccountRun[]): MetricsInput {
  return {
    data,
    calendar: calendarFields(data),
    strategies: [
      { id: 'none', label: 'none', trigger: { kind: 'off' }, schedule: 'never' },
      { id: 'daily', label: 'daily', trigger: { kind: 'cost_benefit' }, schedule: 'daily' },
    ],
    accounts,
    profiles: [{ id: 'p', label: 'p', tax: { table: FEDERAL_2025, profile: { filingStatus: 'single', income: { kind: 'taxable', ordinaryTaxableIncome: 10_000_000 as Usd } }, rates: { ordinary: rate('0.4'), shortTerm: rate('0.4'), longTerm: rate('0.2') } } }],
    discountRate: 0.08,
    split: dayFromCivil(2022, 1, 1) as Day,
    benchmark: symbol('VTI'),
    focusRisk: 8,
    end: 7,
  };
}

describe('backtest metrics', () => {
  // Two accounts of $100,000 each; one harvests $1,000 on day 1 and $500 on day 5.
  const harvests: HarvestEvent[] = [
    { t: 1, short: 100_000, long: 0 },
    { t: 5, short: 50_000, long: 0 },
  ];
  const accounts: AccountRun[] = [
    { spec: spec('a', 7.6), runs: [run('none', [], 100_000, 25_000), run('daily', harvests, 100_000, 25_000)], tuning: [], hindsight: { harvests: [{ t: 2, short: 300_000, long: 0 }], windowLosses: [300_000, 0], discountedLoss: 300_000, purchases: 10_000_000 } },
    { spec: spec('b', 8.4), runs: [run('none', [], 100_000, 25_000), run('daily', [], 100_000, 25_000)], tuning: [], hindsight: { harvests: [], windowLosses: [0, 0], discountedLoss: 0, purchases: 10_000_000 } },
  ];
  const m = computeMetrics(input(accounts));

  it('rounds risk scores half up, as the paper does (7.5-8.4 is "8")', () => {
    expect([riskRow(7.5), riskRow(8.4), riskRow(8.5), riskRow(0.5)]).toEqual([8, 8, 9, 1]);
    expect(m.cohorts.map((c) => [c.vintage, c.risk, c.accounts])).toEqual([[2021, 8, 2]]);
  });

  it('Harvesting Yield: each day the cohort\'s losses over its beginning balances; the mean x 252', () => {
    // Days 1 and 5 yield 1,000/200,000 and 500/200,000; 8 days in all.
    expect(m.cohorts[0]?.yields['daily']).toBeCloseTo(((0.005 + 0.0025) / 8) * 252, 12);
    expect(m.cohorts[0]?.yields['none']).toBe(0);
    expect(m.cohorts[0]?.yields['hindsight']).toBeCloseTo((0.015 / 8) * 252, 12);
  });

  it('the share of each complete year\'s losses by month, averaged over years', () => {
    const daily = m.months.find((x) => x.strategy === 'daily');
    expect(daily?.years).toBe(2);
    expect(daily?.shares[3]).toBeCloseTo(1, 12); // April of both years: (1 + 1) / 2
  });

  it('benefit over fee: short-term losses at the short-term rate over the fees paid', () => {
    const f = m.feeRatios.find((x) => x.strategy === 'daily');
    // Account a: 1,500 x 40 % / 500 of fees = 1.2; account b: 0.
    expect([f?.median, f?.shareAboveOne, f?.accounts]).toEqual([0.6, 0.5, 2]);
  });

  it('capture: harvested losses as a share of the hindsight bound, and the bound per period', () => {
    expect(m.capture.find((c) => c.strategy === 'daily')?.lossShare).toBeCloseTo(1_500 / 3_000, 12);
    const calibration = m.periods.find((p) => p.period === 'calibration' && p.strategy === 'daily');
    expect(calibration?.lossShare).toBeCloseTo(1_000 / 3_000, 12);
  });
});
