/**
 * Tax input at the edge: the tax tables under data/tax/ and the documents of `lotsmith tax`,
 * `carryover`, `value`, `yield` and `rates`, validated with zod and turned into the core's exact
 * types. Amounts are JSON numbers or decimal strings (exact to the cent); rates are decimals
 * (0.22). Every problem comes back as an issue naming the file and field; nothing is returned
 * unless everything decoded.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { issue, type Issue, type Result } from '../../core/kernel/errors.js';
import { exact, type Usd } from '../../core/kernel/exact.js';
import type { Carryover } from '../../core/tax/capitalLoss.js';
import type { Offsets, RealizedGainsToOffset, ValueRates } from '../../core/tax/economicValue.js';
import { bracketTax } from '../../core/tax/federalTax.js';
import type { CohortDay, DayLosses, DepositPlan } from '../../core/tax/harvestingYield.js';
import type { LossTerm } from '../../core/tax/lossValue.js';
import type { IncomeSpec, TaxProfile } from '../../core/tax/profile.js';
import { parseRate } from '../../core/tax/rate.js';
import {
  TAX_FILING_STATUSES,
  type Bracket,
  type FederalTaxTable,
  type StateTaxEntry,
  type StateTaxTable,
  type TaxFilingStatus,
} from '../../core/tax/taxTables.js';
import { zodIssues } from './caseFile.js';

export const TAX_DATA_DIR = fileURLToPath(new URL('../../../data/tax/', import.meta.url));
export const DEFAULT_TAX_YEAR = 2025;

// ---- primitives ------------------------------------------------------------------------------

const decimal = z.union([z.number(), z.string()], { error: (i) => (i.input === undefined ? 'is required' : 'must be a number or a decimal string') });

const amount = decimal.transform((v, ctx) => {
  const r = exact('usd', v);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.reason });
    return z.NEVER;
  }
  return r.value;
});

const notNegative = amount.refine((v) => v >= 0, { message: 'must not be negative' });
const positive = amount.refine((v) => v > 0, { message: 'must be positive' });

const rateSchema = decimal
  .transform((v, ctx) => {
    const r = parseRate(v);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.reason });
      return z.NEVER;
    }
    return r.value;
  })
  .refine((r) => r >= 0 && r <= 1_000_000, { message: 'must be a decimal rate between 0 and 1 (e.g. 0.22)' });

const filingStatus = z.enum(TAX_FILING_STATUSES, {
  error: (i) => (i.input === undefined ? 'is required' : `unknown filing status "${String(i.input)}": expected one of ${TAX_FILING_STATUSES.join(', ')}`),
});

const taxYear = z.number().int().min(1900).max(2200);

function byStatus<T extends z.ZodType>(s: T) {
  return z.looseObject({ single: s, married_filing_jointly: s, married_filing_separately: s, head_of_household: s });
}

function decode<S extends z.ZodType>(schema: S, doc: unknown, file: string): Result<z.infer<S>> {
  const parsed = schema.safeParse(doc);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: zodIssues(parsed.error, file) };
}

export function readJsonFile(path: string): Result<unknown> {
  if (!existsSync(path)) return { ok: false, issues: [issue('PARSE', 'file not found', { file: path })] };
  try {
    return { ok: true, value: JSON.parse(readFileSync(path, 'utf8')) as unknown };
  } catch (err) {
    return { ok: false, issues: [issue('PARSE', `not valid JSON: ${(err as Error).message}`, { file: path })] };
  }
}

// ---- tables ----------------------------------------------------------------------------------

const BracketRow = z.object({ over: notNegative, notOver: notNegative.nullable().optional(), rate: rateSchema, baseTax: notNegative.optional() });
const StatusAmounts = byStatus(notNegative);

const FederalFile = z.looseObject({
  taxYear,
  ordinaryBrackets: byStatus(z.array(BracketRow).min(1)),
  capitalGains: z.looseObject({
    rates: z.object({ zero: rateSchema.refine((r) => r === 0, { message: 'the lowest capital gain rate is 0' }), fifteen: rateSchema, twenty: rateSchema }),
    maximumZeroRateAmount: StatusAmounts,
    maximum15PercentRateAmount: StatusAmounts,
  }),
  netInvestmentIncomeTax: z.looseObject({ rate: rateSchema, thresholdMAGI: StatusAmounts }),
  standardDeduction: StatusAmounts,
  capitalLossLimit: StatusAmounts,
});

type BracketRows = z.infer<typeof BracketRow>[];

/** Brackets start at 0, ascend, meet their neighbours, and print the tax at their bottom. */
function checkBrackets(rows: BracketRows, file: string, field: string): Issue[] {
  const issues: Issue[] = [];
  const brackets: Bracket[] = rows.map((r) => ({ over: r.over, rate: r.rate }));
  rows.forEach((r, i) => {
    const at = { file, field: `${field}[${i}]` };
    if (i === 0 && r.over !== 0) issues.push(issue('BAD_VALUE', 'the first bracket must start at 0', at));
    const next = rows[i + 1];
    if (next && next.over <= r.over) issues.push(issue('BAD_VALUE', 'brackets must ascend', at));
    if (next && r.notOver != null && r.notOver !== next.over) issues.push(issue('BAD_VALUE', `notOver ${r.notOver / 100} does not meet the next bracket`, at));
    if (r.baseTax !== undefined && bracketTax(brackets, r.over) !== r.baseTax) {
      issues.push(issue('BAD_VALUE', `baseTax ${r.baseTax / 100} differs from the tax computed at ${r.over / 100} (${bracketTax(brackets, r.over) / 100})`, at));
    }
  });
  return issues;
}

