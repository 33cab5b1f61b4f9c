/**
 * `lotsmith tax`, `carryover`, `value`, `yield` and `rates`: the tax model on the command line.
 * Each reads one JSON document (field names of test/fixtures/examples/README.md), loads the
 * year's tables from data/tax/, calls the core and prints JSON or a table. Bad input is reported
 * as issues (exit 1); nothing is printed to stdout then.
 */
import type { Command } from 'commander';
import { issue, type Issue, type Result } from '../../core/kernel/errors.js';
import type { Usd } from '../../core/kernel/exact.js';
import { capitalLossChain, capitalLossYear, type CapitalLossYear, type Carryover } from '../../core/tax/capitalLoss.js';
import { allocateHarvestedLoss, economicValue, type EconomicValue, type Offsets } from '../../core/tax/economicValue.js';
import { federalTax, type FederalTax } from '../../core/tax/federalTax.js';
import { annualHarvestingYield, cohortAnnualizedYield, depositPlanYield } from '../../core/tax/harvestingYield.js';
import { DEFAULT_LOSS_VALUE_PARAMS, lossContext, lossValue, marginalLossValue, type LossValue } from '../../core/tax/lossValue.js';
import { marginalRates, type MarginalRates } from '../../core/tax/marginalRates.js';
import { resolveIncome } from '../../core/tax/profile.js';
import { rateToNumber, type Rate } from '../../core/tax/rate.js';
import { dispositionValues } from '../../core/tax/scenarios.js';
import { tableStatus, type FederalTaxTable } from '../../core/tax/taxTables.js';
import { MAX_AMOUNT_DOLLARS } from '../files/taxFields.js';
import {
  decodeCarryoverDocument,
  decodeProfileDocument,
  decodeTaxDocument,
  decodeValueDocument,
  loadFederalTable,
  loadStateTable,
  readJsonFile,
  type CarryoverDocument,
  type ProfileDocument,
  type TaxDocument,
  type ValueDocument,
} from '../files/taxInput.js';
import { decodeYieldDocument, type YieldDocument } from '../files/yieldInput.js';
import { json, money, table } from '../render/text.js';
import { reportIssues } from './caseCommands.js';
import type { CliIo } from './io.js';
import { formatOption } from './options.js';

type Json = Record<string, unknown>;
type Format = 'json' | 'table';

const FORMATS = ['json', 'table'] as const;
const rateJson = (r: Rate): number => rateToNumber(r);
const moneyRecord = <K extends string>(o: Readonly<Record<K, number>>): Record<K, number> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, money(v as number)])) as Record<K, number>;

/** Reads and decodes the --input document, then runs the command; issues exit 1. */
function run<D>(io: CliIo, setExit: (code: number) => void, file: string, format: Format, decodeFn: (doc: unknown, file: string) => Result<D>, compute: (d: D) => Result<Json>, render: (j: Json) => string): void {
  const doc = readJsonFile(file);
  const decoded = doc.ok ? decodeFn(doc.value, file) : doc;
  if (!decoded.ok) return setExit(reportIssues(io, decoded.issues));
  const out = compute(decoded.value);
  if (!out.ok) return setExit(reportIssues(io, out.issues.map((i) => withFile(i, file))));
  io.out(format === 'json' ? json(out.value) : render(out.value));
}

const withFile = (i: Issue, file: string): Issue => (i.at.file === undefined ? { ...i, at: { ...i.at, file } } : i);

/** A two-column table of the scalar fields of a result. */
function fieldsTable(title: string, j: Json): string {
  const rows = Object.entries(j)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')
    .map(([k, v]) => [k, String(v)]);
  return `${title}\n${table(['field', 'value'], rows, 1)}\n`;
}

/** The result's notes, one a line, under its tables. */
const notesLines = (j: Json): string => ((j['notes'] as string[] | undefined) ?? []).map((n) => `note: ${n}\n`).join('');

function withTable(j: Json, key: string, title: string): string {
  const v = j[key];
  if (typeof v !== 'object' || v === null) return '';
  return fieldsTable(title, v as Json);
}

// ---- tax ---------------------------------------------------------------------------------------

