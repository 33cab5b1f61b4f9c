/**
 * The daily policy, rule by rule (docs/harvester.md): each scenario is a household in the ledger
 * notation, the day's closes, and what `decide` must propose — or refuse, and why.
 */
import { describe, expect, it } from 'vitest';
import { format } from '../kernel/exact.js';
import { decide } from './policy.js';
import type { Order } from './orders.js';
import { UNIVERSE, market, testState, type TestHousehold } from './testHousehold.test-util.js';

const context = { universe: UNIVERSE };

function proposals(h: TestHousehold, closes: Record<string, number>) {
  const state = testState(h);
  return decide(market(h.date, closes).date, state, market(h.date, closes), context);
}

const orderText = (o: Order): string =>
  o.side === 'sell'
    ? `sell ${o.account} ${o.symbol} ${format('shares', o.shares)} [${o.lots.map((l) => l.lotId).join(',')}] ${o.rule}`
    : `buy ${o.account} ${o.symbol} $${format('usd', o.amount)} ${o.rule}`;

const PRICES = { VTI: 270, SCHB: 24, ITOT: 120, VEA: 50, SCHF: 38, IEFA: 75, BND: 72, AGG: 98, VCIT: 80 };

describe('harvesting', () => {
  it('harvests a lot at a 10 % loss into the first alternate, same dollars, same account', () => {
    const p = proposals({ text: 'accounts: joint=taxable\ne1 2025-01-02 joint buy VTI 100 @ 300', date: '2025-04-08' }, PRICES);
    expect(p.orders.map(orderText)).toEqual(['sell joint VTI 100 [e1] harvest', 'buy joint SCHB $27000.00 harvest_replacement']);
    expect(p.candidates[0]).toMatchObject({ verdict: 'harvest', replacement: 'SCHB', term: 'short' });
    expect(p.candidates[0]?.economics?.loss).toBe(300_000);
    expect(p.harvestBenefit).toBeGreaterThan(0);
  });

  it('leaves a small loss alone when waiting is worth more (opportunity cost)', () => {
    const p = proposals({ text: 'accounts: joint=taxable\ne1 2025-01-02 joint buy VTI 100 @ 300', date: '2025-04-08' }, { ...PRICES, VTI: 298 });
    expect(p.orders).toEqual([]);
    expect(p.candidates[0]).toMatchObject({ verdict: 'costs_exceed_benefit' });
    expect(p.candidates[0]?.why).toMatch(/opportunity \$\d/);
  });

  it('skips a loss below the minimum', () => {
    const p = proposals({ text: 'accounts: joint=taxable\ne1 2025-01-02 joint buy VTI 0.5 @ 300', date: '2025-04-08' }, PRICES);
    expect(p.candidates[0]).toMatchObject({ verdict: 'below_minimum' });
    expect(p.candidates[0]?.why).toBe('loss $15.00 is below the $25.00 minimum');
  });

  it('skips a loss that a purchase in the IRA 10 days ago would wash (buy-buy-sell), and says which', () => {
    const p = proposals(
      { text: 'accounts: joint=taxable ira=traditional_ira\ne1 2025-01-02 joint buy VTI 100 @ 300\ne2 2025-03-29 ira buy VTI 10 @ 280', date: '2025-04-08' },
      PRICES,
    );
    expect(p.candidates[0]).toMatchObject({ verdict: 'recent_purchase_would_wash' });
    expect(p.candidates[0]?.why).toMatch(/bought 2025-03-29 in ira \(lot e2\)/);
    expect(p.orders.filter((o) => o.rule === 'harvest')).toEqual([]);
  });

  it('never buys an alternate the household sold at a loss in the last 30 days: SCHB blocked, ITOT bought', () => {
    const p = proposals(
      {
        text: 'accounts: joint=taxable spouse=taxable:spouse\ne1 2025-01-02 joint buy VTI 100 @ 300\ne2 2025-01-02 spouse buy SCHB 100 @ 28\ne3 2025-03-20 spouse sell SCHB 100 @ 25',
        date: '2025-04-08',
      },
      { ...PRICES, VTI: 240 },
    );
    expect(p.orders.map(orderText)).toEqual(['sell joint VTI 100 [e1] harvest', 'buy joint ITOT $24000.00 harvest_replacement']);
  });

  it('counts the lock-out as an opportunity cost: with one usable alternate a harvest is always worth less than with two', () => {
    const text = 'accounts: joint=taxable\ne1 2025-01-02 joint buy XLE 100 @ 100';
    // Energy: XLE, VDE and IYE. With no IYE price, VDE is the only alternate: after a harvest the
    // replacement cannot be harvested for 30 days, so harvesting now is worth less.
    for (const xle of [97, 95, 90, 85, 80, 70]) {
      const net = (prices: Record<string, number>): number => proposals({ text, date: '2025-04-08' }, prices).candidates[0]?.economics?.net ?? NaN;
      expect(net({ XLE: xle, VDE: 120 })).toBeLessThan(net({ XLE: xle, VDE: 120, IYE: 45 }));
    }
    expect(proposals({ text, date: '2025-04-08' }, { XLE: 97, VDE: 120 }).candidates[0]?.verdict).toBe('costs_exceed_benefit');
    expect(proposals({ text, date: '2025-04-08' }, { XLE: 80, VDE: 120 }).candidates[0]?.verdict).toBe('harvest');
  });

  it('harvests an alternate at a loss into the next alternate (primary locked for 30 days)', () => {
    const p = proposals(
      {
        text: 'accounts: joint=taxable\ne1 2025-01-02 joint buy VTI 100 @ 300\ne2 2025-03-20 joint sell VTI 100 @ 285\ne3 2025-03-20 joint buy SCHB 1000 @ 28.5',
        date: '2025-04-08',
      },
      { ...PRICES, SCHB: 21 },
    );
    expect(p.orders.map(orderText)).toEqual(['sell joint SCHB 1000 [e3] harvest', 'buy joint ITOT $21000.00 harvest_replacement']);
  });

  it('reports no alternate when every alternate is blocked', () => {
    const p = proposals(
      {
        text: 'accounts: joint=taxable\ne1 2025-01-02 joint buy VTI 100 @ 300\ne2 2025-01-02 joint buy SCHB 10 @ 30\ne3 2025-01-02 joint buy ITOT 10 @ 130\ne4 2025-03-20 joint sell SCHB 10 @ 25\ne5 2025-03-21 joint sell ITOT 10 @ 121',
        date: '2025-04-08',
      },
      PRICES,
    );
    expect(p.candidates.find((c) => c.symbol === 'VTI')).toMatchObject({ verdict: 'no_alternate' });
    expect(p.candidates.find((c) => c.symbol === 'VTI')?.why).toMatch(/SCHB: sold at a loss 2025-03-20 in joint; ITOT: sold at a loss 2025-03-21 in joint/);
  });
});