const strip = <T>(o: { single: T; married_filing_jointly: T; married_filing_separately: T; head_of_household: T }) => ({
  single: o.single,
  married_filing_jointly: o.married_filing_jointly,
  married_filing_separately: o.married_filing_separately,
  head_of_household: o.head_of_household,
});

const toBrackets = (rows: BracketRows): Bracket[] => rows.map((r) => ({ over: r.over, rate: r.rate }));

export function decodeFederalTable(doc: unknown, file: string): Result<FederalTaxTable> {
  const d = decode(FederalFile, doc, file);
  if (!d.ok) return d;
  const f = d.value;
  const issues = Object.entries(strip(f.ordinaryBrackets)).flatMap(([s, rows]) => checkBrackets(rows, file, `ordinaryBrackets.${s}`));
  if (issues.length > 0) return { ok: false, issues };
  const ob = strip(f.ordinaryBrackets);
  return {
    ok: true,
    value: {
      taxYear: f.taxYear,
      ordinaryBrackets: {
        single: toBrackets(ob.single),
        married_filing_jointly: toBrackets(ob.married_filing_jointly),
        married_filing_separately: toBrackets(ob.married_filing_separately),
        head_of_household: toBrackets(ob.head_of_household),
      },
      capitalGains: {
        fifteen: f.capitalGains.rates.fifteen,
        twenty: f.capitalGains.rates.twenty,
        maximumZeroRateAmount: strip(f.capitalGains.maximumZeroRateAmount),
        maximum15PercentRateAmount: strip(f.capitalGains.maximum15PercentRateAmount),
      },
      niit: { rate: f.netInvestmentIncomeTax.rate, thresholdMagi: strip(f.netInvestmentIncomeTax.thresholdMAGI) },
      standardDeduction: strip(f.standardDeduction),
      capitalLossLimit: strip(f.capitalLossLimit),
    },
  };
}

const StateBracket = z.object({ over: notNegative, rate: rateSchema });
const StateEntrySchema = z.object({
  code: z.string().regex(/^[A-Z]{2}$/),
  name: z.string().min(1),
  system: z.enum(['none', 'flat', 'graduated']),
  topRate: rateSchema,
  brackets: z.array(StateBracket).min(1).optional(),
  bracketsByStatus: z.object({ single: z.array(StateBracket).min(1), married_filing_jointly: z.array(StateBracket).min(1) }).optional(),
  capitalGains: z
    .object({
      shortTermRate: rateSchema.optional(),
      longTermRate: rateSchema.optional(),
      shortTermExclusion: rateSchema.optional(),
      longTermExclusion: rateSchema.optional(),
      longTermRateCap: rateSchema.optional(),
      note: z.string().optional(),
    })
    .optional(),
  notes: z.string().optional(),
  source: z.string().min(1),
});
const StatesFile = z.looseObject({ taxYear, states: z.record(z.string(), StateEntrySchema) });

