import { describe, expect, it } from 'vitest';
import { progressFraction, strategyYields } from './backtestReport.js';

describe('backtest report figures', () => {
  it('averages each strategy\'s yield over the risk rows, hindsight last', () => {
    const rows = strategyYields({
      strategies: [{ id: 'none', label: 'No harvesting' }, { id: 'daily', label: 'Daily' }],
      metrics: { averages: [{ risk: 2, accounts: 3, yields: { none: 0, daily: 0.01, hindsight: 0.03 } }, { risk: 8, accounts: 5, yields: { none: 0, daily: 0.02, hindsight: 0.05 } }] },
    });
    expect(rows.map((r) => [r.id, r.meanYield])).toEqual([['none', 0], ['daily', 0.015], ['hindsight', 0.04]]);
    expect(strategyYields({ strategies: [{ id: 'x', label: 'X' }] })[0]?.meanYield).toBeNull();
  });

  it('reads progress as a fraction, a percent or done of total', () => {
    expect(progressFraction(0.25)).toBe(0.25);
    expect(progressFraction(40)).toBe(0.4);
    expect(progressFraction({ done: 3, total: 4 })).toBe(0.75);
    expect(progressFraction({ done: 0, total: 0 })).toBeNull();
    expect(progressFraction(null)).toBeNull();
  });
});