describe('cash flows', () => {
  it('invests an IRA deposit in an alternate when the primary was harvested today in the taxable account', () => {
    const p = proposals(
      {
        text: 'accounts: joint=taxable ira=traditional_ira\ne1 2025-01-02 joint buy VTI 100 @ 300\ne2 2025-04-07 ira deposit 10000',
        date: '2025-04-08',
        targets: { ira: { us_stocks: 1 } },
      },
      PRICES,
    );
    const iraBuys = p.orders.filter((o) => o.account === 'ira').map(orderText);
    expect(iraBuys).toEqual(['buy ira ITOT $10000.00 invest_cash']);
  });

  it('raises a withdrawal from losses first, then long-term lots with the least gain', () => {
    const p = proposals(
      {
        text: 'accounts: joint=taxable\ne0 2023-01-03 joint deposit 15800\ne1 2023-01-03 joint buy BND 100 @ 60\ne2 2023-01-03 joint buy AGG 100 @ 97\ne3 2025-02-03 joint deposit 5100\ne4 2025-02-03 joint buy VEA 100 @ 51',
        date: '2025-04-08',
        withdrawals: { joint: '6000' },
      },
      { ...PRICES, VEA: 50.5 },
    );
    expect(p.orders.filter((o) => o.side === 'sell').map(orderText)).toEqual(['sell joint VEA 100 [e4] withdrawal', 'sell joint AGG 8.67347 [e2] withdrawal']);
    expect(p.notes).toContain('withdrawal of $6000.00 from joint');
  });

  it('rebalances a portfolio drifted beyond the band, selling the overweight class', () => {
    const p = proposals(
      {
        text: 'accounts: ira=traditional_ira\ne0 2024-01-02 ira deposit 20720\ne1 2024-01-02 ira buy VTI 100 @ 200\ne2 2024-01-02 ira buy BND 10 @ 72',
        date: '2025-04-08',
        targets: { ira: { us_stocks: 0.6, us_bonds: 0.4 } },
      },
      PRICES,
    );
    expect(p.orders.map((o) => `${o.side} ${o.symbol} ${o.rule}`)).toEqual(['sell VTI rebalance', 'buy BND invest_cash']);
    expect(p.notes.join('\n')).toMatch(/rebalance ira: largest drift/);
  });
});

describe('switching back', () => {
  it('sells an alternate held 31 days at no gain and buys the primary back', () => {
    const p = proposals(
      {
        text: 'accounts: joint=taxable\ne0 2025-01-02 joint deposit 30000\ne1 2025-01-02 joint buy VTI 100 @ 300\ne2 2025-03-01 joint sell VTI 100 @ 280\ne3 2025-03-01 joint buy SCHB 1000 @ 24',
        date: '2025-04-08',
      },
      PRICES,
    );
    expect(p.orders.map(orderText)).toEqual(['sell joint SCHB 1000 [e3] switch_back', 'buy joint VTI $24000.00 switch_back']);
  });

  it('never "switches back" between funds on one index (TIP to SCHP before 2023-01-31): found by the backtest, a wash sale', () => {
    const h = { text: 'accounts: joint=taxable\ne0 2016-06-01 joint deposit 20000\ne1 2016-06-01 joint buy TIP 100 @ 114', date: '2016-12-20' };
    expect(proposals(h, { SCHP: 27, TIP: 114 }).orders).toEqual([]);
    const after = proposals({ ...h, text: h.text.replaceAll('2016', '2023'), date: '2023-12-20' }, { SCHP: 27, TIP: 114 });
    expect(after.orders.map(orderText)).toEqual(['sell joint TIP 100 [e1] switch_back', 'buy joint SCHP $11400.00 switch_back']);
  });
});