function taxJson(d: TaxDocument, table: FederalTaxTable): Json {
  const income = resolveIncome(table, d.filingStatus, d.income);
  const taxableIncome = Math.max(0, income.ordinarySigned + d.preferentialIncome) as Usd;
  const t: FederalTax = federalTax(table, {
    filingStatus: d.filingStatus,
    taxableIncome,
    preferentialIncome: d.preferentialIncome,
    ...(d.magi !== undefined ? { magi: d.magi } : {}),
    ...(d.netInvestmentIncome !== undefined ? { netInvestmentIncome: d.netInvestmentIncome } : {}),
  });
  const rates = marginalRates(table, undefined, {
    filingStatus: d.filingStatus,
    income: d.income,
    preferentialIncome: d.preferentialIncome,
    ...(d.magi !== undefined ? { magi: d.magi } : {}),
    ...(d.netInvestmentIncome !== undefined ? { netInvestmentIncome: d.netInvestmentIncome } : {}),
  });
  return {
    taxYear: table.taxYear,
    filingStatus: d.filingStatus,
    ...(d.income.kind === 'gross' ? { grossOrdinaryIncome: money(d.income.grossOrdinaryIncome), deduction: money(income.deduction ?? 0) } : {}),
    standardDeduction: money(income.standardDeduction),
    taxableIncome: money(t.taxableIncome),
    ordinaryIncome: money(t.ordinaryIncome),
    preferentialIncome: money(t.preferentialIncome),
    ordinaryTax: money(t.ordinaryTax),
    preferentialTax: money(t.preferentialTax),
    regularTax: money(t.regularTax),
    niit: money(t.niit),
    niitComputed: d.magi !== undefined,
    totalTax: money(t.totalTax),
    ...(rates.ok ? { marginalRates: { ordinary: rateJson(rates.value.federal.ordinary), longTerm: rateJson(rates.value.federal.longTerm), niit: rateJson(rates.value.federal.niitOnGains) } } : {}),
    qualifiedDividendsAndCapitalGainTaxWorksheet: moneyRecord(t.worksheet),
    ...(taxNotes(d).length > 0 ? { notes: taxNotes(d) } : {}),
  };
}

function taxNotes(d: TaxDocument): string[] {
  return [
    ...(d.noIncome ? ['no income given: the regular tax is computed on a taxable income of 0 (the NIIT from magi and netInvestmentIncome)'] : []),
    ...(d.magi === undefined && d.netInvestmentIncome !== undefined ? ['netInvestmentIncome given without magi: the NIIT is computed only from a given magi'] : []),
  ];
}

// ---- carryover ---------------------------------------------------------------------------------

const carryJson = (c: Carryover): Json => ({ shortTerm: money(c.shortTerm), longTerm: money(c.longTerm) });

function yearJson(y: CapitalLossYear): Json {
  return {
    carryoverIn: carryJson(y.carryoverIn),
    scheduleD: moneyRecord(y.scheduleD),
    capitalLossDeduction: money(y.capitalLossDeduction),
    capitalLossDeductionAbsorbed: money(y.capitalLossDeductionAbsorbed),
    netCapitalGainAtPreferentialRates: money(y.netCapitalGainAtPreferentialRates),
    netGainAtOrdinaryRates: money(y.netGainAtOrdinaryRates),
    carryoverToNextYear: carryJson(y.carryoverToNextYear),
    carryoverWorksheet: moneyRecord(y.carryoverWorksheet),
  };
}

function carryoverJson(d: CarryoverDocument, table: FederalTaxTable): Json {
  const inputs = d.years.map((y) => ({
    shortTermNet: y.shortTermNet,
    longTermNet: y.longTermNet,
    taxableIncome: y.taxableIncome,
    limit: table.capitalLossLimit[tableStatus(y.filingStatus)],
  }));
  const notes = d.years.flatMap((y, i) => (y.taxableIncomeGiven ? [] : [`${d.chain ? `years[${i}]: ` : ''}form1040Line15TaxableIncome not given: taken as 0, so the deduction counts in full`]));
  if (!d.chain) {
    const [y] = d.years;
    const one = capitalLossYear({ ...(inputs[0] as (typeof inputs)[number]), carryoverIn: d.carryoverIn });
    return { filingStatus: y?.filingStatus, ...yearJson(one), ...(notes.length > 0 ? { notes } : {}) };
  }
  const results = capitalLossChain(inputs, d.carryoverIn);
  const last = results[results.length - 1] as CapitalLossYear;
  return {
    years: results.map((r, i) => ({
      year: i + 1,
      ...(d.years[i]?.taxYear !== undefined ? { taxYear: d.years[i]?.taxYear } : {}),
      filingStatus: d.years[i]?.filingStatus,
      ...yearJson(r),
    })),
    carryoverToNextYear: carryJson(last.carryoverToNextYear),
    ...(notes.length > 0 ? { notes } : {}),
  };
}

