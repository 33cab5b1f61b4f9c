/**
 * The backtest config file (data/backtest-default.json is the default and the documented example):
 * JSON validated with zod, then turned into the core's BacktestSpec — the universe file loaded,
 * each tax profile resolved to marginal rates with the year's federal and state tables. Every
 * problem names the file and the JSON path; unknown keys are errors so a misspelt field is not
 * silently ignored. Command-line overrides (--from, --to, --accounts) are applied to the document
 * before validation, so they are checked the same way.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseDay, type Day } from '../../core/kernel/calendar.js';
import { issue, type Issue, type Result } from '../../core/kernel/errors.js';
import { symbol } from '../../core/ledger/household.js';
import type { Population } from '../../core/backtest/accounts.js';
import { DEFAULT_SPLIT, type BacktestSpec } from '../../core/backtest/backtest.js';
import type { ProfileSituation } from '../../core/backtest/simulation.js';
import { DEFAULT_STRATEGIES, DEFAULT_TUNING_THRESHOLDS, type Strategy } from '../../core/backtest/strategies.js';
import { marginalRates } from '../../core/tax/marginalRates.js';
import { isoDay } from './fieldSchemas.js';
import { readJsonFile } from './inputText.js';
import { decodeDocument } from './zodInput.js';
import { HarvestSchema, harvestConfig } from './harvestInput.js';
import { decodeProfileDocument, loadFederalTable, loadStateTable } from './taxInput.js';
import { DEFAULT_UNIVERSE_FILE, loadUniverse } from './universeFile.js';

export const DEFAULT_BACKTEST_CONFIG = fileURLToPath(new URL('../../../data/backtest-default.json', import.meta.url));

const year = z.number().int().min(1990).max(2100);
const range = z.strictObject({ min: z.number().positive(), max: z.number().positive() }).refine((r) => r.min <= r.max, { message: 'min must not exceed max' });

/** The "accounts" fields every backtest config shares (the ETF one adds risk scores; each bounds the count). */
export const POPULATION_FIELDS = {
  vintages: z.union([z.array(year).min(1), z.strictObject({ from: year, to: year })]),
  initialDeposit: range,
  monthlyDeposit: z.strictObject({ share: z.number().min(0).max(1), min: z.number().positive(), max: z.number().positive() }).optional(),
  startDay: z.enum(['random', 'first_trading_day']).default('random'),
  seed: z.number().int().default(1),
};

type PopulationDoc = z.infer<z.ZodObject<typeof POPULATION_FIELDS>> & { readonly count: number };

/** The simulated population of a config's "accounts" and "profiles"; a vintage range that is empty is an issue. */
export function populationOf(accounts: PopulationDoc, riskScores: readonly number[], profiles: readonly { weight: number }[], file: string, issues: Issue[]): Population {
  const vintages = Array.isArray(accounts.vintages) ? accounts.vintages : span(accounts.vintages.from, accounts.vintages.to);
  if (vintages.length === 0) issues.push(issue('BAD_VALUE', 'no vintage: "from" is after "to"', { file, field: 'accounts.vintages' }));
  return {
    count: accounts.count,
    vintages,
    riskScores,
    initialDeposit: accounts.initialDeposit,
    monthlyDepositShare: accounts.monthlyDeposit?.share ?? 0,
    monthlyDeposit: { min: accounts.monthlyDeposit?.min ?? 1, max: accounts.monthlyDeposit?.max ?? 1 },
    startDay: accounts.startDay,
    profileWeights: profiles.map((p) => p.weight),
    seed: accounts.seed,
  };
}

const StrategySchema = z.union([
  z.string().refine((id) => DEFAULT_STRATEGIES.some((s) => s.id === id), { message: `a built-in strategy: ${DEFAULT_STRATEGIES.map((s) => s.id).join(', ')}` }),
  z.strictObject({
    id: z.string().regex(/^[a-z0-9_]+$/, 'lower-case id of letters, digits and _'),
    label: z.string().min(1),
    trigger: z.union([
      z.strictObject({ kind: z.literal('cost_benefit') }),
      z.strictObject({ kind: z.literal('loss_at_least'), fraction: z.number().min(0).max(1) }),
      z.strictObject({ kind: z.literal('off') }),
    ]),
    schedule: z.enum(['never', 'daily', 'monthly', 'year_end']),
  }),
]);

