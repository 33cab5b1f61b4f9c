/**
 * The field types of the tax documents and tables, validated with zod: amounts (JSON numbers or
 * decimal strings, exact to the cent), rates (decimals, 0.22), filing statuses, tax years, and
 * the bounds every size-like input keeps to, so that no document can ask for an answer the
 * exact types cannot hold or a loop that never ends:
 *
 *   amounts      at most $100,000,000,000 in absolute value (MAX_AMOUNT), sums included
 *   years        at most 100 (yield's deposit plan, value's years to liquidation, a
 *                carryover chain, the years until a carryover is used)
 *   days         at most 366 in a year of daily losses, 36,600 (100 years) of cohort days
 *   rates        decimals between 0 and 1; discount rates and returns above -1 and at most 1
 *
 * Every object is strict: a key the document does not define is an error, not ignored.
 */
import { z } from 'zod';
import { issue, type Result } from '../../core/kernel/errors.js';
import { exact, type Usd } from '../../core/kernel/exact.js';
import { parseRate } from '../../core/tax/rate.js';
import { TAX_FILING_STATUSES } from '../../core/tax/taxTables.js';
import { zodIssues } from './zodInput.js';

/** The largest amount a tax document may hold, in dollars. */
export const MAX_AMOUNT_DOLLARS = 100_000_000_000;
export const MAX_AMOUNT = (MAX_AMOUNT_DOLLARS * 100) as Usd;
export const MAX_YEARS = 100;
export const MAX_DAYS_IN_YEAR = 366;
export const MAX_COHORT_DAYS = MAX_YEARS * MAX_DAYS_IN_YEAR;
/** Items in one list (Schedule D items of a year). */
export const MAX_ITEMS = 100_000;

const dollars = (n: number): string => n.toLocaleString('en-US');
export const AMOUNT_RANGE = `must be at most ${dollars(MAX_AMOUNT_DOLLARS)} in absolute value`;

const required = (what: string) => (i: { input: unknown }) => (i.input === undefined ? 'is required' : what);

const decimal = z.union([z.number(), z.string()], { error: required('must be a number or a decimal string') });

export const amount = decimal.transform((v, ctx) => {
  const r = exact('usd', v);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.reason });
    return z.NEVER;
  }
  if (Math.abs(r.value) > MAX_AMOUNT) {
    ctx.addIssue({ code: 'custom', message: AMOUNT_RANGE });
    return z.NEVER;
  }
  return r.value;
});

export const notNegative = amount.refine((v) => v >= 0, { message: 'must not be negative' });
export const positive = amount.refine((v) => v > 0, { message: 'must be positive' });

export const rateSchema = decimal
  .transform((v, ctx) => {
    const r = parseRate(v);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.reason });
      return z.NEVER;
    }
    return r.value;
  })
  .refine((r) => r >= 0 && r <= 1_000_000, { message: 'must be a decimal rate between 0 and 1 (e.g. 0.22)' });

/** A plain JSON number with a range, saying which bound was missed. */
export function boundedNumber(o: { example: string; above?: number; min?: number; max: number; int?: boolean }) {
  const kind = o.int ? 'a whole number' : 'a number';
  let s = z.number({ error: required(`must be ${kind} (e.g. ${o.example})`) });
  if (o.int) s = s.int({ error: `must be ${kind} (e.g. ${o.example})` });
  if (o.above !== undefined) s = s.gt(o.above, { error: `must be greater than ${o.above} and at most ${o.max}` });
  if (o.min !== undefined) s = s.min(o.min, { error: `must be between ${o.min} and ${o.max}` });
  return s.max(o.max, { error: o.above !== undefined ? `must be greater than ${o.above} and at most ${o.max}` : `must be between ${o.min ?? 0} and ${o.max}` });
}

/** A discount rate or a return: a decimal above -1 (-100 %) and at most 1 (100 %). */
export const growthRate = boundedNumber({ example: '0.08', above: -1, max: 1 });
export const years = boundedNumber({ example: '20', min: 0, max: MAX_YEARS });

export const filingStatus = z.enum(TAX_FILING_STATUSES, {
  error: (i) => (i.input === undefined ? 'is required' : `unknown filing status "${String(i.input)}": expected one of ${TAX_FILING_STATUSES.join(', ')}`),
});

export const taxYear = z.number({ error: required('must be a year (e.g. 2025)') }).int().min(1900).max(2200);

/** A list of at most `max` entries, saying the limit. */
export const list = <T extends z.ZodType>(item: T, max: number, what: string) =>
  z.array(item, { error: required(`must be a list of ${what}`) }).max(max, { error: `at most ${max.toLocaleString('en-US')} ${what}` });

export function decode<S extends z.ZodType>(schema: S, doc: unknown, file: string): Result<z.infer<S>> {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return { ok: false, issues: [issue('BAD_VALUE', `the document must be a JSON object, not ${Array.isArray(doc) ? 'a list' : doc === null ? 'null' : typeof doc}`, { file })] };
  }
  const parsed = schema.safeParse(doc);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: zodIssues(parsed.error, file, { schema, input: doc }) };
}

/** JSON files are read as every input is: strict UTF-8, a byte-order mark allowed (inputText.ts). */
export { readJsonFile } from './inputText.js';

/** Drops keys whose value is undefined (exactOptionalPropertyTypes). */
export function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
