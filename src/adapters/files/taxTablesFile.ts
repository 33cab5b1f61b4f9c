/**
 * The tax tables under data/tax/: federal-YYYY.json and states-YYYY.json, validated and turned
 * into the core's exact types. A new tax year is a new pair of files of the same shape. The
 * loader checks what a transcription error would break: brackets start at 0 and ascend, each
 * printed federal `baseTax` equals the tax computed at its bracket's bottom, a state's `topRate`
 * is the highest rate of its schedule, and every graduated or flat state has a schedule (a
 * graduated state may carry only its top rate where its schedule cannot be modelled).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { issue, type Issue, type Result } from '../../core/kernel/errors.js';
import { bracketTax } from '../../core/tax/federalTax.js';
import type { Rate } from '../../core/tax/rate.js';
import { STATE_CODES } from '../../core/tax/stateTax.js';
import type { Bracket, FederalTaxTable, StateCapitalGains, StateTaxEntry, StateTaxTable, StatusSchedules } from '../../core/tax/taxTables.js';
import { decode, defined, notNegative, rateSchema, readJsonFile, taxYear } from './taxFields.js';

export const TAX_DATA_DIR = fileURLToPath(new URL('../../../data/tax/', import.meta.url));
export const DEFAULT_TAX_YEAR = 2025;

function byStatus<T extends z.ZodType>(s: T) {
  return z.looseObject({ single: s, married_filing_jointly: s, married_filing_separately: s, head_of_household: s });
}

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


// ---- states ------------------------------------------------------------------------------------

const StateBracket = z.strictObject({ over: notNegative, rate: rateSchema });
const Schedule = z.array(StateBracket).min(1);
const ScheduleByStatus = z.strictObject({ single: Schedule, married_filing_jointly: Schedule, married_filing_separately: Schedule, head_of_household: Schedule });
const CapitalGainsSchema = z.strictObject({
  shortTermBrackets: Schedule.optional(),
  longTermBrackets: Schedule.optional(),
  shortTermBracketsByStatus: ScheduleByStatus.optional(),
  longTermBracketsByStatus: ScheduleByStatus.optional(),
  shortTermRate: rateSchema.optional(),
  longTermRate: rateSchema.optional(),
  shortTermExclusion: rateSchema.optional(),
  longTermExclusion: rateSchema.optional(),
  longTermRateCap: rateSchema.optional(),
  note: z.string().optional(),
});
const StateEntrySchema = z.strictObject({
  code: z.enum(STATE_CODES),
  name: z.string().min(1),
  system: z.enum(['none', 'flat', 'graduated']),
  topRate: rateSchema,
  brackets: Schedule.optional(),
  bracketsByStatus: ScheduleByStatus.optional(),
  capitalGains: CapitalGainsSchema.optional(),
  notes: z.string().optional(),
  source: z.string().min(1),
});
const StatesFile = z.strictObject({
  taxYear,
  description: z.string().optional(),
  source: z.string().optional(),
  verification: z.string().optional(),
  approximations: z.array(z.string()).optional(),
  states: z.record(z.string(), StateEntrySchema),
});

type Rows = z.infer<typeof Schedule>;
type ByStatusRows = z.infer<typeof ScheduleByStatus>;

function checkSchedule(rows: Rows, file: string, field: string): Issue[] {
  return rows.flatMap((r, i) => {
    const at = { file, field: `${field}[${i}]` };
    const next = rows[i + 1];
    return [
      ...(i === 0 && r.over !== 0 ? [issue('BAD_VALUE', 'the first bracket must start at 0', at)] : []),
      ...(next && next.over <= r.over ? [issue('BAD_VALUE', 'brackets must ascend', at)] : []),
    ];
  });
}

/** One schedule for every status, or one per status; as the core's by-status schedules. */
function schedules(uniform: Rows | undefined, perStatus: ByStatusRows | undefined, file: string, field: string): Result<StatusSchedules | undefined> {
  if (uniform && perStatus) return { ok: false, issues: [issue('BAD_VALUE', `give ${field}Brackets or ${field}BracketsByStatus, not both`, { file, field })] };
  const s: ByStatusRows | undefined = uniform
    ? { single: uniform, married_filing_jointly: uniform, married_filing_separately: uniform, head_of_household: uniform }
    : perStatus;
  if (!s) return { ok: true, value: undefined };
  const issues = uniform ? checkSchedule(uniform, file, field) : Object.entries(s).flatMap(([k, rows]) => checkSchedule(rows, file, `${field}.${k}`));
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: s as StatusSchedules };
}

