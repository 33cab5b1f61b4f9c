/**
 * The documents of `lotsmith tax`, `carryover`, `value` and `rates` (and the tax profile of a
 * case file or a backtest), validated with zod and turned into the core's exact types. Amounts
 * are JSON numbers or decimal strings (exact to the cent); rates are decimals (0.22). Objects are
 * strict, sizes are bounded (taxFields.ts), and a document that says two conflicting things (two
 * forms of income, a carryover given twice in a chain) is refused. Every problem comes back as an
 * issue naming the file and field; nothing is returned unless everything decoded.
 */
import { z } from 'zod';
import { issue, type Issue, type Result } from '../../core/kernel/errors.js';
import { exact, type Usd } from '../../core/kernel/exact.js';
import type { Carryover } from '../../core/tax/capitalLoss.js';
import type { Offsets, RealizedGainsToOffset, ValueRates } from '../../core/tax/economicValue.js';
import type { LossTerm } from '../../core/tax/lossValue.js';
import type { IncomeSpec, TaxProfile } from '../../core/tax/profile.js';
import { isStateCode } from '../../core/tax/stateTax.js';
import type { TaxFilingStatus } from '../../core/tax/taxTables.js';
import {
  AMOUNT_RANGE,
  MAX_AMOUNT,
  MAX_ITEMS,
  MAX_YEARS,
  amount,
  decode,
  filingStatus,
  growthRate,
  list,
  notNegative,
  positive,
  rateSchema,
  taxYear,
  years,
} from './taxFields.js';
import { DEFAULT_TAX_YEAR } from './taxTablesFile.js';

export { readJsonFile } from './taxFields.js';
export { DEFAULT_TAX_YEAR, TAX_DATA_DIR, loadFederalTable, loadStateTable } from './taxTablesFile.js';

const term = z.enum(['short', 'long'], { error: (i) => (i.input === undefined ? 'is required' : `must be "short" or "long", not ${JSON.stringify(i.input)}`) });

/** An amount, or "standard" for the year's standard deduction of the filing status. */
const deduction = z.union([z.number(), z.string()], { error: () => 'must be "standard" or an amount' }).transform((v, ctx) => {
  if (v === 'standard') return 'standard' as const;
  const r = exact('usd', v);
  if (!r.ok || r.value < 0 || r.value > MAX_AMOUNT) {
    ctx.addIssue({ code: 'custom', message: `must be "standard" or an amount (not negative, ${AMOUNT_RANGE})` });
    return z.NEVER;
  }
  return r.value;
});

const state = z.string({ error: () => 'must be a two-letter postal code (e.g. "CA")' }).transform((v, ctx) => {
  const code = v.toUpperCase();
  if (!isStateCode(code)) {
    ctx.addIssue({ code: 'custom', message: `unknown state "${v}": use a two-letter postal code (50 states and DC)` });
    return z.NEVER;
  }
  return code;
});

const CarryoverSchema = z.strictObject({ shortTerm: notNegative.default(0 as Usd), longTerm: notNegative.default(0 as Usd) });

// ---- income ----------------------------------------------------------------------------------

interface IncomeFields {
  readonly ordinaryTaxableIncome?: Usd | undefined;
  readonly grossOrdinaryIncome?: Usd | undefined;
  readonly deduction?: Usd | 'standard' | undefined;
  readonly preferentialIncome?: Usd | undefined;
  readonly magi?: Usd | undefined;
}

/**
 * Taxable income given directly, or gross income less a deduction (standard by default). With
 * `alone` the listed fields may stand without any income (taxable income 0): `lotsmith tax` with
 * only MAGI computes the NIIT.
 */
function incomeSpec(d: IncomeFields, file: string, alone: ReadonlyArray<'preferentialIncome' | 'magi'>): Result<IncomeSpec> {
  if (d.ordinaryTaxableIncome !== undefined && d.grossOrdinaryIncome !== undefined) {
    return { ok: false, issues: [issue('BAD_VALUE', 'give ordinaryTaxableIncome or grossOrdinaryIncome (with an optional deduction), not both', { file, field: 'grossOrdinaryIncome' })] };
  }
  if (d.deduction !== undefined && d.grossOrdinaryIncome === undefined) {
    return { ok: false, issues: [issue('BAD_VALUE', 'a deduction is subtracted from grossOrdinaryIncome, which is missing (ordinaryTaxableIncome is already after the deduction)', { file, field: 'deduction' })] };
  }
  if (d.grossOrdinaryIncome !== undefined) {
    const given = d.deduction === undefined || d.deduction === 'standard' ? {} : { deduction: d.deduction };
    return { ok: true, value: { kind: 'gross', grossOrdinaryIncome: d.grossOrdinaryIncome, ...given } };
  }
  if (d.ordinaryTaxableIncome === undefined && !alone.some((k) => d[k] !== undefined)) {
    const or = alone.length > 0 ? `, or at least ${alone.join(' or ')}` : '';
    return { ok: false, issues: [issue('MISSING_FIELD', `give ordinaryTaxableIncome, or grossOrdinaryIncome (and optionally deduction)${or}`, { file, field: 'ordinaryTaxableIncome' })] };
  }
  return { ok: true, value: { kind: 'taxable', ordinaryTaxableIncome: d.ordinaryTaxableIncome ?? (0 as Usd) } };
}