/** Drops keys whose value is undefined (exactOptionalPropertyTypes). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function decodeStateTable(doc: unknown, file: string): Result<StateTaxTable> {
  const d = decode(StatesFile, doc, file);
  if (!d.ok) return d;
  const issues: Issue[] = [];
  const states: Record<string, StateTaxEntry> = {};
  for (const [key, s] of Object.entries(d.value.states)) {
    if (key !== s.code) issues.push(issue('BAD_VALUE', `key "${key}" differs from code "${s.code}"`, { file, field: `states.${key}` }));
    states[key] = defined({ ...s, capitalGains: s.capitalGains ? defined(s.capitalGains) : undefined }) as StateTaxEntry;
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: { taxYear: d.value.taxYear, states } };
}

function loadTable<T>(kind: 'federal' | 'states', year: number, dir: string, decodeFn: (doc: unknown, file: string) => Result<T>): Result<T> {
  const file = join(dir, `${kind}-${year}.json`);
  if (!existsSync(file)) {
    return { ok: false, issues: [issue('BAD_VALUE', `no ${kind} tax tables for ${year}: add ${kind}-${year}.json to ${dir}`, { field: 'taxYear' })] };
  }
  const doc = readJsonFile(file);
  return doc.ok ? decodeFn(doc.value, file) : doc;
}

export const loadFederalTable = (year: number, dir = TAX_DATA_DIR): Result<FederalTaxTable> => loadTable('federal', year, dir, decodeFederalTable);
export const loadStateTable = (year: number, dir = TAX_DATA_DIR): Result<StateTaxTable> => loadTable('states', year, dir, decodeStateTable);

// ---- lotsmith tax -----------------------------------------------------------------------------

const TaxDoc = z.looseObject({
  taxYear: taxYear.optional(),
  filingStatus,
  ordinaryTaxableIncome: notNegative.optional(),
  preferentialIncome: notNegative.optional(),
  grossOrdinaryIncome: notNegative.optional(),
  deduction: notNegative.optional(),
  magi: notNegative.optional(),
  netInvestmentIncome: notNegative.optional(),
});

export interface TaxDocument {
  readonly taxYear: number;
  readonly filingStatus: TaxFilingStatus;
  readonly income: IncomeSpec;
  readonly preferentialIncome: Usd;
  readonly magi?: Usd;
  readonly netInvestmentIncome?: Usd;
}

type IncomeFields = { ordinaryTaxableIncome?: Usd | undefined; grossOrdinaryIncome?: Usd | undefined; deduction?: Usd | undefined; preferentialIncome?: Usd | undefined };

/** Taxable income given directly, or gross income less a deduction (standard by default). */
function incomeSpec(d: IncomeFields, file: string): Result<IncomeSpec> {
  if (d.ordinaryTaxableIncome !== undefined && d.grossOrdinaryIncome !== undefined) {
    return { ok: false, issues: [issue('BAD_VALUE', 'give ordinaryTaxableIncome or grossOrdinaryIncome (with an optional deduction), not both', { file, field: 'grossOrdinaryIncome' })] };
  }
  if (d.deduction !== undefined && d.grossOrdinaryIncome === undefined) {
    return { ok: false, issues: [issue('BAD_VALUE', 'a deduction is subtracted from grossOrdinaryIncome, which is missing', { file, field: 'deduction' })] };
  }
  if (d.grossOrdinaryIncome !== undefined) {
    return { ok: true, value: { kind: 'gross', grossOrdinaryIncome: d.grossOrdinaryIncome, ...(d.deduction !== undefined ? { deduction: d.deduction } : {}) } };
  }
  if (d.ordinaryTaxableIncome === undefined && d.preferentialIncome === undefined) {
    return { ok: false, issues: [issue('MISSING_FIELD', 'give ordinaryTaxableIncome, or grossOrdinaryIncome (and optionally deduction)', { file, field: 'ordinaryTaxableIncome' })] };
  }
  return { ok: true, value: { kind: 'taxable', ordinaryTaxableIncome: d.ordinaryTaxableIncome ?? (0 as Usd) } };
}

