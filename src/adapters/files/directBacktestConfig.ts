/**
 * The direct-index backtest config (data/direct-backtest-default.json is the default and the
 * documented example, docs/direct-indexing.md): JSON validated with zod, unknown keys refused,
 * every problem named by file and JSON path. Command-line overrides (--from, --to, --accounts,
 * --names) are applied to the document before validation, so they are checked the same way.
 * Symbols and sectors are checked against the index directory by `checkAgainstIndex`.
 */
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { parseDay, type Day } from '../../core/kernel/calendar.js';
import { issue, type Issue, type Result } from '../../core/kernel/errors.js';
import type { Usd } from '../../core/kernel/exact.js';
import { symbol, type Symbol } from '../../core/ledger/household.js';
import type { HarvestConfig } from '../../core/harvest/config.js';
import { SLEEVE_TARGET } from '../../core/harvest/sleevePart.js';
import type { Targets } from '../../core/harvest/state.js';
import type { Population } from '../../core/backtest/accounts.js';
import type { ProfileSituation } from '../../core/backtest/simulation.js';
import type { Universe } from '../../core/securities/universe.js';
import type { ModelSettings } from '../../core/direct/directModels.js';
import { DEFAULT_DIRECT, type DirectConfig } from '../../core/direct/directSleeve.js';
import type { IndexUniverse } from '../../core/direct/indexUniverse.js';
import { POPULATION_FIELDS, populationOf, resolveProfiles } from './backtestConfig.js';
import { isoDay } from './fieldSchemas.js';
import { HarvestSchema, harvestConfig } from './harvestInput.js';
import { readJsonFile } from './inputText.js';
import { DEFAULT_UNIVERSE_FILE, loadUniverse } from './universeFile.js';
import { decodeDocument } from './zodInput.js';

export const DEFAULT_DIRECT_BACKTEST_CONFIG = fileURLToPath(new URL('../../../data/direct-backtest-default.json', import.meta.url));

const year = z.number().int().min(1990).max(2100);
const fraction = z.number().gt(0).max(1);

const DirectSchema = z.strictObject({
  names: z.number().int().min(2).optional(),
  maxWeight: fraction.default(0.05),
  maxSectorWeight: fraction.optional(),
  excludeSymbols: z.array(z.string().min(1)).default([]),
  excludeSectors: z.array(z.string().min(1)).default([]),
  trackingErrorBudget: fraction.default(0.01),
  halfSpreadBps: z.number().min(0).max(500).default(2),
  expectedReturn: z.number().min(-0.5).max(0.5).default(0.07),
  minTrade: z.number().positive().default(50),
  riskWindowDays: z.number().int().min(20).max(2_000).default(252),
  factors: z.number().int().min(1).max(100).default(15),
  reestimateMonths: z.number().int().min(1).max(12).default(1),
  solverTimeLimitSeconds: z.number().positive().max(600).default(5),
});

const ConfigSchema = z.strictObject({
  description: z.string().optional(),
  universe: z.string().optional(),
  window: z.strictObject({ from: isoDay.optional(), to: isoDay.optional() }).default({}),
  verify: z.boolean().default(true),
  benchmark: z.string().min(1).default('SPY'),
  accounts: z.strictObject({
    count: z.number().int().positive().max(100_000),
    ...POPULATION_FIELDS,
  }),
  profiles: z.array(z.looseObject({ id: z.string().min(1), weight: z.number().positive().default(1) })).min(1),
  direct: DirectSchema.default(DirectSchema.parse({})),
  etf: z.strictObject({ assetClass: z.string().min(1).default('us_stocks') }).default({ assetClass: 'us_stocks' }),
  targets: z.record(z.string(), z.number().min(0).max(1)).optional(),
  harvester: HarvestSchema.default({}),
  feeRate: z.number().min(0).max(0.05).default(0.0025),
  taxFlows: z.enum(['external', 'reinvest']).default('external'),
  discountRate: z.number().gt(-1).default(0.08),
  taxYear: year.optional(),
});

