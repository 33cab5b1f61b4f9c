/**
 * A transition's path from files: the direct backtest's config, index and price directories
 * (prepareFromFiles), one account arriving with a concentrated position, run by the core
 * (transitionPath.ts) harvested daily and never. Problems come back as issues naming the field.
 */
import { parseDay, type Day } from '../../core/kernel/calendar.js';
import { issue, type Result } from '../../core/kernel/errors.js';
import type { Usd } from '../../core/kernel/exact.js';
import { symbol } from '../../core/ledger/household.js';
import { runTransition, type TransitionOutcome } from '../../core/direct/transitionPath.js';
import type { DirectBacktestConfig } from '../files/directBacktestConfig.js';
import { prepareFromFiles } from './directBacktestRun.js';

export interface DirectTransitionRequest {
  readonly indexDir: string;
  readonly pricesDir: string;
  readonly configFile?: string | undefined;
  /** YYYY-MM-DD: the arrival day; `to` defaults to the config's window end (else the data's). */
  readonly from: string;
  readonly to?: string | undefined;
  readonly names?: number | undefined;
  readonly symbol: string;
  readonly share: number;
  readonly basisFraction: number;
  /** YYYY-MM-DD; default three years before the arrival (long-term). */
  readonly acquired?: string | undefined;
  /** Dollars. */
  readonly value: number;
  readonly gainBudget: number;
  readonly targetTrackingError?: number | undefined;
  /** A profile id of the config; default its first. */
  readonly profile?: string | undefined;
}

export interface DirectTransitionOutcome {
  readonly config: DirectBacktestConfig;
  readonly outcome: TransitionOutcome;
  readonly profile: string;
  readonly seconds: number;
}

const bad = (message: string, field: string): Result<never> => ({ ok: false, issues: [issue('BAD_VALUE', message, { field })] });
const THREE_YEARS = 3 * 365 + 1;
const WINDOW: Readonly<Record<string, string>> = { 'accounts.vintages': 'from', 'window.from': 'from', 'window.to': 'to' };

export async function runDirectTransition(r: DirectTransitionRequest): Promise<Result<DirectTransitionOutcome>> {
  const t0 = performance.now();
  const from = parseDay(r.from) as Day;
  const ready = await prepareFromFiles(
    { indexDir: r.indexDir, pricesDir: r.pricesDir, configFile: r.configFile, overrides: { from: r.from, to: r.to, names: r.names } },
    // One account, for the preparation's checks; the arrival itself is built by the core.
    (c) => ({ ...c.population, count: 1, vintages: [Number(r.from.slice(0, 4))], startDay: 'first_trading_day' }),
  );
  // The one account the preparation drew arrives on --from: its window problems are the arrival's.
  if (!ready.ok) return { ok: false, issues: ready.issues.map((i) => (i.at.field !== undefined && WINDOW[i.at.field] !== undefined ? { ...i, at: { field: WINDOW[i.at.field] as string } } : i)) };
  const { config, prepared } = ready.value;
  const profile = r.profile === undefined ? 0 : config.profiles.findIndex((p) => p.id === r.profile);
  if (profile < 0) return bad(`unknown profile "${r.profile}"; the config has ${config.profiles.map((p) => p.id).join(', ')}`, 'profile');
  const acquired = r.acquired === undefined ? ((from - THREE_YEARS) as Day) : (parseDay(r.acquired) as Day);
  const outcome = runTransition(
    prepared,
    {
      symbol: symbol(r.symbol.toUpperCase()),
      share: r.share,
      basisFraction: r.basisFraction,
      acquired,
      value: Math.round(r.value * 100) as Usd,
      start: from,
      profile,
    },
    Math.round(r.gainBudget * 100) as Usd,
    r.targetTrackingError,
  );
  if (!outcome.ok) return outcome;
  return { ok: true, value: { config, outcome: outcome.value, profile: (config.profiles[profile] as { id: string }).id, seconds: (performance.now() - t0) / 1000 } };
}