export function decodeTaxDocument(doc: unknown, file: string): Result<TaxDocument> {
  const d = decode(TaxDoc, doc, file);
  if (!d.ok) return d;
  const v = d.value;
  const income = incomeSpec(v, file);
  if (!income.ok) return income;
  return {
    ok: true,
    value: {
      taxYear: v.taxYear ?? DEFAULT_TAX_YEAR,
      filingStatus: v.filingStatus,
      income: income.value,
      preferentialIncome: v.preferentialIncome ?? (0 as Usd),
      ...(v.magi !== undefined ? { magi: v.magi } : {}),
      ...(v.netInvestmentIncome !== undefined ? { netInvestmentIncome: v.netInvestmentIncome } : {}),
    },
  };
}

// ---- lotsmith carryover -----------------------------------------------------------------------

const CarryoverSchema = z.object({ shortTerm: notNegative.default(0 as Usd), longTerm: notNegative.default(0 as Usd) });
const YearDoc = z.looseObject({
  taxYear: taxYear.optional(),
  filingStatus: filingStatus.optional(),
  shortTermItems: z.array(amount).default([]),
  longTermItems: z.array(amount).default([]),
  carryoverIn: CarryoverSchema.optional(),
  form1040Line15TaxableIncome: amount.optional(),
});
const ChainDoc = z.looseObject({ taxYear: taxYear.optional(), filingStatus: filingStatus.optional(), carryoverIn: CarryoverSchema.optional(), years: z.array(YearDoc).min(1) });
const SingleYearDoc = YearDoc.extend({ filingStatus });

export interface CarryoverYearDocument {
  readonly taxYear?: number;
  readonly filingStatus: TaxFilingStatus;
  readonly shortTermNet: Usd;
  readonly longTermNet: Usd;
  /** Form 1040 line 15 (signed); 0 when not given, which lets the deduction count in full. */
  readonly taxableIncome: Usd;
  readonly taxableIncomeGiven: boolean;
}

export interface CarryoverDocument {
  readonly chain: boolean;
  readonly taxYear: number;
  readonly carryoverIn: Carryover;
  readonly years: readonly CarryoverYearDocument[];
  /** Carryovers given on later years of a chain, which the chain replaces. */
  readonly ignoredCarryoverIn: readonly number[];
}

const total = (items: readonly Usd[]): Usd => items.reduce((a, b) => a + b, 0) as Usd;

export function decodeCarryoverDocument(doc: unknown, file: string): Result<CarryoverDocument> {
  const isChain = typeof doc === 'object' && doc !== null && 'years' in doc;
  const d = isChain ? decode(ChainDoc, doc, file) : decode(SingleYearDoc, doc, file);
  if (!d.ok) return d;
  const v = d.value;
  const top = 'years' in v ? (v as z.infer<typeof ChainDoc>) : undefined;
  const years = top ? top.years : [v as z.infer<typeof SingleYearDoc>];
  const issues: Issue[] = [];
  const out: CarryoverYearDocument[] = years.map((y, i) => {
    const status = y.filingStatus ?? top?.filingStatus;
    if (status === undefined) issues.push(issue('MISSING_FIELD', 'is required', { file, field: top ? `years[${i}].filingStatus` : 'filingStatus' }));
    return {
      ...(y.taxYear !== undefined ? { taxYear: y.taxYear } : {}),
      filingStatus: status ?? 'single',
      shortTermNet: total(y.shortTermItems),
      longTermNet: total(y.longTermItems),
      taxableIncome: y.form1040Line15TaxableIncome ?? (0 as Usd),
      taxableIncomeGiven: y.form1040Line15TaxableIncome !== undefined,
    };
  });
  if (issues.length > 0) return { ok: false, issues };
  const first = years[0]?.carryoverIn ?? top?.carryoverIn ?? { shortTerm: 0 as Usd, longTerm: 0 as Usd };
  return {
    ok: true,
    value: {
      chain: top !== undefined,
      taxYear: v.taxYear ?? years[0]?.taxYear ?? DEFAULT_TAX_YEAR,
      carryoverIn: { shortTerm: first.shortTerm, longTerm: first.longTerm },
      years: out,
      ignoredCarryoverIn: years.flatMap((y, i) => (i > 0 && y.carryoverIn !== undefined ? [i] : [])),
    },
  };
}

// ---- lotsmith value ---------------------------------------------------------------------------