function carryoverTable(j: Json): string {
  const years = (j['years'] as Json[] | undefined) ?? [j];
  return years
    .map((y) => {
      const w = y['carryoverWorksheet'] as Record<string, number>;
      const s = y['scheduleD'] as Record<string, number>;
      const c = y['carryoverToNextYear'] as Record<string, number>;
      const head = y['year'] !== undefined ? `Year ${String(y['year'])}\n` : '';
      return (
        head +
        table(['Schedule D', 'amount'], Object.entries(s).map(([k, v]) => [k, v.toFixed(2)]), 1) +
        '\n' +
        table(['line', 'Capital Loss Carryover Worksheet'], Object.entries(w).map(([k, v]) => [k, v.toFixed(2)]), 1) +
        `\ncapital loss deduction ${(y['capitalLossDeduction'] as number).toFixed(2)}; carryover to next year: short-term ${c['shortTerm']?.toFixed(2)}, long-term ${c['longTerm']?.toFixed(2)}\n`
      );
    })
    .join('\n');
}

// ---- value -------------------------------------------------------------------------------------

function valueJson(d: ValueDocument, table: FederalTaxTable): Json {
  const allocated = d.offsets
    ? { offsets: d.offsets, carriedForward: (d.harvestedLoss - (d.offsets.shortTermGains + d.offsets.longTermGains + d.offsets.ordinaryIncome)) as Usd }
    : allocateHarvestedLoss(d.harvestedLoss, d.realizedGains, table.capitalLossLimit[tableStatus(d.filingStatus)], d.harvestedTerm);
  const v: EconomicValue = economicValue({
    portfolioValue: d.portfolioValue,
    harvestedLoss: d.harvestedLoss,
    offsets: allocated.offsets,
    rates: d.rates,
    discountRate: d.discountRate,
    yearsToLiquidation: d.yearsToLiquidation,
  });
  const scenarios = dispositionValues(v, d.portfolioValue);
  return {
    portfolioValue: money(d.portfolioValue),
    harvestedLoss: money(d.harvestedLoss),
    harvestingYieldPct: (d.harvestedLoss / d.portfolioValue) * 100,
    offsetsAllocated: d.offsets === undefined,
    offsets: moneyRecord(allocated.offsets as Offsets),
    amountOffset: money(v.amountOffset),
    carriedForward: money(v.carriedForward),
    taxSavings: money(v.taxSavings),
    undiscountedFutureLiability: money(v.undiscountedFutureLiability),
    discountFactor: Number(v.discountFactor.toFixed(6)),
    pvLiability: money(v.pvLiability),
    netBenefit: money(v.netBenefit),
    netBenefitPctOfPortfolio: v.netBenefitPctOfPortfolio,
    netBenefitPctOfPortfolioUnrounded: v.netBenefitPctOfPortfolioUnrounded,
    scenarios: Object.fromEntries(
      Object.entries(scenarios).map(([k, s]) => [k, { pvLiability: money(s.pvLiability), netBenefit: money(s.netBenefit), netBenefitPctOfPortfolio: s.netBenefitPctOfPortfolio }]),
    ),
  };
}

function valueTable(j: Json): string {
  const scenarios = Object.entries(j['scenarios'] as Record<string, Json>).map(([k, s]) => [k, String(s['pvLiability']), String(s['netBenefit']), `${String(s['netBenefitPctOfPortfolio'])}%`]);
  return fieldsTable('Economic value of the harvested loss', j) + withTable(j, 'offsets', 'Offsets') + table(['disposition', 'PV liability', 'net benefit', '% of portfolio'], scenarios, 1) + '\n';
}

// ---- yield -------------------------------------------------------------------------------------

/** The deposits illustration compounds in floats: past the amount bound its cents would be noise. */
function depositPlanJson(d: Extract<YieldDocument, { kind: 'deposits' }>): Result<Json> {
  const p = depositPlanYield(d.plan);
  const over = p.yearly.find((y) => y.beginningBalance > MAX_AMOUNT_DOLLARS) ?? (p.endValue > MAX_AMOUNT_DOLLARS ? { year: d.plan.years } : undefined);
  if (over) {
    const limit = MAX_AMOUNT_DOLLARS.toLocaleString('en-US');
    return { ok: false, issues: [issue('BAD_VALUE', `the balance grows past ${limit} by year ${over.year}: lower annualReturn, the deposits or years`, { field: 'depositPlan' })] };
  }
  return {
    ok: true,
    value: {
      yearly: p.yearly.map((y) => ({ ...y, harvestingYieldPct: Number(y.harvestingYieldPct.toFixed(6)) })),
      averageAnnualHarvestingYieldPct: Number(p.averageAnnualHarvestingYieldPct.toFixed(2)),
      averageAnnualHarvestingYieldPctUnrounded: p.averageAnnualHarvestingYieldPct,
      totalLosses: p.totalLosses,
      endValue: p.endValue,
    },
  };
}