export interface DirectBacktestOverrides {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly accounts?: number | undefined;
  readonly names?: number | undefined;
}

export interface DirectBacktestConfig {
  readonly file: string;
  readonly universe: Universe;
  readonly etfClass: string;
  /** A mixed allocation: `direct_index` beside ETF classes, summing to 1 (absent: all direct index). */
  readonly targets?: Targets;
  readonly benchmark: Symbol;
  readonly population: Population;
  readonly profiles: readonly ProfileSituation[];
  readonly config: HarvestConfig;
  readonly feeRate: number;
  readonly taxFlows: 'external' | 'reinvest';
  readonly discountRate: number;
  readonly from?: Day;
  readonly to?: Day;
  readonly direct: DirectConfig;
  readonly model: ModelSettings;
  readonly verify: boolean;
  readonly solverTimeLimitSeconds: number;
  /** As written (upper case), for the check against the index. */
  readonly excludeSymbols: readonly string[];
  readonly excludeSectors: readonly string[];
}

export function loadDirectBacktestConfig(file: string = DEFAULT_DIRECT_BACKTEST_CONFIG, overrides: DirectBacktestOverrides = {}): Result<DirectBacktestConfig> {
  const raw = readJsonFile(file);
  if (!raw.ok) return raw;
  const doc = raw.value;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return decodeDirectBacktestConfig(doc, file);
  return decodeDirectBacktestConfig(withOverrides(doc as Record<string, unknown>, overrides), file);
}

const objectAt = (doc: Record<string, unknown>, key: string): Record<string, unknown> => {
  const v = doc[key];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
};

function withOverrides(doc: Record<string, unknown>, o: DirectBacktestOverrides): Record<string, unknown> {
  return {
    ...doc,
    window: { ...objectAt(doc, 'window'), ...(o.from !== undefined ? { from: o.from } : {}), ...(o.to !== undefined ? { to: o.to } : {}) },
    ...(o.accounts !== undefined ? { accounts: { ...objectAt(doc, 'accounts'), count: o.accounts } } : {}),
    ...(o.names !== undefined ? { direct: { ...objectAt(doc, 'direct'), names: o.names } } : {}),
  };
}