const ConfigSchema = z.strictObject({
  description: z.string().optional(),
  universe: z.string().optional(),
  window: z.strictObject({ from: isoDay.optional(), to: isoDay.optional() }).default({}),
  split: isoDay.optional(),
  calibrate: z.boolean().default(true),
  verify: z.boolean().default(true),
  strategies: z.array(StrategySchema).min(1),
  focusStrategy: z.string().optional(),
  accounts: z.strictObject({
    count: z.number().int().positive().max(10_000_000),
    riskScores: z.array(z.number().min(0.5).max(10)).min(1),
    ...POPULATION_FIELDS,
  }),
  profiles: z.array(z.looseObject({ id: z.string().min(1), weight: z.number().positive().default(1) })).min(1),
  harvester: HarvestSchema.default({}),
  feeRate: z.number().min(0).max(0.05).default(0.0025),
  taxFlows: z.enum(['external', 'reinvest']).default('external'),
  discountRate: z.number().gt(-1).default(0.08),
  taxYear: year.optional(),
  focusRiskScore: z.number().min(0.5).max(10).default(8),
  benchmark: z.string().default('VTI'),
  tradeTotalReturnSeries: z.boolean().default(true),
  hindsightThresholds: z.array(z.number().gt(0).max(1)).max(20).default([...DEFAULT_TUNING_THRESHOLDS]),
});

export interface BacktestOverrides {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly accounts?: number | undefined;
  readonly verify?: boolean | undefined;
  /** First day of the out-of-sample period (the config's `split`). */
  readonly split?: string | undefined;
}

export interface BacktestConfig {
  readonly file: string;
  readonly spec: BacktestSpec;
  readonly focusStrategy: string;
}

/** Reads, overrides, validates and resolves a config file. */
export function loadBacktestConfig(file: string = DEFAULT_BACKTEST_CONFIG, overrides: BacktestOverrides = {}): Result<BacktestConfig> {
  const raw = readJsonFile(file);
  if (!raw.ok) return raw;
  if (typeof raw.value !== 'object' || raw.value === null || Array.isArray(raw.value)) return decodeBacktestConfig(raw.value, file);
  return decodeBacktestConfig(withOverrides(raw.value as Record<string, unknown>, overrides), file);
}

function withOverrides(doc: Record<string, unknown>, o: BacktestOverrides): Record<string, unknown> {
  const window = typeof doc['window'] === 'object' && doc['window'] !== null ? (doc['window'] as Record<string, unknown>) : {};
  const accounts = typeof doc['accounts'] === 'object' && doc['accounts'] !== null ? (doc['accounts'] as Record<string, unknown>) : {};
  return {
    ...doc,
    window: { ...window, ...(o.from !== undefined ? { from: o.from } : {}), ...(o.to !== undefined ? { to: o.to } : {}) },
    ...(o.accounts !== undefined ? { accounts: { ...accounts, count: o.accounts } } : {}),
    ...(o.verify !== undefined ? { verify: o.verify } : {}),
    ...(o.split !== undefined ? { split: o.split } : {}),
  };
}