// ---- lotsmith tax -----------------------------------------------------------------------------

const TaxDoc = z.strictObject({
  taxYear: taxYear.optional(),
  filingStatus,
  ordinaryTaxableIncome: notNegative.optional(),
  preferentialIncome: notNegative.optional(),
  grossOrdinaryIncome: notNegative.optional(),
  deduction: deduction.optional(),
  magi: notNegative.optional(),
  netInvestmentIncome: notNegative.optional(),
});

export interface TaxDocument {
  readonly taxYear: number;
  readonly filingStatus: TaxFilingStatus;
  readonly income: IncomeSpec;
  /** Neither ordinary nor preferential income was given (only MAGI, for the NIIT). */
  readonly noIncome: boolean;
  readonly preferentialIncome: Usd;
  readonly magi?: Usd;
  readonly netInvestmentIncome?: Usd;
}

export function decodeTaxDocument(doc: unknown, file: string): Result<TaxDocument> {
  const d = decode(TaxDoc, doc, file);
  if (!d.ok) return d;
  const v = d.value;
  const income = incomeSpec(v, file, ['preferentialIncome', 'magi']);
  if (!income.ok) return income;
  return {
    ok: true,
    value: {
      taxYear: v.taxYear ?? DEFAULT_TAX_YEAR,
      filingStatus: v.filingStatus,
      income: income.value,
      noIncome: v.ordinaryTaxableIncome === undefined && v.grossOrdinaryIncome === undefined && v.preferentialIncome === undefined,
      preferentialIncome: v.preferentialIncome ?? (0 as Usd),
      ...(v.magi !== undefined ? { magi: v.magi } : {}),
      ...(v.netInvestmentIncome !== undefined ? { netInvestmentIncome: v.netInvestmentIncome } : {}),
    },
  };
}

// ---- lotsmith carryover -----------------------------------------------------------------------

const items = list(amount, MAX_ITEMS, 'items').default([]);
const YearDoc = z.strictObject({
  taxYear: taxYear.optional(),
  filingStatus: filingStatus.optional(),
  shortTermItems: items,
  longTermItems: items,
  carryoverIn: CarryoverSchema.optional(),
  form1040Line15TaxableIncome: amount.optional(),
});
const ChainDoc = z.strictObject({
  taxYear: taxYear.optional(),
  filingStatus: filingStatus.optional(),
  carryoverIn: CarryoverSchema.optional(),
  years: list(YearDoc, MAX_YEARS, 'years').min(1, { error: 'give at least one year' }),
});
const SingleYearDoc = YearDoc.extend({ filingStatus });
type Year = z.infer<typeof YearDoc>;

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
}

/** The items of one term summed, within the amount bound (a sum of many large items may not be). */
function total(values: readonly Usd[], file: string, field: string, issues: Issue[]): Usd {
  const sum = values.reduce((a, b) => a + b, 0);
  if (Math.abs(sum) > MAX_AMOUNT) issues.push(issue('BAD_VALUE', `the items sum to more than the bound: ${AMOUNT_RANGE}`, { file, field }));
  return sum as Usd;
}

/** A chain carries each year's carryover into the next: a later carryoverIn would contradict it. */
function chainConflicts(top: z.infer<typeof ChainDoc>, file: string): Issue[] {
  const issues: Issue[] = [];
  if (top.carryoverIn && top.years[0]?.carryoverIn) {
    issues.push(issue('BAD_VALUE', 'carryoverIn is given twice, at the top and on years[0]: give it once', { file, field: 'years[0].carryoverIn' }));
  }
  top.years.forEach((y, i) => {
    if (i > 0 && y.carryoverIn) {
      issues.push(issue('BAD_VALUE', `a chain carries years[${i - 1}]'s carryoverToNextYear into this year; give carryoverIn only for the first year (at the top or on years[0]), or start a new chain`, { file, field: `years[${i}].carryoverIn` }));
    }
    const before = i === 0 ? top.taxYear : top.years[i - 1]?.taxYear;
    const expected = before === undefined ? undefined : i === 0 ? before : before + 1;
    if (y.taxYear !== undefined && expected !== undefined && y.taxYear !== expected) {
      issues.push(issue('BAD_VALUE', i === 0 ? `taxYear ${y.taxYear} differs from the chain's taxYear ${expected}` : `the years of a chain are consecutive: expected ${expected} after ${expected - 1}`, { file, field: `years[${i}].taxYear` }));
    }
  });
  return issues;
}

