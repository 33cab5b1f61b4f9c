/**
 * The seed paper's two worked illustrations, run through the backtest simulator itself — the
 * brokerage, the daily policy, the tax settlement and the ledger check — on the paper's stylized
 * price paths instead of history.
 *
 * Deposits (Investor A / B, "Economic Value"): a portfolio returning 8 % a year whose every
 * purchase is 5 % under water once, in its first year. Path, each year y with opening price P:
 * P for the first 63 trading days, 0.95 P for the next 63, then a steady rise to 1.08 P on the
 * year's last day (next year opens there). The rule harvests any loss of at least 4 % (fixed
 * threshold), spreads and fees are zero. A deposits $10,000 once; B adds $2,500 at the start of
 * each later year. Harvesting Yield per year = harvested loss / beginning balance (deposit
 * included). Paper: 0.50 % and 0.94 % on average over 10 years.
 *
 * Scenario 2 ("Tax-Loss Harvesting is a Tax-Deferral and Tax Rate Arbitrage Strategy"):
 * $100,000 of ETF A falls 10 % a few months in (harvested into ETF B), recovers to $100,000 by
 * year end; the $4,000 saved at 40 % is reinvested; +1.923 % in year 2, -11.7 % in year 3 (the
 * reinvested tranche is harvested for $400, $160 reinvested), flat, then to $104,160; liquidated
 * at the 25 % long-term rate: $2,600. The household has $20,000 of other short-term gains a year so
 * every loss is used at 40 %, as the paper assumes; the rule harvests losses of 9.5 % or more.
 */
import { dayFromCivil, type Day } from '../kernel/calendar.js';
import type { Usd } from '../kernel/exact.js';
import { DEFAULT_CONFIG, type HarvestConfig } from '../harvest/config.js';
import { StoppingTables } from '../harvest/stopping/opportunityCost.js';
import { symbol, type Symbol } from '../ledger/household.js';
import type { PriceBook, PriceSeries } from '../market/prices.js';
import type { RateSet } from '../tax/marginalRates.js';
import type { FederalTaxTable } from '../tax/taxTables.js';
import type { Universe } from '../securities/universe.js';
import type { AccountSpec } from './accounts.js';
import { calendarFields, marketData } from './marketData.js';
import { simulateAccount, type StrategyRun, type YearResult } from './simulation.js';
import type { Strategy } from './strategies.js';

const A = symbol('ETFA');
const B = symbol('ETFB');
const C = symbol('ETFC');

/** One asset class of three funds on three different (stylized) indexes. */
const UNIVERSE: Universe = {
  classes: [
    {
      id: 'stylized',
      name: 'The paper\'s stylized portfolio',
      kind: 'stocks',
      expectedReturn: { value: 0.08, source: 'the paper\'s 8 % a year' },
      volatility: { value: 0.15, source: 'illustrative' },
      securities: [A, B, C].map((s, i) => ({
        symbol: s,
        name: `ETF ${'ABC'[i]}`,
        issuer: 'stylized',
        index: `Index ${'ABC'[i]}`,
        formerIndexes: [],
        expenseRatioBps: 0,
        expenseRatioSource: 'stylized',
        halfSpreadBps: 0,
        priceData: false,
      })),
      correlations: [],
    },
  ],
  riskScores: [
    { riskScore: 0.5, weights: new Map([['stylized', 1]]) },
    { riskScore: 10, weights: new Map([['stylized', 1]]) },
  ],
  statisticsThrough: dayFromCivil(2014, 12, 31),
};

/** Weekdays of the given years: the stylized calendar. */
function weekdays(firstYear: number, years: number): Day[] {
  const out: Day[] = [];
  for (let d = dayFromCivil(firstYear, 1, 1); d < dayFromCivil(firstYear + years, 1, 1); d++) {
    const weekday = (((d + 4) % 7) + 7) % 7;
    if (weekday !== 0 && weekday !== 6) out.push(d as Day);
  }
  return out;
}

function bookOf(days: readonly Day[], closes: readonly number[]): PriceBook {
  const series = new Map<Symbol, PriceSeries>();
  for (const s of [A, B, C]) {
    const close = Float64Array.from(closes, (c) => Math.round(c * 1e6) / 1e6);
    series.set(s, { symbol: s, days: Int32Array.from(days), close, dividend: new Float64Array(days.length), adjClose: close, split: new Float64Array(days.length).fill(1), source: 'full' });
  }
  return { series, ambiguous: new Map() };
}

/** Closes of a path given per year as a function of (trading day in year, days in year, opening price). */
function path(days: readonly Day[], years: number, firstYear: number, year: (k: number, n: number, open: number, y: number) => number, yearEnd: (open: number, y: number) => number): number[] {
  const out: number[] = [];
  let open = 100;
  for (let y = 0; y < years; y++) {
    const inYear = days.filter((d) => d >= dayFromCivil(firstYear + y, 1, 1) && d < dayFromCivil(firstYear + y + 1, 1, 1));
    inYear.forEach((_, k) => out.push(year(k, inYear.length, open, y)));
    open = yearEnd(open, y);
  }
  return out;
}

export interface PaperYear {
  readonly year: number;
  readonly beginningBalance: number;
  readonly harvestedLoss: number;
  readonly harvestingYieldPct: number;
  readonly endValue: number;
  readonly taxSaved: number;
}

export interface SimulatedInvestor {
  readonly yearly: readonly PaperYear[];
  readonly averageAnnualHarvestingYieldPct: number;
  readonly totalLosses: number;
  readonly endValue: number;
  readonly washSales: number;
}

export interface DepositsExample {
  readonly investorA: SimulatedInvestor;
  readonly investorB: SimulatedInvestor;
}

