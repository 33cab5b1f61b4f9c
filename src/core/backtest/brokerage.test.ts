/**
 * The simulated account's execution rules: fills a half spread from the close, specific lots,
 * purchases scaled down when the sales fetched less than planned, dividends on shares held,
 * fees from cash only.
 */
import { describe, expect, it } from 'vitest';
import { day } from '../harvest/testHousehold.test-util.js';
import { price, shares, usd, type Usd } from '../kernel/exact.js';
import { accountId, symbol } from '../ledger/household.js';
import type { Order } from '../harvest/orders.js';
import { Brokerage, fillPrice } from './brokerage.js';

const VTI = symbol('VTI');
const SCHB = symbol('SCHB');
const account = { id: accountId('a'), type: 'taxable' as const, owner: 'self' as const };
const broker = () => new Brokerage(account, 'e', { halfSpreadPpm: () => 500, commission: 0 as Usd }, true);

const buy = (s: typeof VTI, amount: string, close: string): Order => ({ side: 'buy', account: account.id, symbol: s, shares: shares(1), amount: usd(amount), price: price(close), rule: 'invest_cash' });

describe('execution', () => {
  it('fills a sale at the close less half the spread and a purchase at the close plus it', () => {
    expect(fillPrice(price('100'), 500, 'sell')).toBe(price('99.95'));
    expect(fillPrice(price('100'), 500, 'buy')).toBe(price('100.05'));
  });

  it('buys whole micro-shares for at most the dollars named, at the ask', () => {
    const b = broker();
    b.deposit(day('2024-01-02'), usd('10000'));
    b.execute(day('2024-01-02'), [buy(VTI, '10000', '100')], 0 as Usd);
    // 99.950025 shares at 100.05 cost 9,999.999... = $10,000.00 to the cent: every dollar spent.
    expect(b.lots[0]?.shares).toBe(shares('99.950025'));
    expect(b.lots[0]?.basis).toBe(usd('10000'));
    expect(b.cash).toBe(0);
  });

  it('sells the named lots, realizes the loss by term, and scales the day\'s purchases to the cash it raised', () => {
    const b = broker();
    b.deposit(day('2024-01-02'), usd('10000'));
    b.execute(day('2024-01-02'), [buy(VTI, '10000', '100')], 0 as Usd);
    const lot = b.lots[0]!;
    const sale: Order = { side: 'sell', account: account.id, symbol: VTI, shares: lot.shares, lots: [{ lotId: lot.id, shares: lot.shares }], price: price('90'), rule: 'harvest' };
    // Planned at the close (100 shares' worth at $90 = $9,000); the sale fetched $8,995.50 at the bid.
    const r = b.execute(day('2024-03-04'), [sale, buy(SCHB, '9000', '25')], 0 as Usd);
    expect(r.harvestedShort).toBe(lot.basis - Math.round((lot.shares * 89.955) / 1e4));
    expect(r.shortTerm).toBe(-r.harvestedShort);
    expect(b.cash).toBeGreaterThanOrEqual(0);
    expect(b.lots.map((l) => l.symbol)).toEqual([SCHB]);
    expect(b.trades.filter((t) => t.side === 'sell').map((t) => t.lossSale)).toEqual([true]);
  });

  it('pays a dividend on the shares held, to the cent, and takes a fee only from cash', () => {
    const b = broker();
    b.deposit(day('2024-01-02'), usd('1000'));
    b.execute(day('2024-01-02'), [buy(VTI, '1000', '100')], 0 as Usd);
    // 9.995002 shares x $0.9012 = $9.0075 -> $9.01.
    expect(b.payDividend(day('2024-03-20'), VTI, 0.9012)).toBe(usd('9.01'));
    expect(b.payDividend(day('2024-03-20'), SCHB, 0.5)).toBe(0);
    const cash = b.cash;
    expect(b.charge(day('2024-04-01'), usd('50'), 'fee')).toBe(cash);
    expect(b.cash).toBe(0);
    expect(b.events.at(-1)).toMatchObject({ kind: 'fee', amount: cash });
  });
});