export function decodeCarryoverDocument(doc: unknown, file: string): Result<CarryoverDocument> {
  const isChain = typeof doc === 'object' && doc !== null && 'years' in doc;
  const d = isChain ? decode(ChainDoc, doc, file) : decode(SingleYearDoc, doc, file);
  if (!d.ok) return d;
  const top = isChain ? (d.value as z.infer<typeof ChainDoc>) : undefined;
  const yearDocs: readonly Year[] = top ? top.years : [d.value as Year];
  const issues: Issue[] = top ? chainConflicts(top, file) : [];
  const at = (i: number, field: string): string => (top ? `years[${i}].${field}` : field);
  const out: CarryoverYearDocument[] = yearDocs.map((y, i) => {
    const status = y.filingStatus ?? top?.filingStatus;
    if (status === undefined) issues.push(issue('MISSING_FIELD', 'is required', { file, field: at(i, 'filingStatus') }));
    return {
      ...(y.taxYear !== undefined ? { taxYear: y.taxYear } : {}),
      filingStatus: status ?? 'single',
      shortTermNet: total(y.shortTermItems, file, at(i, 'shortTermItems'), issues),
      longTermNet: total(y.longTermItems, file, at(i, 'longTermItems'), issues),
      taxableIncome: y.form1040Line15TaxableIncome ?? (0 as Usd),
      taxableIncomeGiven: y.form1040Line15TaxableIncome !== undefined,
    };
  });
  if (issues.length > 0) return { ok: false, issues };
  const first = top?.carryoverIn ?? yearDocs[0]?.carryoverIn ?? { shortTerm: 0 as Usd, longTerm: 0 as Usd };
  return {
    ok: true,
    value: {
      chain: top !== undefined,
      taxYear: top?.taxYear ?? yearDocs[0]?.taxYear ?? DEFAULT_TAX_YEAR,
      carryoverIn: { shortTerm: first.shortTerm, longTerm: first.longTerm },
      years: out,
    },
  };
}

// ---- lotsmith value ---------------------------------------------------------------------------

const OffsetsSchema = z.strictObject({
  shortTermGains: notNegative.default(0 as Usd),
  longTermGains: notNegative.default(0 as Usd),
  ordinaryIncome: notNegative.default(0 as Usd),
});
const ValueRatesSchema = z.strictObject(
  { ordinary: rateSchema, shortTerm: rateSchema, longTerm: rateSchema, futureLongTerm: rateSchema },
  {
    error: (i) =>
      i.input === undefined ? 'is required: {ordinary, shortTerm, longTerm, futureLongTerm}' : i.code === 'invalid_type' ? 'must be an object {ordinary, shortTerm, longTerm, futureLongTerm}' : undefined,
  },
);
const ValueDoc = z.strictObject({
  taxYear: taxYear.optional(),
  filingStatus: filingStatus.optional(),
  portfolioValue: positive,
  harvestedLoss: notNegative,
  harvestedTerm: term.default('short'),
  offsets: OffsetsSchema.optional(),
  realizedGains: z.strictObject({ shortTerm: notNegative.default(0 as Usd), longTerm: notNegative.default(0 as Usd) }).optional(),
  rates: ValueRatesSchema,
  discountRate: growthRate,
  yearsToLiquidation: years,
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
  if (v.offsets && v.realizedGains) {
    return { ok: false, issues: [issue('BAD_VALUE', 'give offsets (what the loss offset) or realizedGains (to allocate it from), not both', { file, field: 'realizedGains' })] };
  }
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

// ---- lotsmith rates (and the tax profile of a case or a backtest) -----------------------------

const ProfileDoc = z.strictObject({
  taxYear: taxYear.optional(),
  filingStatus,
  ordinaryTaxableIncome: notNegative.optional(),
  grossOrdinaryIncome: notNegative.optional(),
  deduction: deduction.optional(),
  preferentialIncome: notNegative.optional(),
  magi: notNegative.optional(),
  netInvestmentIncome: notNegative.optional(),
  state: state.optional(),
  stateTaxableIncome: notNegative.optional(),
  stateRate: rateSchema.optional(),
  stateDeductible: z.boolean({ error: () => 'must be true or false' }).default(false),
  realized: z.strictObject({ shortTerm: amount.default(0 as Usd), longTerm: amount.default(0 as Usd) }).optional(),
  carryoverIn: CarryoverSchema.optional(),
  candidate: z.strictObject({ loss: positive, term }).optional(),
  discountRate: growthRate.optional(),
  yearsUntilUsed: years.optional(),
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
  if (v.stateTaxableIncome !== undefined && v.state === undefined) {
    return { ok: false, issues: [issue('BAD_VALUE', 'stateTaxableIncome is read against the schedule of state, which is missing', { file, field: 'stateTaxableIncome' })] };
  }
  const income = incomeSpec({ ...v, preferentialIncome: undefined, magi: undefined }, file, []);
  if (!income.ok) return income;
  const profile: TaxProfile = {
    filingStatus: v.filingStatus,
    income: income.value,
    ...(v.preferentialIncome !== undefined ? { preferentialIncome: v.preferentialIncome } : {}),
    ...(v.magi !== undefined ? { magi: v.magi } : {}),
    ...(v.netInvestmentIncome !== undefined ? { netInvestmentIncome: v.netInvestmentIncome } : {}),
    ...(v.state !== undefined ? { state: v.state } : {}),
    ...(v.stateTaxableIncome !== undefined ? { stateTaxableIncome: v.stateTaxableIncome } : {}),
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
