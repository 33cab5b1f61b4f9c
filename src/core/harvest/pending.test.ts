/**
 * Approved orders not yet filled are part of the state (pending.ts): a pending buy blocks loss
 * sales of its class today, a pending loss sale blocks purchases of its class, reserved lots are
 * not sold twice, and reserved cash is not invested twice.
 */
import { describe, expect, it } from 'vitest';
import { shares, usd } from '../kernel/exact.js';
import { accountId, symbol } from '../ledger/household.js';
import { withPendingOrders } from './pending.js';
import { decide } from './policy.js';
import { UNIVERSE, day, market, testState } from './testHousehold.test-util.js';

const PRICES = { VTI: 270, SCHB: 24, ITOT: 120, VEA: 50, SCHF: 38, IEFA: 75, BND: 72, AGG: 98, VCIT: 80 };
const DATE = '2025-04-08';
const run = (state: ReturnType<typeof testState>) => decide(day(DATE), state, market(DATE, PRICES), { universe: UNIVERSE });

describe('pending orders', () => {
  const base = testState({ text: 'accounts: joint=taxable ira=traditional_ira\ne1 2025-01-02 joint buy VTI 100 @ 300', date: DATE });

  it('without any, the VTI lot at a 10 % loss is harvested', () => {
    expect(run(base).candidates[0]).toMatchObject({ verdict: 'harvest' });
  });

  it('a pending buy of VTI in the IRA blocks the harvest: its fill would wash the loss', () => {
    const state = withPendingOrders(base, [{ side: 'buy', account: accountId('ira'), symbol: symbol('VTI'), shares: shares('5'), amount: usd('1350') }], day(DATE));
    const p = run(state);
    expect(p.candidates[0]).toMatchObject({ verdict: 'bought_today' });
    expect(p.orders.filter((o) => o.rule === 'harvest')).toEqual([]);
  });

  it('a pending sale reserves its lots: they are not proposed for sale again', () => {
    const state = withPendingOrders(base, [{ side: 'sell', account: accountId('joint'), symbol: symbol('VTI'), shares: shares('100'), lots: [{ lotId: 'e1', shares: shares('100') }], lossSale: true }], day(DATE));
    expect(state.lots).toEqual([]);
    expect(run(state).orders).toEqual([]);
  });

  it('a partly reserved lot keeps its unreserved shares, with their part of the basis', () => {
    const state = withPendingOrders(base, [{ side: 'sell', account: accountId('joint'), symbol: symbol('VTI'), shares: shares('40'), lots: [{ lotId: 'e1', shares: shares('40') }], lossSale: true }], day(DATE));
    expect(state.lots.map((l) => [l.id, l.shares, l.basis])).toEqual([['e1', 60_000_000, 1_800_000]]);
  });

  it('a pending loss sale of SCHB in another account blocks buying SCHB: the replacement goes to ITOT', () => {
    const withSpouse = testState({ text: 'accounts: joint=taxable spouse=taxable:spouse\ne1 2025-01-02 joint buy VTI 100 @ 300\ne2 2025-01-02 spouse buy SCHB 10 @ 28', date: DATE });
    const state = withPendingOrders(withSpouse, [{ side: 'sell', account: accountId('spouse'), symbol: symbol('SCHB'), shares: shares('10'), lots: [{ lotId: 'e2', shares: shares('10') }], lossSale: true }], day(DATE));
    const buys = run(state).orders.filter((o) => o.side === 'buy').map((o) => o.symbol);
    expect(buys).not.toContain('SCHB');
  });

  it('cash a pending buy will spend is not invested again', () => {
    const funded = testState({ text: 'accounts: joint=taxable\ne1 2025-04-01 joint deposit 10000', date: DATE, targets: { joint: { us_stocks: 1 } } });
    expect(run(funded).orders.length).toBeGreaterThan(0);
    const state = withPendingOrders(funded, [{ side: 'buy', account: accountId('joint'), symbol: symbol('VTI'), shares: shares('37'), amount: usd('10000') }], day(DATE));
    expect(state.cash.get(accountId('joint'))).toBe(0);
    expect(run(state).orders).toEqual([]);
  });
});