export function decodeBacktestConfig(doc: unknown, file: string): Result<BacktestConfig> {
  const parsed = decodeDocument(ConfigSchema, doc, file, 'a backtest config: a JSON object {"strategies": [...], "accounts": {...}, "profiles": [...], ...} (docs/backtest.md)');
  if (!parsed.ok) return parsed;
  const c = parsed.value;
  const at = (field: string) => ({ file, field });
  const issues: Issue[] = [];
  const universeFile = c.universe === undefined ? DEFAULT_UNIVERSE_FILE : resolve(dirname(file), c.universe);
  const universe = loadUniverse(universeFile);
  if (!universe.ok) return universe;
  const strategies: Strategy[] = c.strategies.map((s) => (typeof s === 'string' ? (DEFAULT_STRATEGIES.find((d) => d.id === s) as Strategy) : s));
  const ids = strategies.map((s) => s.id);
  if (new Set(ids).size !== ids.length) issues.push(issue('DUPLICATE_ID', 'strategy ids must be unique', at('strategies')));
  if (strategies[0]?.trigger.kind !== 'off') issues.push(issue('BAD_VALUE', 'the first strategy is the baseline the others are compared with: it must not harvest ("none")', at('strategies[0]')));
  const focus = c.focusStrategy ?? ids[ids.length - 1] ?? '';
  if (!ids.includes(focus)) issues.push(issue('BAD_VALUE', `focusStrategy "${focus}" is not one of the strategies`, at('focusStrategy')));
  const population = populationOf(c.accounts, c.accounts.riskScores, c.profiles, file, issues);
  const from = c.window.from === undefined ? undefined : (parseDay(c.window.from) as Day);
  const to = c.window.to === undefined ? undefined : (parseDay(c.window.to) as Day);
  if (from !== undefined && to !== undefined && to <= from) issues.push(issue('OUT_OF_ORDER', 'the window ends before it starts', at('window.to')));
  const profiles = resolveProfiles(c.profiles, c.taxYear, file, issues);
  if (issues.length > 0 || profiles === undefined) return { ok: false, issues };
  const spec: BacktestSpec = {
    universe: universe.value,
    strategies,
    population,
    profiles,
    config: harvestConfig(c.harvester),
    feeRate: c.feeRate,
    taxFlows: c.taxFlows,
    discountRate: c.discountRate,
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    split: c.split === undefined ? DEFAULT_SPLIT : (parseDay(c.split) as Day),
    calibrate: c.calibrate,
    verify: c.verify,
    focusRisk: c.focusRiskScore,
    benchmark: symbol(c.benchmark.toUpperCase()),
    tuningThresholds: c.hindsightThresholds,
    focusStrategy: focus,
    totalReturnTrading: c.tradeTotalReturnSeries,
  };
  return { ok: true, value: { file, spec, focusStrategy: focus } };
}

const span = (a: number, b: number): number[] => Array.from({ length: Math.max(0, b - a + 1) }, (_, i) => a + i);

export function resolveProfiles(docs: readonly { id: string; weight: number }[], taxYear: number | undefined, file: string, issues: Issue[]): ProfileSituation[] | undefined {
  const out: ProfileSituation[] = [];
  const seen = new Set<string>();
  docs.forEach((doc, i) => {
    const field = `profiles[${i}]`;
    if (seen.has(doc.id)) issues.push(issue('DUPLICATE_ID', `duplicate profile id "${doc.id}"`, { file, field: `${field}.id` }));
    seen.add(doc.id);
    const rest = Object.fromEntries(Object.entries(doc).filter(([k]) => k !== 'id' && k !== 'weight'));
    const p = decodeProfileDocument({ ...(taxYear !== undefined ? { taxYear } : {}), ...rest }, file);
    if (!p.ok) {
      issues.push(...p.issues.map((x) => ({ ...x, at: { ...x.at, field: `${field}.${x.at.field ?? ''}` } })));
      return;
    }
    const federal = loadFederalTable(p.value.taxYear);
    const states = loadStateTable(p.value.taxYear);
    if (!federal.ok || !states.ok) {
      issues.push(issue('BAD_VALUE', `no tax tables for ${p.value.taxYear}`, { file, field: `${field}.taxYear` }));
      return;
    }
    const rates = marginalRates(federal.value, states.value, p.value.profile, { stateDeductible: p.value.stateDeductible });
    if (!rates.ok) {
      issues.push(...rates.issues.map((x) => ({ ...x, at: { ...x.at, file, field: `${field}.${x.at.field ?? ''}` } })));
      return;
    }
    out.push({ id: doc.id, label: doc.id, tax: { table: federal.value, profile: p.value.profile, rates: rates.value } });
  });
  return issues.length > 0 ? undefined : out;
}