export interface ScenarioTwoExample {
  readonly yearly: readonly PaperYear[];
  readonly totalBasisAtLiquidation: number;
  readonly longTermGainAtLiquidation: number;
  readonly liquidationTax: number;
  readonly afterTaxLiquidationValue: number;
  readonly washSales: number;
}

const FIRST_YEAR = 2015;
const FLAT: RateSet = { ordinary: 400_000 as RateSet['ordinary'], shortTerm: 400_000 as RateSet['shortTerm'], longTerm: 250_000 as RateSet['longTerm'] };
const NO_SPREAD: HarvestConfig = { ...DEFAULT_CONFIG, halfSpreadBps: new Map([A, B, C].map((s) => [s, 0])) };

function run(table: FederalTaxTable, closes: (days: readonly Day[]) => number[], years: number, threshold: number, account: Omit<AccountSpec, 'id' | 'start' | 'vintage' | 'riskScore' | 'profile'>, taxFlows: 'external' | 'reinvest'): StrategyRun {
  const days = weekdays(FIRST_YEAR, years);
  const data = marketData(bookOf(days, closes(days)), [A, B, C]);
  const strategy: Strategy = { id: 'paper', label: 'the paper\'s rule', trigger: { kind: 'loss_at_least', fraction: threshold }, schedule: 'daily' };
  const profile = { filingStatus: 'single' as const, income: { kind: 'taxable' as const, ordinaryTaxableIncome: 20_000_000 as Usd }, realized: { shortTerm: 2_000_000 as Usd, longTerm: 0 as Usd } };
  const run = simulateAccount(
    {
      data,
      calendar: calendarFields(data),
      universe: UNIVERSE,
      strategies: [strategy],
      config: NO_SPREAD,
      tables: new StoppingTables(),
      profiles: [{ id: 'paper', label: '40 % / 25 %', tax: { table, profile, rates: FLAT } }],
      feeRate: 0,
      taxFlows,
      end: data.days.length - 1,
      verify: true,
      discountRate: 0.08,
      windows: [],
    tuningThresholds: [],
    },
    { id: 'paper', start: 0, vintage: FIRST_YEAR, riskScore: 8, profile: 0, ...account },
  );
  return run.runs[0] as StrategyRun;
}

/** Cents to dollars, with no negative zero. */
const dollars = (cents: number): number => Math.round(cents) / 100 || 0;
const round2 = (v: number): number => Math.round(v * 100) / 100;

function paperYears(r: StrategyRun): PaperYear[] {
  return r.years.map((y: YearResult, i) => {
    const loss = (y.harvestedShort + y.harvestedLong) / 100;
    return {
      year: i + 1,
      beginningBalance: round2(y.beginningBalance),
      harvestedLoss: round2(loss),
      harvestingYieldPct: y.beginningBalance > 0 ? (loss / y.beginningBalance) * 100 : 0,
      endValue: round2(y.endValue),
      taxSaved: dollars(-y.tax),
    };
  });
}

const washes = (r: StrategyRun): number => (r.verification?.washSales ?? 0) + (r.verification?.mismatches.length ?? 0);

/** Investor A and B of the deposits illustration, simulated. */
export function depositsExample(table: FederalTaxTable): DepositsExample {
  const closes = (days: readonly Day[]): number[] =>
    path(
      days,
      10,
      FIRST_YEAR,
      (k, n, open) => (k < 63 ? open : k < 126 ? 0.95 * open : 0.95 * open * Math.pow(1.08 / 0.95, (k - 125) / (n - 126))),
      (open) => 1.08 * open,
    );
  const investor = (yearly: number): SimulatedInvestor => {
    const r = run(table, closes, 10, 0.04, { initialDeposit: 1_000_000 as Usd, monthlyDeposit: 0 as Usd, yearlyDeposit: yearly as Usd }, 'external');
    const years = paperYears(r);
    return {
      yearly: years,
      averageAnnualHarvestingYieldPct: years.reduce((s, y) => s + y.harvestingYieldPct, 0) / years.length,
      totalLosses: round2(years.reduce((s, y) => s + y.harvestedLoss, 0)),
      endValue: round2(r.finalValue),
      washSales: washes(r),
    };
  };
  return { investorA: investor(0), investorB: investor(250_000) };
}

/** Scenario 2, simulated. */
export function scenarioTwoExample(table: FederalTaxTable): ScenarioTwoExample {
  // Year ends of the paper's table: 100,000 -> 106,000/104,000 -> 93,600/106,000 -> flat -> 104,160/93,760.
  const growth = [1, 106 / 104, 93.6 / 106, 1, 104.16 / 93.76];
  const closes = (days: readonly Day[]): number[] =>
    path(
      days,
      5,
      FIRST_YEAR,
      (k, n, open, y) => {
        if (y === 0) return k < 63 ? 100 : 90 * Math.pow(100 / 90, (k - 63) / (n - 1 - 63));
        if (y === 2) return k < n - 1 ? open : open * (growth[2] as number);
        return open * Math.pow(growth[y] as number, k / (n - 1));
      },
      (open, y) => (y === 0 ? 100 : open * (growth[y] as number)),
    );
  const r = run(table, closes, 5, 0.095, { initialDeposit: 10_000_000 as Usd, monthlyDeposit: 0 as Usd, yearlyDeposit: 0 as Usd }, 'reinvest');
  const basis = r.finalValue - (r.unrealizedShort + r.unrealizedLong) / 100;
  return {
    yearly: paperYears(r),
    totalBasisAtLiquidation: round2(basis),
    longTermGainAtLiquidation: dollars(r.unrealizedLong),
    liquidationTax: dollars(r.liquidationTax),
    afterTaxLiquidationValue: round2(r.finalValue - r.liquidationTax / 100),
    washSales: washes(r),
  };
}