export function decodeDirectBacktestConfig(doc: unknown, file: string): Result<DirectBacktestConfig> {
  const parsed = decodeDocument(ConfigSchema, doc, file, 'a direct-index backtest config: a JSON object {"accounts": {...}, "profiles": [...], "direct": {...}, ...} (docs/direct-indexing.md)');
  if (!parsed.ok) return parsed;
  const c = parsed.value;
  const at = (field: string) => ({ file, field });
  const issues: Issue[] = [];
  const universe = loadUniverse(c.universe === undefined ? DEFAULT_UNIVERSE_FILE : resolve(dirname(file), c.universe));
  if (!universe.ok) return universe;
  if (!universe.value.classes.some((x) => x.id === c.etf.assetClass)) {
    issues.push(issue('BAD_VALUE', `no asset class "${c.etf.assetClass}" in the universe; known: ${universe.value.classes.map((x) => x.id).join(', ')}`, at('etf.assetClass')));
  }
  const targets = c.targets === undefined ? undefined : new Map(Object.entries(c.targets));
  if (targets !== undefined) issues.push(...targetProblems(targets, universe.value, file));
  const population = populationOf(c.accounts, [10], c.profiles, file, issues);
  const from = c.window.from === undefined ? undefined : (parseDay(c.window.from) as Day);
  const to = c.window.to === undefined ? undefined : (parseDay(c.window.to) as Day);
  if (from !== undefined && to !== undefined && to <= from) issues.push(issue('OUT_OF_ORDER', 'the window ends before it starts', at('window.to')));
  const d = c.direct;
  if (d.names !== undefined && d.names * d.maxWeight < 1) {
    issues.push(issue('BAD_VALUE', `infeasible bounds: ${d.names} names of at most ${(d.maxWeight * 100).toFixed(2)} % each hold ${(d.names * d.maxWeight * 100).toFixed(2)} %, less than 100 %`, at('direct.maxWeight')));
  }
  const profiles = resolveProfiles(c.profiles, c.taxYear, file, issues);
  if (issues.length > 0 || profiles === undefined) return { ok: false, issues };
  const construction = {
    maxWeight: d.maxWeight,
    ...(d.maxSectorWeight !== undefined ? { maxSectorWeight: d.maxSectorWeight } : {}),
    excludeSymbols: d.excludeSymbols.map((s) => symbol(s.toUpperCase())),
    excludeSectors: d.excludeSectors,
  };
  const direct: DirectConfig = {
    ...DEFAULT_DIRECT,
    construction,
    trackingErrorBudget: d.trackingErrorBudget,
    halfSpreadBps: d.halfSpreadBps,
    expectedReturn: d.expectedReturn,
    minTrade: Math.round(d.minTrade * 100) as Usd,
  };
  return {
    ok: true,
    value: {
      file,
      universe: universe.value,
      etfClass: c.etf.assetClass,
      ...(targets !== undefined ? { targets } : {}),
      benchmark: symbol(c.benchmark.toUpperCase()),
      population,
      profiles,
      config: harvestConfig(c.harvester),
      feeRate: c.feeRate,
      taxFlows: c.taxFlows,
      discountRate: c.discountRate,
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      direct,
      model: { window: d.riskWindowDays, factors: d.factors, everyMonths: d.reestimateMonths, construction: { ...construction, ...(d.names !== undefined ? { names: d.names } : {}) } },
      verify: c.verify,
      solverTimeLimitSeconds: d.solverTimeLimitSeconds,
      excludeSymbols: d.excludeSymbols.map((s) => s.toUpperCase()),
      excludeSectors: d.excludeSectors,
    },
  };
}

/** A mixed allocation sums to 1, weighs the direct index, and names only the universe's classes beside it. */
function targetProblems(targets: Targets, universe: Universe, file: string): Issue[] {
  const issues: Issue[] = [];
  const sum = [...targets.values()].reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-6) issues.push(issue('BAD_VALUE', `the weights must sum to 1 (got ${sum})`, { file, field: 'targets' }));
  if ((targets.get(SLEEVE_TARGET) ?? 0) <= 0) issues.push(issue('MISSING_FIELD', `a mixed allocation weighs the direct index as "${SLEEVE_TARGET}" beside the ETF classes, e.g. {"${SLEEVE_TARGET}": 0.7, "us_bonds": 0.3}`, { file, field: `targets.${SLEEVE_TARGET}` }));
  for (const id of targets.keys()) {
    if (id !== SLEEVE_TARGET && !universe.classes.some((x) => x.id === id)) issues.push(issue('BAD_VALUE', `no asset class "${id}" in the universe; known: ${universe.classes.map((x) => x.id).join(', ')}`, { file, field: `targets.${id}` }));
  }
  return issues;
}

/** Excluded tickers and sectors must exist in the index directory: a typo would exclude nothing. */
export function checkAgainstIndex(c: DirectBacktestConfig, index: IndexUniverse): Issue[] {
  const issues: Issue[] = [];
  c.excludeSymbols.forEach((s, i) => {
    if (!index.intervals.has(symbol(s))) issues.push(issue('UNKNOWN_SECURITY', `unknown ticker ${s}: never a member of the index`, { file: c.file, field: `direct.excludeSymbols[${i}]` }));
  });
  const sectors = new Set([...index.sectors.values()].map((x) => x.sector));
  c.excludeSectors.forEach((s, i) => {
    if (!sectors.has(s)) issues.push(issue('BAD_VALUE', `unknown sector "${s}"; known: ${[...sectors].sort().join(', ')}`, { file: c.file, field: `direct.excludeSectors[${i}]` }));
  });
  return issues;
}