const topOf = (s: StatusSchedules): Rate => Math.max(...Object.values(s).flatMap((rows: readonly Bracket[]) => rows.map((b) => b.rate))) as Rate;

function capitalGains(cg: z.infer<typeof CapitalGainsSchema>, file: string, field: string): Result<StateCapitalGains> {
  const st = schedules(cg.shortTermBrackets, cg.shortTermBracketsByStatus, file, `${field}.shortTerm`);
  const lt = schedules(cg.longTermBrackets, cg.longTermBracketsByStatus, file, `${field}.longTerm`);
  const issues = [...(st.ok ? [] : st.issues), ...(lt.ok ? [] : lt.issues)];
  const ways = (term: 'shortTerm' | 'longTerm', schedule: unknown) => [schedule, cg[`${term}Rate`], cg[`${term}Exclusion`]].filter((x) => x !== undefined).length;
  for (const term of ['shortTerm', 'longTerm'] as const) {
    if (ways(term, term === 'shortTerm' ? (st.ok ? st.value : undefined) : lt.ok ? lt.value : undefined) > 1) {
      issues.push(issue('BAD_VALUE', `give one of ${term}Brackets, ${term}Rate or ${term}Exclusion`, { file, field: `${field}.${term}` }));
    }
  }
  if (issues.length > 0 || !st.ok || !lt.ok) return { ok: false, issues };
  return {
    ok: true,
    value: defined({
      shortTermSchedule: st.value,
      longTermSchedule: lt.value,
      shortTermRate: cg.shortTermRate,
      longTermRate: cg.longTermRate,
      shortTermExclusion: cg.shortTermExclusion,
      longTermExclusion: cg.longTermExclusion,
      longTermRateCap: cg.longTermRateCap,
      note: cg.note,
    }) as StateCapitalGains,
  };
}

function stateEntry(key: string, s: z.infer<typeof StateEntrySchema>, file: string): Result<StateTaxEntry> {
  const field = `states.${key}`;
  const at = { file, field };
  const issues: Issue[] = [];
  if (key !== s.code) issues.push(issue('BAD_VALUE', `key "${key}" differs from code "${s.code}"`, at));
  const schedule = schedules(s.brackets, s.bracketsByStatus, file, `${field}.brackets`);
  const cg = s.capitalGains ? capitalGains(s.capitalGains, file, `${field}.capitalGains`) : undefined;
  if (!schedule.ok) issues.push(...schedule.issues);
  if (cg && !cg.ok) issues.push(...cg.issues);
  const sched = schedule.ok ? schedule.value : undefined;
  if (s.system === 'none' && (sched || s.topRate !== 0)) issues.push(issue('BAD_VALUE', 'a state without an income tax has no schedule and a top rate of 0', at));
  if (s.system === 'flat' && !sched) issues.push(issue('MISSING_FIELD', 'a flat-rate state needs its brackets', at));
  if (sched && topOf(sched) !== s.topRate) issues.push(issue('BAD_VALUE', `topRate ${s.topRate / 1e6} is not the schedule's highest rate ${topOf(sched) / 1e6}`, { file, field: `${field}.topRate` }));
  if (issues.length > 0 || !schedule.ok || (cg && !cg.ok)) return { ok: false, issues };
  return {
    ok: true,
    value: defined({
      code: s.code,
      name: s.name,
      system: s.system,
      topRate: s.topRate,
      schedule: sched,
      capitalGains: cg?.ok ? cg.value : undefined,
      notes: s.notes,
      source: s.source,
    }) as StateTaxEntry,
  };
}

export function decodeStateTable(doc: unknown, file: string): Result<StateTaxTable> {
  const d = decode(StatesFile, doc, file);
  if (!d.ok) return d;
  const issues: Issue[] = [];
  const states: Record<string, StateTaxEntry> = {};
  for (const [key, s] of Object.entries(d.value.states)) {
    const e = stateEntry(key, s, file);
    if (e.ok) states[key] = e.value;
    else issues.push(...e.issues);
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
