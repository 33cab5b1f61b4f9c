/** The transition's path (`lotsmith direct transition`): a table per run, and the JSON. */
import { formatDay } from '../../core/kernel/calendar.js';
import type { TransitionOutcome, TransitionPath } from '../../core/direct/transitionPath.js';
import { json, table } from './text.js';

const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
const usd = (cents: number): string => `${cents < 0 ? '-' : ''}$${Math.round(Math.abs(cents) / 100).toLocaleString('en-US')}`;

function pathTable(p: TransitionPath): string {
  const rows = p.years.map((y) => [
    String(y.year),
    pct(y.weight),
    pct(y.exAnteTrackingError),
    pct(y.realizedTrackingError),
    usd(y.gains),
    usd(y.losses),
    usd(y.harvested),
    usd(y.netRealized),
    usd(y.transitionGain),
    usd(y.tax),
    pct(y.budgetUsed),
    usd(y.beyondBudget),
  ]);
  return table(['year', 'weight at end', 'ex-ante TE', 'realized TE', 'gains', 'losses', 'harvested', 'net realized', 'transition gain', 'tax', 'budget used', 'beyond budget'], rows, 1);
}

/** Why a year passed the budget: the fee's sales on days without room (paid all the same), stocks whose prices stopped. */
function beyondText(p: TransitionPath): string {
  const over = p.years.filter((y) => y.beyondBudget > 0);
  if (over.length === 0) return '';
  const parts = over.map((y) => {
    const stopped = y.beyondBudget - Math.min(y.beyondBudget, y.withdrawalOverrun);
    return `${y.year} ${usd(y.beyondBudget)} (${usd(Math.min(y.beyondBudget, y.withdrawalOverrun))} by the fee's or withdrawals' sales when no room was left${stopped > 0 ? `, ${usd(stopped)} by stocks sold when their prices stopped` : ''})`;
  });
  return `\nbeyond the budget: ${parts.join('; ')} — a client's cash is never refused`;
}

export function transitionText(o: TransitionOutcome, facts: { readonly profile: string; readonly names?: number | undefined; readonly seconds: number }): string {
  const head =
    `Transition of ${o.shares.toLocaleString('en-US')} ${o.symbol} shares from ${formatDay(o.from)} through ${formatDay(o.to)}; ` +
    `yearly net realized-gain budget ${usd(o.budget)}; profile ${facts.profile}${facts.names !== undefined ? `; ${facts.names} names` : ''}\n`;
  const parts = o.paths.map((p) => {
    const title = p.harvest ? 'harvested daily (cost-benefit)' : 'never harvested';
    const check = `${p.reports.length} transition days; wash sales in the ledger's re-booking: ${p.washSales}${p.mismatches.length > 0 ? `; ${p.mismatches.length} differences` : ''}`;
    return `\n${o.symbol}, ${title}\n${pathTable(p)}\n${check}${beyondText(p)}\n`;
  });
  return `${head}${parts.join('')}(${facts.seconds.toFixed(1)} s)\n`;
}

export function transitionJson(o: TransitionOutcome, facts: Record<string, unknown>): string {
  const { spec: _spec, paths, ...rest } = o;
  return json({ ...rest, paths: paths.map(({ reports, ...p }) => ({ ...p, transitionDays: reports.length })), run: facts });
}
