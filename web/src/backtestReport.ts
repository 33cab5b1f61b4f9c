/** Figures of a backtest report (results.json, docs/backtest-outputs.md) the Backtests page shows. */

export interface BacktestReportJson {
  readonly generatedAt?: string;
  readonly window?: { readonly from: string; readonly to: string; readonly tradingDays: number; readonly split: string };
  readonly accounts?: number;
  readonly accountDays?: number;
  readonly focusStrategy?: string;
  readonly strategies?: readonly { readonly id: string; readonly label: string }[];
  readonly metrics?: { readonly averages?: readonly { readonly risk: number; readonly accounts: number; readonly yields: Readonly<Record<string, number>> }[] };
}

export interface StrategyYield {
  readonly id: string;
  readonly label: string;
  /** Mean over risk scores of the cross-vintage average Harvesting Yield (a fraction), null without rows. */
  readonly meanYield: number | null;
}

/** One row per strategy, plus hindsight when the report has it: the mean of Table 5's AVG column. */
export function strategyYields(r: BacktestReportJson): StrategyYield[] {
  const rows = r.metrics?.averages ?? [];
  const ids = [...(r.strategies ?? []).map((s) => ({ id: s.id, label: s.label }))];
  if (rows.some((x) => x.yields.hindsight !== undefined)) ids.push({ id: 'hindsight', label: 'Hindsight (upper bound)' });
  return ids.map(({ id, label }) => {
    const values = rows.map((x) => x.yields[id]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    return { id, label, meanYield: values.length > 0 ? values.reduce((s, v) => s + v, 0) / values.length : null };
  });
}

/** Progress as a fraction, from the shapes a job may report (a fraction, a percent or done/total). */
export function progressFraction(p: number | { readonly done: number; readonly total: number } | null | undefined): number | null {
  if (p === null || p === undefined) return null;
  if (typeof p === 'number') return p > 1 ? Math.min(1, p / 100) : Math.max(0, p);
  return p.total > 0 ? Math.min(1, p.done / p.total) : null;
}