const OffsetsSchema = z.object({
  shortTermGains: notNegative.default(0 as Usd),
  longTermGains: notNegative.default(0 as Usd),
  ordinaryIncome: notNegative.default(0 as Usd),
});
const ValueDoc = z.looseObject({
  taxYear: taxYear.optional(),
  filingStatus: filingStatus.optional(),
  portfolioValue: positive,
  harvestedLoss: notNegative,
  harvestedTerm: z.enum(['short', 'long']).default('short'),
  offsets: OffsetsSchema.optional(),
  realizedGains: z.object({ shortTerm: notNegative.default(0 as Usd), longTerm: notNegative.default(0 as Usd) }).optional(),
  rates: z.object({ ordinary: rateSchema, shortTerm: rateSchema, longTerm: rateSchema, futureLongTerm: rateSchema }, { error: 'is required: {ordinary, shortTerm, longTerm, futureLongTerm}' }),
  discountRate: z.number({ error: 'is required (e.g. 0.08)' }).gt(-1),
  yearsToLiquidation: z.number({ error: 'is required (years, e.g. 20)' }).min(0),
});

export interface ValueDocument {
  readonly taxYear: number;
  readonly filingStatus: TaxFilingStatus;
  readonly portfolioValue: Usd;
  readonly harvestedLoss: Usd;
  readonly harvestedTerm: LossTerm;
  /** Given offsets, or undefined to allocate from `realizedGains` and the 1211(b) limit. */
  readonly offsets?: Offsets;
  readonly realizedGains: RealizedGainsToOffset;
  readonly rates: ValueRates;
  readonly discountRate: number;
  readonly yearsToLiquidation: number;
}

export function decodeValueDocument(doc: unknown, file: string): Result<ValueDocument> {
  const d = decode(ValueDoc, doc, file);
  if (!d.ok) return d;
  const v = d.value;
  if (v.offsets) {
    const used = v.offsets.shortTermGains + v.offsets.longTermGains + v.offsets.ordinaryIncome;
    if (used > v.harvestedLoss) {
      return { ok: false, issues: [issue('BAD_VALUE', `offsets (${used / 100}) exceed the harvested loss (${v.harvestedLoss / 100})`, { file, field: 'offsets' })] };
    }
  }
  const r = v.rates;
  return {
    ok: true,
    value: {
      taxYear: v.taxYear ?? DEFAULT_TAX_YEAR,
      filingStatus: v.filingStatus ?? 'single',
      portfolioValue: v.portfolioValue,
      harvestedLoss: v.harvestedLoss,
      harvestedTerm: v.harvestedTerm,
      ...(v.offsets ? { offsets: v.offsets } : {}),
      realizedGains: { shortTermGains: v.realizedGains?.shortTerm ?? (0 as Usd), longTermGains: v.realizedGains?.longTerm ?? (0 as Usd) },
      rates: { ordinary: r.ordinary, shortTerm: r.shortTerm, longTerm: r.longTerm, futureLongTerm: r.futureLongTerm },
      discountRate: v.discountRate,
      yearsToLiquidation: v.yearsToLiquidation,
    },
  };
}

// ---- lotsmith rates ---------------------------------------------------------------------------

const ProfileDoc = z.looseObject({
  taxYear: taxYear.optional(),
  filingStatus,
  ordinaryTaxableIncome: notNegative.optional(),
  grossOrdinaryIncome: notNegative.optional(),
  deduction: notNegative.optional(),
  preferentialIncome: notNegative.optional(),
  magi: notNegative.optional(),
  netInvestmentIncome: notNegative.optional(),
  state: z.string().regex(/^[A-Za-z]{2}$/, { message: 'must be a two-letter postal code' }).optional(),
  stateRate: rateSchema.optional(),
  stateDeductible: z.boolean().default(false),
  realized: z.object({ shortTerm: amount.default(0 as Usd), longTerm: amount.default(0 as Usd) }).optional(),
  carryoverIn: CarryoverSchema.optional(),
  candidate: z.object({ loss: positive, term: z.enum(['short', 'long']) }).optional(),
  discountRate: z.number().gt(-1).optional(),
  yearsUntilUsed: z.number().min(0).optional(),
});

export interface ProfileDocument {
  readonly taxYear: number;
  readonly profile: TaxProfile;
  readonly stateDeductible: boolean;
  readonly candidate?: { readonly loss: Usd; readonly term: LossTerm };
  readonly discountRate?: number;
  readonly yearsUntilUsed?: number;
}