function yieldJson(d: YieldDocument): Result<Json> {
  if (d.kind === 'deposits') return depositPlanJson(d);
  if (d.kind === 'cohort') {
    const y = cohortAnnualizedYield(d.days, d.tradingDays);
    return { ok: true, value: { days: d.days.length, tradingDays: d.tradingDays, annualizedHarvestingYield: y, annualizedHarvestingYieldPct: y * 100 } };
  }
  const y = annualHarvestingYield(d.days, d.beginningBalance);
  return { ok: true, value: { beginningBalance: money(d.beginningBalance), days: d.days.length, harvestingYield: y, harvestingYieldPct: y * 100 } };
}

function yieldTable(j: Json): string {
  const yearly = j['yearly'] as Json[] | undefined;
  const years = yearly
    ? table(['year', 'beginning balance', 'harvested loss', 'yield %'], yearly.map((y) => [String(y['year']), String(y['beginningBalance']), String(y['harvestedLoss']), (y['harvestingYieldPct'] as number).toFixed(2)]), 1) + '\n'
    : '';
  return years + fieldsTable('Harvesting Yield', j);
}

// ---- rates -------------------------------------------------------------------------------------

function ratesJson(d: ProfileDocument, r: MarginalRates, value?: { candidate: LossValue; perDollar: { shortTerm: number; longTerm: number } }): Json {
  const p = r.position;
  return {
    taxYear: d.taxYear,
    filingStatus: d.profile.filingStatus,
    ordinary: rateJson(r.ordinary),
    shortTerm: rateJson(r.shortTerm),
    longTerm: rateJson(r.longTerm),
    federal: Object.fromEntries(Object.entries(r.federal).map(([k, v]) => [k, rateJson(v)])),
    state: stateJson(d, r),
    stateDeductible: d.stateDeductible,
    position: {
      taxableIncome: money(p.taxableIncome),
      preferentialIncome: money(p.preferentialIncome),
      magi: money(p.magi),
      netInvestmentIncome: money(p.netInvestmentIncome),
      capitalLossDeduction: money(p.capital.capitalLossDeduction),
      carryoverToNextYear: carryJson(p.capital.carryoverToNextYear),
    },
    ...(value
      ? {
          candidate: {
            loss: money(value.candidate.loss),
            term: value.candidate.term,
            offsets: moneyRecord(value.candidate.offsets),
            immediateSaving: money(value.candidate.immediateSaving),
            carriedForward: carryJson(value.candidate.carriedForward),
            carryforwardValue: money(value.candidate.carryforwardValue),
            total: money(value.candidate.total),
          },
          marginalLossValuePerDollar: value.perDollar,
        }
      : {}),
  };
}

function stateJson(d: ProfileDocument, r: MarginalRates): Json {
  const s = r.state;
  const base = s.taxableIncome === undefined ? {} : { taxableIncome: money(s.taxableIncome), taxableIncomeFrom: d.profile.stateTaxableIncome !== undefined ? 'stateTaxableIncome' : 'federal_taxable_income' };
  const bracket = s.bracket ? { bracket: { over: money(s.bracket.over), upTo: s.bracket.upTo === undefined ? null : money(s.bracket.upTo), rate: rateJson(s.bracket.rate) } } : {};
  return {
    code: s.code ?? null,
    ordinary: rateJson(s.ordinary),
    shortTerm: rateJson(s.shortTerm),
    longTerm: rateJson(s.longTerm),
    basis: s.basis,
    approximate: s.approximate,
    ...base,
    ...bracket,
    notes: s.notes,
  };
}

