/**
 * The documents of `lotsmith yield`, in four forms chosen by their key: `depositPlan` (the
 * paper's deposits illustration), `cohortDays` (cohort annualized), `days` (a year's daily
 * losses) or a single `harvestedLoss`. Each form is a strict object, so keys of two forms in one
 * document are an error; sizes are bounded (taxFields.ts): at most 366 days in a year, 100
 * years of cohort days, 100 years of deposits, amounts up to $100 billion.
 */
import { z } from 'zod';
import { parseDay } from '../../core/kernel/calendar.js';
import { issue, type Result } from '../../core/kernel/errors.js';
import type { Usd } from '../../core/kernel/exact.js';
import type { CohortDay, DayLosses, DepositPlan } from '../../core/tax/harvestingYield.js';
import { MAX_AMOUNT_DOLLARS, MAX_COHORT_DAYS, MAX_DAYS_IN_YEAR, MAX_YEARS, boundedNumber, decode, growthRate, list, notNegative, positive } from './taxFields.js';

const date = z.string({ error: () => 'must be a date YYYY-MM-DD' }).refine((s) => parseDay(s) !== undefined, { message: 'must be a date YYYY-MM-DD' });

const DayLossSchema = z.strictObject({ date: date.optional(), shortTermLoss: notNegative.default(0 as Usd), longTermLoss: notNegative.default(0 as Usd) });
const DaysDoc = z.strictObject({ beginningBalance: positive, days: list(DayLossSchema, MAX_DAYS_IN_YEAR, 'days (one year)').min(1, { error: 'give at least one day' }) });
const SimpleYieldDoc = z.strictObject({ beginningBalance: positive, harvestedLoss: notNegative });
const CohortDoc = z.strictObject({
  cohortDays: list(z.strictObject({ date: date.optional(), losses: notNegative, balance: positive }), MAX_COHORT_DAYS, 'cohort days').min(1, { error: 'give at least one day' }),
  tradingDays: boundedNumber({ example: '252', min: 1, max: MAX_DAYS_IN_YEAR, int: true }).default(252),
});
const DepositDoc = z.strictObject({
  depositPlan: z.strictObject({
    initialDeposit: boundedNumber({ example: '10000', above: 0, max: MAX_AMOUNT_DOLLARS }),
    yearlyDeposit: boundedNumber({ example: '2500', min: 0, max: MAX_AMOUNT_DOLLARS }).default(0),
    annualReturn: growthRate,
    firstYearLossRate: boundedNumber({ example: '0.05', min: 0, max: 1 }),
    years: boundedNumber({ example: '10', min: 1, max: MAX_YEARS, int: true }),
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