export function decodeProfileDocument(doc: unknown, file: string): Result<ProfileDocument> {
  const d = decode(ProfileDoc, doc, file);
  if (!d.ok) return d;
  const v = d.value;
  const income = incomeSpec({ ...v, preferentialIncome: undefined }, file);
  if (!income.ok) return income;
  const profile: TaxProfile = {
    filingStatus: v.filingStatus,
    income: income.value,
    ...(v.preferentialIncome !== undefined ? { preferentialIncome: v.preferentialIncome } : {}),
    ...(v.magi !== undefined ? { magi: v.magi } : {}),
    ...(v.netInvestmentIncome !== undefined ? { netInvestmentIncome: v.netInvestmentIncome } : {}),
    ...(v.state !== undefined ? { state: v.state.toUpperCase() } : {}),
    ...(v.stateRate !== undefined ? { stateRate: v.stateRate } : {}),
    ...(v.realized ? { realized: v.realized } : {}),
    ...(v.carryoverIn ? { carryoverIn: v.carryoverIn } : {}),
  };
  return {
    ok: true,
    value: {
      taxYear: v.taxYear ?? DEFAULT_TAX_YEAR,
      profile,
      stateDeductible: v.stateDeductible,
      ...(v.candidate ? { candidate: v.candidate } : {}),
      ...(v.discountRate !== undefined ? { discountRate: v.discountRate } : {}),
      ...(v.yearsUntilUsed !== undefined ? { yearsUntilUsed: v.yearsUntilUsed } : {}),
    },
  };
}

// ---- lotsmith yield ---------------------------------------------------------------------------

const DayLossSchema = z.object({ date: z.string().optional(), shortTermLoss: notNegative.default(0 as Usd), longTermLoss: notNegative.default(0 as Usd) });
const DaysDoc = z.looseObject({ beginningBalance: positive, days: z.array(DayLossSchema).min(1) });
const SimpleYieldDoc = z.looseObject({ beginningBalance: positive, harvestedLoss: notNegative });
const CohortDoc = z.looseObject({
  cohortDays: z.array(z.object({ date: z.string().optional(), losses: notNegative, balance: positive })).min(1),
  tradingDays: z.number().int().positive().default(252),
});
const DepositDoc = z.looseObject({
  depositPlan: z.object({
    initialDeposit: z.number().positive(),
    yearlyDeposit: z.number().min(0).default(0),
    annualReturn: z.number().gt(-1),
    firstYearLossRate: z.number().min(0).max(1),
    years: z.number().int().positive(),
  }),
});

export type YieldDocument =
  | { readonly kind: 'days'; readonly beginningBalance: Usd; readonly days: readonly DayLosses[] }
  | { readonly kind: 'cohort'; readonly days: readonly CohortDay[]; readonly tradingDays: number }
  | { readonly kind: 'deposits'; readonly plan: DepositPlan };

/** The form is chosen by its key: depositPlan, cohortDays, days, or a single harvestedLoss. */
export function decodeYieldDocument(doc: unknown, file: string): Result<YieldDocument> {
  const has = (k: string): boolean => typeof doc === 'object' && doc !== null && k in doc;
  if (has('depositPlan')) {
    const d = decode(DepositDoc, doc, file);
    return d.ok ? { ok: true, value: { kind: 'deposits', plan: d.value.depositPlan } } : d;
  }
  if (has('cohortDays')) {
    const d = decode(CohortDoc, doc, file);
    return d.ok ? { ok: true, value: { kind: 'cohort', days: d.value.cohortDays, tradingDays: d.value.tradingDays } } : d;
  }
  if (has('days')) {
    const d = decode(DaysDoc, doc, file);
    return d.ok ? { ok: true, value: { kind: 'days', beginningBalance: d.value.beginningBalance, days: d.value.days } } : d;
  }
  if (has('harvestedLoss')) {
    const d = decode(SimpleYieldDoc, doc, file);
    return d.ok ? { ok: true, value: { kind: 'days', beginningBalance: d.value.beginningBalance, days: [{ shortTermLoss: d.value.harvestedLoss, longTermLoss: 0 as Usd }] } } : d;
  }
  return {
    ok: false,
    issues: [issue('MISSING_FIELD', 'expected {beginningBalance, days: [{shortTermLoss, longTermLoss}]}, {beginningBalance, harvestedLoss}, {cohortDays: [{losses, balance}]} or {depositPlan: {...}}', { file })],
  };
}