function ratesCompute(d: ProfileDocument): Result<Json> {
  const federal = loadFederalTable(d.taxYear);
  if (!federal.ok) return federal;
  const states = d.profile.state === undefined ? undefined : loadStateTable(d.taxYear);
  if (states && !states.ok) return states;
  const r = marginalRates(federal.value, states?.value, d.profile, { stateDeductible: d.stateDeductible });
  if (!r.ok) return r;
  if (!d.candidate) return { ok: true, value: ratesJson(d, r.value) };
  const ctx = lossContext(federal.value, d.profile, r.value, {
    discountRate: d.discountRate ?? DEFAULT_LOSS_VALUE_PARAMS.discountRate,
    yearsUntilUsed: d.yearsUntilUsed ?? DEFAULT_LOSS_VALUE_PARAMS.yearsUntilUsed,
  });
  return { ok: true, value: ratesJson(d, r.value, { candidate: lossValue(ctx, d.candidate.loss, d.candidate.term), perDollar: marginalLossValue(ctx) }) };
}

/** The state's bracket and notes under its table: which part of the schedule the rate comes from. */
function stateLines(state: Json | undefined): string {
  if (!state) return '';
  const b = state['bracket'] as Record<string, number | null> | undefined;
  const pct = (r: number): string => `${Number((r * 100).toFixed(4))} %`;
  const bracket = b ? [`bracket: ${pct(b['rate'] as number)} on state taxable income over ${String(b['over'])}${b['upTo'] === null ? '' : ` up to ${String(b['upTo'])}`}`] : [];
  return [...bracket, ...((state['notes'] as string[] | undefined) ?? [])].map((l) => `${l}\n`).join('');
}

const ratesTable = (j: Json): string =>
  fieldsTable('Marginal rates', j) + withTable(j, 'federal', 'Federal') + withTable(j, 'state', 'State') + stateLines(j['state'] as Json | undefined) + withTable(j, 'candidate', 'Candidate loss');

// ---- registration ------------------------------------------------------------------------------

const withFederalTable =
  <D extends { taxYear: number }>(f: (d: D, t: FederalTaxTable) => Json) =>
  (d: D): Result<Json> => {
    const t = loadFederalTable(d.taxYear);
    return t.ok ? { ok: true, value: f(d, t.value) } : t;
  };

interface Opts {
  input: string;
  format: string;
}

export function registerTaxCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = (name: string, description: string, inputHelp: string, action: (o: Opts, format: Format) => void): void => {
    program
      .command(name)
      .description(description)
      .requiredOption('-i, --input <file>', inputHelp)
      .option('-f, --format <format>', 'table | json', 'table')
      .action((o: Opts) => action(o, formatOption(o.format, FORMATS, 'table')));
  };

  command('tax', 'federal income tax: ordinary brackets, 0/15/20 % on stacked gains, NIIT', 'JSON {filingStatus, ordinaryTaxableIncome | grossOrdinaryIncome (+deduction), preferentialIncome, magi, netInvestmentIncome}', (o, f) =>
    run(io, setExit, o.input, f, decodeTaxDocument, withFederalTable(taxJson), (j) => fieldsTable('Federal income tax', j) + withTable(j, 'qualifiedDividendsAndCapitalGainTaxWorksheet', 'Qualified Dividends and Capital Gain Tax Worksheet') + notesLines(j)),
  );

  command('carryover', 'Schedule D netting, capital loss deduction and carryover (one year or a chain of years)', 'JSON {filingStatus, shortTermItems, longTermItems, carryoverIn, form1040Line15TaxableIncome} or {years: [...]}', (o, f) =>
    run(io, setExit, o.input, f, decodeCarryoverDocument, withFederalTable(carryoverJson), (j) => carryoverTable(j) + notesLines(j)),
  );

  command('value', 'economic value of harvested losses: tax savings, PV of the future liability, net benefit', 'JSON {portfolioValue, harvestedLoss, offsets | realizedGains, rates, discountRate, yearsToLiquidation}', (o, f) =>
    run(io, setExit, o.input, f, decodeValueDocument, withFederalTable(valueJson), valueTable),
  );

  command('yield', 'Harvesting Yield: daily sum, cohort annualized, or a deposit plan', 'JSON {beginningBalance, days} | {beginningBalance, harvestedLoss} | {cohortDays} | {depositPlan}', (o, f) =>
    run(io, setExit, o.input, f, decodeYieldDocument, yieldJson, yieldTable),
  );

  command('rates', "a household's marginal rates (federal, NIIT, state) and the value of a candidate loss", 'JSON tax profile {filingStatus, income, state, realized, carryoverIn, candidate?}', (o, f) =>
    run(io, setExit, o.input, f, decodeProfileDocument, ratesCompute, ratesTable),
  );
}
