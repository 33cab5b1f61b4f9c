/**
 * The harvesting strategies a backtest compares. Each is the daily policy (`decide`) with a
 * trigger and a schedule — nothing else differs: cash flows, rebalancing, the wash guard and the
 * alternates are the same code on the same accounts.
 *
 *  - none: never harvests (cash flows and rebalancing only). The baseline, and the "primary-only"
 *    portfolio tracking difference is measured against.
 *  - year_end: one pass a year, on the first trading day on or after December 15 (the traditional
 *    year-end review); any loss whose tax benefit beats the trading costs.
 *  - monthly: the same rule on the first trading day of every month.
 *  - daily_N: every day, any loss of at least N % of the lot's basis whose benefit beats the
 *    trading costs (the fixed-threshold rule many services use).
 *  - daily_cost_benefit: every day, the harvester's default rule (benefit beats spread and the
 *    opportunity cost of waiting; docs/harvester.md).
 *
 * On a day a strategy does not harvest, the policy still runs with the trigger off, so deposits,
 * dividends, fees and rebalancing are handled the same way under every strategy.
 */
import type { HarvestTrigger } from '../harvest/config.js';
import type { CalendarFields } from './marketData.js';

export type Schedule = 'never' | 'daily' | 'monthly' | 'year_end';

export interface Strategy {
  readonly id: string;
  readonly label: string;
  readonly trigger: HarvestTrigger;
  readonly schedule: Schedule;
}

const ANY_LOSS: HarvestTrigger = { kind: 'loss_at_least', fraction: 0 };

export const DEFAULT_STRATEGIES: readonly Strategy[] = [
  { id: 'none', label: 'No harvesting', trigger: { kind: 'off' }, schedule: 'never' },
  { id: 'year_end', label: 'Year-end (Dec 15)', trigger: ANY_LOSS, schedule: 'year_end' },
  { id: 'monthly', label: 'Monthly', trigger: ANY_LOSS, schedule: 'monthly' },
  { id: 'daily_2pct', label: 'Daily, loss ≥ 2 %', trigger: { kind: 'loss_at_least', fraction: 0.02 }, schedule: 'daily' },
  { id: 'daily_5pct', label: 'Daily, loss ≥ 5 %', trigger: { kind: 'loss_at_least', fraction: 0.05 }, schedule: 'daily' },
  { id: 'daily_10pct', label: 'Daily, loss ≥ 10 %', trigger: { kind: 'loss_at_least', fraction: 0.1 }, schedule: 'daily' },
  { id: 'daily_cost_benefit', label: 'Daily, cost-benefit (default)', trigger: { kind: 'cost_benefit' }, schedule: 'daily' },
];

/** The baseline every strategy is compared with. */
export const BASELINE = 'none';

/** December day from which the year-end pass runs. */
export const YEAR_END_DAY = 15;

/** 1 on the calendar days the schedule harvests, else 0. */
export function harvestDays(schedule: Schedule, cal: CalendarFields): Uint8Array {
  const n = cal.year.length;
  const out = new Uint8Array(n);
  if (schedule === 'daily') out.fill(1);
  if (schedule === 'monthly') out.set(cal.monthStart);
  if (schedule === 'year_end') {
    let done = -1;
    for (let t = 0; t < n; t++) {
      if (cal.month[t] === 12 && (cal.day[t] as number) >= YEAR_END_DAY && cal.year[t] !== done) {
        out[t] = 1;
        done = cal.year[t] as number;
      }
    }
  }
  return out;
}

/** The hindsight yardstick from below: daily fixed-threshold rules whose best per account is chosen with hindsight. */
export const DEFAULT_TUNING_THRESHOLDS: readonly number[] = [0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15];

/** A daily rule harvesting losses of at least `fraction` of the basis. */
export function thresholdStrategy(fraction: number): Strategy {
  return { id: `tuning_${fraction}`, label: `Daily, loss ≥ ${fraction * 100} %`, trigger: { kind: 'loss_at_least', fraction }, schedule: 'daily' };
}

/** The strategy among `strategies` that is the daily rule at `fraction`, if any. */
export function dailyThreshold(strategies: readonly Strategy[], fraction: number): number {
  return strategies.findIndex((s) => s.schedule === 'daily' && s.trigger.kind === 'loss_at_least' && s.trigger.fraction === fraction);
}
