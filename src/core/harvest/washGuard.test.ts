/**
 * The harvester's wash guard, rule by rule (IRC §1091 as Pub 550, "Wash Sales", states it, across
 * every account of the household; docs/harvester.md). Each scenario is a household booked through
 * its decision date in the ledger notation, and the question the harvester asks the guard: may it
 * sell these lots at a loss today, may it buy this fund today, and when will the fund be free.
 */
import { describe, expect, it } from 'vitest';
import { accountId, symbol, type AccountId, type Symbol } from '../ledger/household.js';
import type { Lot } from '../ledger/lots.js';
import { WashGuard } from './washGuard.js';
import { UNIVERSE as SHARED_UNIVERSE, day, testState } from './testHousehold.test-util.js';
import type { Universe } from '../securities/universe.js';

/**
 * The guard caches identity per universe object; each use here gets a fresh copy, so that every
 * scenario builds (and so checks) the identity it asks about instead of reading another's.
 */
const universe = (): Universe => ({ ...SHARED_UNIVERSE });
import type { HouseholdState, TradeRecord } from './state.js';
import { scenario } from '../ledger/scenario.test-util.js';
import { addDays, formatDay, type Day } from '../kernel/calendar.js';
import { identicalRelation } from '../ledger/washSales.js';

interface Setup {
  readonly guard: WashGuard;
  readonly state: HouseholdState;
  lots(account: string, sym: string): Lot[];
  buy(account: string, sym: string): ReturnType<WashGuard['buyBlock']>;
  sell(account: string, sym: string, atLoss?: boolean, respectLock?: boolean): ReturnType<WashGuard['sellBlock']>;
}

function setup(text: string, date: string, lockAcrossAccounts = false): Setup {
  const state = testState({ text, date });
  const guard = new WashGuard(state, universe(), day(date), lockAcrossAccounts);
  const lots = (account: string, sym: string): Lot[] => state.lots.filter((l) => l.account === account && l.symbol === sym);
  return {
    guard,
    state,
    lots,
    buy: (account, sym) => guard.buyBlock(accountId(account), symbol(sym)),
    sell: (account, sym, atLoss = true, respectLock = true) => guard.sellBlock(accountId(account), symbol(sym), lots(account, sym), atLoss, respectLock),
  };
}

const a = (s: string): AccountId => accountId(s);
const s = (x: string): Symbol => symbol(x);

describe('buying after a loss sale (a purchase within 30 days after it would wash it)', () => {
  const sold = (saleDate: string, price = 250) => `accounts: joint=taxable ira=traditional_ira spouse=taxable:spouse
e1 2025-01-02 joint buy VTI 10 @ 300
e2 ${saleDate} joint sell VTI 10 @ ${price}`;

  it('blocks the fund in every account, the IRA and the spouse\'s included, for 30 days after the sale', () => {
    const g = setup(sold('2025-03-10'), '2025-04-09');
    for (const account of ['joint', 'ira', 'spouse']) {
      expect(g.buy(account, 'VTI')).toEqual({ kind: 'recent_loss_sale', symbol: 'VTI', date: day('2025-03-10'), account: 'joint' });
    }
  });

  it('frees it on day 31', () => {
    expect(setup(sold('2025-03-10'), '2025-04-10').buy('joint', 'VTI')).toBeUndefined();
  });

  it('a gain sale never blocks a purchase', () => {
    expect(setup(sold('2025-03-10', 320), '2025-03-20').buy('joint', 'VTI')).toBeUndefined();
  });

  it('a loss sale inside an IRA is no wash sale (no loss is recognized there) and blocks nothing', () => {
    const g = setup('accounts: joint=taxable ira=traditional_ira\ne1 2025-01-02 ira buy VTI 10 @ 300\ne2 2025-03-10 ira sell VTI 10 @ 250', '2025-03-20');
    expect(g.buy('joint', 'VTI')).toBeUndefined();
  });

  it('blocks only the class sold: a fund on another index is free', () => {
    const g = setup(sold('2025-03-10'), '2025-03-20');
    expect(g.buy('joint', 'SCHB')).toBeUndefined();
    expect(g.buy('joint', 'ITOT')).toBeUndefined();
  });
});

describe('trades planned today', () => {
  const text = 'accounts: joint=taxable ira=traditional_ira\ne1 2025-01-02 joint buy VTI 10 @ 300\ne2 2025-01-02 ira buy VTI 10 @ 300';

  it('a class sold at a loss today is not bought today, in any account', () => {
    const g = setup(text, '2025-04-08');
    g.guard.noteSale(a('joint'), s('VTI'), true);
    expect(g.buy('ira', 'VTI')).toEqual({ kind: 'loss_sale_today', symbol: 'VTI', account: 'joint' });
    expect(g.buy('joint', 'SCHB')).toBeUndefined();
  });

  it('a gain sale today does not block buying that class today', () => {
    const g = setup(text, '2025-04-08');
    g.guard.noteSale(a('joint'), s('VTI'), false);
    expect(g.buy('ira', 'VTI')).toBeUndefined();
    expect(g.guard.daysUntilBuyable(s('VTI'))).toBe(0);
  });

  it('an IRA loss sale today does not block buying that class today', () => {
    const g = setup(text, '2025-04-08');
    g.guard.noteSale(a('ira'), s('VTI'), true);
    expect(g.buy('joint', 'VTI')).toBeUndefined();
    expect(g.guard.daysUntilBuyable(s('VTI'))).toBe(0);
  });

  it('a class bought today is not sold at a loss today, in any account', () => {
    const g = setup(text, '2025-04-08');
    g.guard.noteBuy(a('ira'), s('VTI'));
    expect(g.sell('joint', 'VTI')).toEqual({ kind: 'bought_today', symbol: 'VTI', account: 'ira' });
    expect(g.sell('joint', 'VTI', false)).toBeUndefined();
  });
});

describe('selling at a loss after a purchase (buy-buy-sell: the recent purchase would be the replacement)', () => {
  const bought = (buyDate: string, account = 'ira') => `accounts: joint=taxable ira=traditional_ira
e1 2025-01-02 joint buy VTI 10 @ 300
e2 ${buyDate} ${account} buy VTI 1 @ 280`;

  it('a purchase in any account 30 days ago blocks the loss sale', () => {
    const g = setup(bought('2025-03-09'), '2025-04-08');
    expect(g.sell('joint', 'VTI')).toMatchObject({ kind: 'recent_purchase', lot: { id: 'e2', account: 'ira' } });
  });

  it('a purchase 31 days ago does not', () => {
    expect(setup(bought('2025-03-08'), '2025-04-08').sell('joint', 'VTI')).toBeUndefined();
  });

  it('a sale at a gain is never blocked by a purchase', () => {
    expect(setup(bought('2025-03-20'), '2025-04-08').sell('joint', 'VTI', false)).toBeUndefined();
  });

  it('a purchase of another class does not block', () => {
    const g = setup('accounts: joint=taxable ira=traditional_ira\ne1 2025-01-02 joint buy VTI 10 @ 300\ne2 2025-03-20 ira buy SCHB 10 @ 28', '2025-04-08');
    expect(g.sell('joint', 'VTI')).toBeUndefined();
  });

  it('a purchase sold in the same sale is not a replacement', () => {
    expect(setup(bought('2025-03-20', 'joint'), '2025-04-08').sell('joint', 'VTI')).toBeUndefined();
  });

  it('a purchase that already replaced an earlier loss has had its one bite (Reg. §1.1091-1(e))', () => {
    const g = setup(
      `accounts: joint=taxable ira=traditional_ira
e1 2025-01-02 joint buy VTI 10 @ 300
e2 2025-01-02 ira buy VTI 10 @ 300
e3 2025-03-20 ira sell VTI 10 @ 290
e4 2025-03-21 joint buy VTI 1 @ 280
e5 2025-03-21 ira buy VTI 1 @ 280`,
      '2025-04-08',
    );
    expect(g.sell('ira', 'VTI')).toMatchObject({ kind: 'recent_purchase', lot: { id: 'e4' } });
    const washedAway = setup(
      `accounts: joint=taxable b=taxable
e1 2025-01-02 joint buy VTI 10 @ 300
e2 2025-01-02 b buy VTI 1 @ 300
e3 2025-03-20 b sell VTI 1 @ 290
e4 2025-03-21 b buy VTI 1 @ 280`,
      '2025-04-08',
    );
    expect(washedAway.lots('b', 'VTI')[0]).toMatchObject({ id: 'e4', replacement: true });
    expect(washedAway.sell('joint', 'VTI')).toBeUndefined();
  });

  it('the other part of one purchase, split by a transfer, is not a replacement', () => {
    const g = setup(
      `accounts: joint=taxable spouse=taxable:spouse
e1 2025-03-20 joint buy VTI 10 @ 300
e2 2025-03-21 joint transfer VTI 4 to spouse`,
      '2025-04-08',
    );
    expect(g.sell('spouse', 'VTI')).toBeUndefined();
    expect(g.sell('joint', 'VTI')).toBeUndefined();
  });

  it('but it is a replacement for another lot sold along with its part (Reg. §1.1091-1(a): acquired within 30 days)', () => {
    // joint sells its old VTI lot at a loss together with the 6 recent shares; the 4 recent shares
    // moved to the spouse's account were bought 19 days ago and are not part of the old lot's
    // purchase, so the booking engine washes the old lot's loss with them.
    const text = `accounts: joint=taxable spouse=taxable:spouse
e0 2025-01-02 joint buy VTI 10 @ 300
e1 2025-03-20 joint buy VTI 10 @ 250
e2 2025-03-21 joint transfer VTI 4 to spouse lots e1:4`;
    const g = setup(text, '2025-04-08');
    expect(g.lots('joint', 'VTI').map((l) => l.id)).toEqual(['e0', 'e1']);
    expect(g.sell('joint', 'VTI')).toMatchObject({ kind: 'recent_purchase', lot: { account: 'spouse', origin: 'e1' } });
    const [old, recent] = g.lots('joint', 'VTI') as [Lot, Lot];
    expect(g.guard.sellBlock(a('joint'), s('VTI'), [recent, old])).toMatchObject({ kind: 'recent_purchase', lot: { account: 'spouse', origin: 'e1' } });
    const booked = testState({ text: `${text}\ne3 2025-04-08 joint sell VTI 16 @ 240`, date: '2025-04-08' });
    expect(booked.lots.find((l) => l.account === 'spouse')).toMatchObject({ replacement: true, washAdjustment: 24_000 });
  });
});

describe('daysUntilBuyable (the lock model of the opportunity cost)', () => {
  const text = (sales: string) => `accounts: joint=taxable ira=traditional_ira
e1 2025-01-02 joint buy VTI 10 @ 300
e2 2025-01-02 joint buy SCHB 10 @ 30
${sales}`;

  it('0 when the household has no loss sale of the class', () => {
    expect(setup(text(''), '2025-04-08').guard.daysUntilBuyable(s('VTI'))).toBe(0);
  });

  it('31 days after a loss sale planned today', () => {
    const g = setup(text(''), '2025-04-08');
    g.guard.noteSale(a('joint'), s('VTI'), true);
    expect(g.guard.daysUntilBuyable(s('VTI'))).toBe(31);
    expect(g.guard.daysUntilBuyable(s('SCHB'))).toBe(0);
  });

  it('the last loss sale + 31 days - today otherwise', () => {
    const g = setup(text('e3 2025-03-29 joint sell VTI 4 @ 250'), '2025-04-08');
    expect(g.guard.daysUntilBuyable(s('VTI'))).toBe(21);
    expect(setup(text('e3 2025-03-09 joint sell VTI 4 @ 250'), '2025-04-08').guard.daysUntilBuyable(s('VTI'))).toBe(1);
  });

  it('the latest loss sale counts, whatever order the sales are listed in', () => {
    expect(setup(text('e3 2025-03-20 joint sell VTI 4 @ 250\ne4 2025-03-29 joint sell VTI 4 @ 250'), '2025-04-08').guard.daysUntilBuyable(s('VTI'))).toBe(21);
  });

  it('a later gain sale does not move it', () => {
    expect(setup(text('e3 2025-03-20 joint sell VTI 4 @ 250\ne4 2025-03-29 joint sell VTI 4 @ 320'), '2025-04-08').guard.daysUntilBuyable(s('VTI'))).toBe(12);
  });
});

describe('the paper\'s lock-out across accounts (lockAcrossAccounts)', () => {
  const text = `accounts: joint=taxable spouse=taxable:spouse trust=taxable ira=traditional_ira
e0 2025-01-02 ira buy VTI 1 @ 300
e1 2025-03-20 spouse buy VTI 1 @ 280
e2 2025-03-25 joint buy VTI 1 @ 280
e3 2025-04-01 ira buy VTI 1 @ 280`;

  it('off: another taxable account may buy', () => {
    const g = setup(text, '2025-04-08', false);
    expect(g.buy('joint', 'VTI')).toBeUndefined();
    expect(g.buy('trust', 'VTI')).toBeUndefined();
  });

  it('on: the earliest taxable trader holds the lock until its trade date + 30; the others are blocked', () => {
    const g = setup(text, '2025-04-08', true);
    const lock = { kind: 'locked_by_account', account: 'spouse', until: day('2025-04-19') };
    expect(g.buy('joint', 'VTI')).toEqual(lock);
    expect(g.buy('trust', 'VTI')).toEqual(lock);
    expect(g.buy('ira', 'VTI')).toEqual(lock);
    expect(g.buy('spouse', 'VTI')).toBeUndefined();
    expect(g.buy('joint', 'SCHB')).toBeUndefined();
  });

  it('on: the lock is the reason a gain sale is refused, and a withdrawal does not respect it', () => {
    const g = setup(`${text}\ne4 2025-04-02 trust buy VTI 1 @ 280`, '2025-04-08', true);
    expect(g.sell('trust', 'VTI', false)).toEqual({ kind: 'locked_by_account', account: 'spouse', until: day('2025-04-19') });
    expect(g.sell('trust', 'VTI', false, false)).toBeUndefined();
    expect(g.sell('spouse', 'VTI', false)).toBeUndefined();
  });

  it('on: with no trade in the window, the first taxable account to trade today takes the lock', () => {
    const g = setup('accounts: joint=taxable spouse=taxable:spouse ira=traditional_ira\ne1 2025-01-02 joint buy VTI 1 @ 300', '2025-04-08', true);
    g.guard.noteBuy(a('ira'), s('VTI'));
    expect(g.buy('spouse', 'VTI')).toBeUndefined();
    g.guard.noteSale(a('spouse'), s('VTI'), false);
    expect(g.buy('spouse', 'VTI')).toBeUndefined();
    expect(g.buy('joint', 'VTI')).toEqual({ kind: 'locked_by_account', account: 'spouse', until: day('2025-05-08') });
  });

  it('on: a loss sale with nothing to wash is still held to the lock', () => {
    const g = setup('accounts: joint=taxable spouse=taxable:spouse\ne0 2025-01-02 spouse buy VTI 2 @ 300\ne1 2025-01-02 joint buy VTI 10 @ 300\ne2 2025-04-01 spouse sell VTI 1 @ 320', '2025-04-08', true);
    expect(g.sell('joint', 'VTI')).toEqual({ kind: 'locked_by_account', account: 'spouse', until: day('2025-05-01') });
  });

  it('on: a taxable account buying today takes the lock', () => {
    const g = setup('accounts: joint=taxable spouse=taxable:spouse\ne1 2025-01-02 joint buy VTI 1 @ 300', '2025-04-08', true);
    g.guard.noteBuy(a('joint'), s('VTI'));
    expect(g.buy('spouse', 'VTI')).toEqual({ kind: 'locked_by_account', account: 'joint', until: day('2025-05-08') });
    expect(g.buy('joint', 'VTI')).toBeUndefined();
  });

  it('on: IRA trades never hold the lock', () => {
    const g = setup('accounts: joint=taxable ira=traditional_ira\ne1 2025-04-01 ira buy VTI 1 @ 300', '2025-04-08', true);
    expect(g.buy('joint', 'VTI')).toBeUndefined();
  });
});

describe('"same class": the household\'s own policy joined with the universe', () => {
  it('a household group joining two universe funds on different indexes blocks buying one for 30 days after a loss sale of the other', () => {
    const text = (group: string) => `accounts: joint=taxable
securities: VTI SCHB
${group}
e1 2025-01-02 joint buy VTI 10 @ 300
e2 2025-03-10 joint sell VTI 10 @ 250`;
    expect(setup(text('group: VTI SCHB'), '2025-04-09').buy('joint', 'SCHB')).toMatchObject({ kind: 'recent_loss_sale', symbol: 'VTI' });
    expect(setup(text('group: VTI SCHB'), '2025-04-10').buy('joint', 'SCHB')).toBeUndefined();
    expect(setup(text(''), '2025-04-09').buy('joint', 'SCHB')).toBeUndefined();
  });

  it('symbols outside the universe fall back to the household policy', () => {
    const g = setup(
      `accounts: joint=taxable
securities: ABC ABD XYZ VTI VTIX
group: ABC ABD
group: VTI VTIX
e1 2025-01-02 joint buy ABC 10 @ 30`,
      '2025-04-08',
    );
    expect(g.guard.same(s('ABC'), s('ABD'))).toBe(true);
    expect(g.guard.same(s('ABD'), s('ABC'))).toBe(true);
    expect(g.guard.same(s('ABC'), s('XYZ'))).toBe(false);
    expect(g.guard.same(s('VTIX'), s('VTI'))).toBe(true);
    expect(g.guard.same(s('VTI'), s('VTIX'))).toBe(true);
    expect(g.guard.same(s('VTIX'), s('SCHB'))).toBe(false);
    expect(g.guard.same(s('XYZ'), s('XYZ'))).toBe(true);
  });

  it('universe funds on one index are identical, on different indexes not', () => {
    const g = setup('accounts: joint=taxable\ne1 2025-01-02 joint buy VTI 10 @ 300', '2025-04-08');
    expect(g.guard.same(s('VTI'), s('VTI'))).toBe(true);
    expect(g.guard.same(s('VTI'), s('SCHB'))).toBe(false);
    expect(g.guard.same(s('VEA'), s('SCHF'))).toBe(false);
  });

  it('identity changes on the day a fund changes index: MUB tracked VTEB\'s index through 2021-09-14', () => {
    const g = setup('accounts: joint=taxable\ne1 2021-01-04 joint buy VTEB 10 @ 55', '2021-09-20');
    expect(g.guard.same(s('MUB'), s('VTEB'), day('2021-09-14'))).toBe(true);
    expect(g.guard.same(s('VTEB'), s('MUB'), day('2021-09-15'))).toBe(false);
    expect(g.guard.same(s('MUB'), s('VTEB'))).toBe(false);
    // VWO tracked SCHE's index (FTSE Emerging) from 2013-06-28 through 2015-11-01.
    expect(g.guard.same(s('VWO'), s('SCHE'), day('2013-06-27'))).toBe(false);
    expect(g.guard.same(s('VWO'), s('SCHE'), day('2013-06-28'))).toBe(true);
    expect(g.guard.same(s('VWO'), s('SCHE'), day('2015-11-01'))).toBe(true);
    expect(g.guard.same(s('VWO'), s('SCHE'), day('2015-11-02'))).toBe(false);
  });

  it('against a loss sale, identity is judged on the sale\'s date', () => {
    const text = (saleDate: string) => `accounts: joint=taxable
e1 2021-06-01 joint buy VTEB 10 @ 55
e2 ${saleDate} joint sell VTEB 10 @ 54`;
    expect(setup(text('2021-09-14'), '2021-09-20').buy('joint', 'MUB')).toMatchObject({ kind: 'recent_loss_sale', symbol: 'VTEB' });
    expect(setup(text('2021-09-15'), '2021-09-20').buy('joint', 'MUB')).toBeUndefined();
    expect(setup(text('2021-09-14'), '2021-09-20').guard.daysUntilBuyable(s('MUB'))).toBe(25);
    expect(setup(text('2021-09-15'), '2021-09-20').guard.daysUntilBuyable(s('MUB'))).toBe(0);
  });

  it('a household\'s dated period changes identity exactly on its first day and on the day after `until`', () => {
    const g = setup(
      `accounts: joint=taxable
securities: VTI SCHB ITOT
period: VTI SCHB from 2024-03-01 until 2024-06-30
period: VTI ITOT from 2024-05-01
e1 2024-01-02 joint buy VTI 10 @ 250`,
      '2024-07-15',
    );
    expect(g.guard.same(s('VTI'), s('SCHB'), day('2024-02-29'))).toBe(false);
    expect(g.guard.same(s('VTI'), s('SCHB'), day('2024-03-01'))).toBe(true);
    expect(g.guard.same(s('SCHB'), s('VTI'), day('2024-06-30'))).toBe(true);
    expect(g.guard.same(s('SCHB'), s('VTI'), day('2024-07-01'))).toBe(false);
    expect(g.guard.same(s('VTI'), s('ITOT'), day('2024-04-30'))).toBe(false);
    expect(g.guard.same(s('ITOT'), s('VTI'), day('2024-05-01'))).toBe(true);
    expect(g.guard.same(s('ITOT'), s('VTI'))).toBe(true);
    expect(g.guard.same(s('ITOT'), s('SCHB'), day('2024-05-01'))).toBe(true);
    expect(g.guard.same(s('ITOT'), s('SCHB'))).toBe(false);
  });

  it('dated periods apply whatever order they are listed in: an open-ended period listed before an earlier, bounded one', () => {
    const g = setup(
      `accounts: joint=taxable
securities: VTI SCHB ITOT
period: VTI ITOT from 2024-05-01
period: VTI SCHB from 2024-03-01 until 2024-04-15
e1 2024-01-02 joint buy VTI 10 @ 250`,
      '2024-07-15',
    );
    expect(g.guard.same(s('VTI'), s('SCHB'), day('2024-02-29'))).toBe(false);
    expect(g.guard.same(s('VTI'), s('SCHB'), day('2024-03-01'))).toBe(true);
    expect(g.guard.same(s('SCHB'), s('VTI'), day('2024-04-15'))).toBe(true);
    expect(g.guard.same(s('SCHB'), s('VTI'), day('2024-04-16'))).toBe(false);
    expect(g.guard.same(s('VTI'), s('ITOT'), day('2024-04-30'))).toBe(false);
    expect(g.guard.same(s('ITOT'), s('VTI'), day('2024-05-01'))).toBe(true);
    expect(g.guard.same(s('ITOT'), s('VTI'))).toBe(true);
  });

  it('households with different policies do not share identity', () => {
    // One universe object for both, as in a daily run over many households.
    const shared = universe();
    const guardOf = (text: string): WashGuard => new WashGuard(testState({ text, date: '2025-04-08' }), shared, day('2025-04-08'), false);
    const grouped = guardOf('accounts: joint=taxable\nsecurities: VTI SCHB\ngroup: VTI SCHB\ne1 2025-01-02 joint buy VTI 1 @ 300');
    const plain = guardOf('accounts: joint=taxable\nsecurities: VTI SCHB\ne1 2025-01-02 joint buy VTI 1 @ 300');
    expect(grouped.same(s('VTI'), s('SCHB'))).toBe(true);
    expect(plain.same(s('VTI'), s('SCHB'))).toBe(false);
  });

  it('one household judged against two universes gets each universe\'s identity', () => {
    // A universe in which SCHB has moved to VTI's index: there the two funds are identical.
    const before = universe();
    const vti = before.classes.flatMap((c) => c.securities).find((x) => x.symbol === 'VTI');
    const after: Universe = {
      ...before,
      classes: before.classes.map((c) => ({
        ...c,
        securities: c.securities.map((x) => (x.symbol === 'SCHB' ? { ...x, index: vti?.index ?? '', formerIndexes: [] } : x)),
      })),
    };
    const state = testState({ text: 'accounts: joint=taxable\nsecurities: VTI SCHB\ne1 2025-01-02 joint buy VTI 1 @ 300', date: '2025-04-08' });
    const guardOf = (u: Universe): WashGuard => new WashGuard(state, u, day('2025-04-08'), false);
    expect(guardOf(before).same(s('VTI'), s('SCHB'))).toBe(false);
    expect(guardOf(after).same(s('VTI'), s('SCHB'))).toBe(true);
    expect(guardOf(before).same(s('VTI'), s('SCHB'))).toBe(false);
  });
});

describe('what the state says beyond the ledger', () => {
  const base = 'accounts: joint=taxable ira=traditional_ira\ne1 2025-01-02 joint buy VTI 10 @ 300';
  const trade = (date: string, account: string, sym: string, side: 'buy' | 'sell', lossSale: boolean, pending?: true): TradeRecord => ({
    date: day(date),
    account: a(account),
    symbol: s(sym),
    side,
    lossSale,
    ...(pending ? { pending } : {}),
  });
  const withTrades = (trades: TradeRecord[], lock = false): WashGuard => {
    const state = testState({ text: base, date: '2025-04-08' });
    return new WashGuard({ ...state, trades: [...state.trades, ...trades] }, universe(), day('2025-04-08'), lock);
  };

  it('an approved buy not yet filled counts as bought today: a loss sale of its class is refused', () => {
    const g = withTrades([trade('2025-04-08', 'ira', 'VTI', 'buy', false, true)]);
    expect(g.sellBlock(a('joint'), s('VTI'), [], true)).toEqual({ kind: 'bought_today', symbol: 'VTI', account: 'ira' });
  });

  it('an approved sale not yet filled is no purchase', () => {
    const g = withTrades([trade('2025-04-08', 'ira', 'VTI', 'sell', false, true)]);
    expect(g.sellBlock(a('joint'), s('VTI'), [], true)).toBeUndefined();
  });

  it('the latest loss sale counts and the earliest trader holds the lock, whatever order the trades are listed in', () => {
    const state = testState({ text: 'accounts: joint=taxable spouse=taxable:spouse\ne1 2025-01-02 joint buy VTI 10 @ 300', date: '2025-04-08' });
    const trades = [trade('2025-03-29', 'joint', 'VTI', 'sell', true), trade('2025-03-20', 'spouse', 'VTI', 'sell', true)];
    const g = new WashGuard({ ...state, trades }, universe(), day('2025-04-08'), true);
    expect(g.daysUntilBuyable(s('VTI'))).toBe(21);
    expect(g.sellBlock(a('joint'), s('VTI'), [], false)).toEqual({ kind: 'locked_by_account', account: 'spouse', until: day('2025-04-19') });
  });

  it('on the same earliest day, the account listed first holds the lock', () => {
    const state = testState({ text: 'accounts: joint=taxable spouse=taxable:spouse\ne1 2025-03-20 spouse buy VTI 1 @ 280\ne2 2025-03-20 joint buy VTI 1 @ 280', date: '2025-04-08' });
    const g = new WashGuard(state, universe(), day('2025-04-08'), true);
    expect(g.buyBlock(a('joint'), s('VTI'))).toMatchObject({ account: 'spouse' });
    const late = new WashGuard({ ...state, trades: [trade('2025-03-25', 'joint', 'VTI', 'buy', false), ...state.trades] }, universe(), day('2025-04-08'), true);
    expect(late.buyBlock(a('joint'), s('VTI'))).toMatchObject({ account: 'spouse', until: day('2025-04-19') });
  });

  it('shares moved in from outside (transfer_in) are no purchase: they replace nothing', () => {
    const g = setup('accounts: joint=taxable spouse=taxable:spouse\ne1 2025-01-02 joint buy VTI 10 @ 300\ne2 2025-04-01 spouse transfer_in VTI 5 basis 1400 acquired 2025-03-30', '2025-04-08');
    expect(g.sell('joint', 'VTI')).toBeUndefined();
  });

  it('BND and AGG tracked one index through 2010-01-31 (the universe\'s earliest index change)', () => {
    const g = setup(base, '2025-04-08');
    expect(g.guard.same(s('BND'), s('AGG'), day('2009-06-01'))).toBe(true);
    expect(g.guard.same(s('BND'), s('AGG'), day('2010-01-31'))).toBe(true);
    expect(g.guard.same(s('AGG'), s('BND'), day('2010-02-01'))).toBe(false);
  });

  it('two households with one policy but different CUSIPs do not share identity', () => {
    const shared = universe();
    const guardOf = (text: string): WashGuard => {
      const h = scenario(text).household;
      const state = { ...testState({ text: base, date: '2025-04-08' }), household: h };
      return new WashGuard(state, shared, day('2025-04-08'), false);
    };
    const one = guardOf('accounts: joint=taxable\nsecurities: VTI=922908769 VTIQ=922908769\nmatch: cusip');
    const two = guardOf('accounts: joint=taxable\nsecurities: VTI=922908769 VTIQ=000000000\nmatch: cusip');
    expect(one.same(s('VTI'), s('VTIQ'))).toBe(true);
    expect(two.same(s('VTI'), s('VTIQ'))).toBe(false);
  });
});

describe('a busy household (hundreds of names and trades: the guard files them by class)', () => {
  // Funds on three indexes and stocks, two share classes of one issuer grouped, and dated periods
  // that start and end inside the window, so identity is judged on each trade's own date.
  const funds = ['VTI', 'SCHB', 'ITOT', 'VEA', 'SCHF', 'VTEB', 'MUB'];
  const stocks = ['ABC', 'ABD', 'XYZ', 'GOOG', 'GOOGL', 'MSFT', 'AAPL'];
  const accounts = ['joint', 'spouse', 'ira'];
  const date = '2025-04-08';
  const first = day('2025-03-09');
  const text = (): string => {
    const lines = [
      'accounts: joint=taxable spouse=taxable:spouse ira=traditional_ira',
      `securities: ${[...funds, ...stocks].join(' ')}`,
      'group: GOOG GOOGL',
      'period: VTI SCHB from 2025-03-20 until 2025-03-31',
      'period: ABC XYZ from 2025-04-01',
    ];
    let n = 0;
    for (const account of accounts) for (const sym of [...funds, ...stocks]) lines.push(`e${++n} 2025-01-02 ${account} buy ${sym} 100 @ 100`);
    for (let k = 0; k < 300; k++) {
      const sym = [...funds, ...stocks][(k * 5) % 14] as string;
      const on = formatDay(addDays(first, Math.floor(k / 10)));
      lines.push(k % 3 === 0 ? `e${++n} ${on} ${accounts[k % 3]} buy ${sym} 2 @ 100` : `e${++n} ${on} ${accounts[k % 3]} sell ${sym} 1 @ ${k % 4 < 2 ? 90 : 110}`);
    }
    return lines.join('\n');
  };

  /**
   * The rule pair by pair, as the guard states it, over the same state and today's trades. Two
   * funds are judged by the guard's matrix (tested above); any other pair by the ledger's relation.
   */
  const pairwise = (g: WashGuard, state: HouseholdState, today: readonly { account: AccountId; symbol: Symbol; kind: 'loss' | 'gain' | 'buy' }[]) => {
    const fundSymbols = new Set<string>(universe().classes.flatMap((c) => c.securities.map((x) => x.symbol)));
    const household = identicalRelation(state.household);
    const guard = { same: (x: Symbol, y: Symbol, on: Day = day(date)) => (fundSymbols.has(x) && fundSymbols.has(y) ? g.same(x, y, on) : household(x, y, on)) };
    const taxable = new Set(['joint', 'spouse']);
    const now = day(date);
    const lock = (account: AccountId, sym: Symbol) => {
      let held: TradeRecord | undefined;
      for (const t of state.trades) if (taxable.has(t.account) && guard.same(t.symbol, sym, t.date) && (held === undefined || t.date < held.date)) held = t;
      if (held !== undefined) return held.account === account ? undefined : { kind: 'locked_by_account', account: held.account, until: addDays(held.date, 30) };
      const t = today.find((x) => taxable.has(x.account) && guard.same(x.symbol, sym));
      return t === undefined || t.account === account ? undefined : { kind: 'locked_by_account', account: t.account, until: addDays(now, 30) };
    };
    const lossToday = (sym: Symbol) => today.find((x) => x.kind === 'loss' && taxable.has(x.account) && guard.same(x.symbol, sym));
    return {
      buy(account: AccountId, sym: Symbol) {
        const t = lossToday(sym);
        if (t) return { kind: 'loss_sale_today', symbol: t.symbol, account: t.account };
        const recent = state.trades.find((x) => x.lossSale && guard.same(x.symbol, sym, x.date));
        if (recent) return { kind: 'recent_loss_sale', symbol: recent.symbol, date: recent.date, account: recent.account };
        return lock(account, sym);
      },
      sell(account: AccountId, sym: Symbol, lots: readonly Lot[]) {
        const selling = new Set(lots);
        const origin = lots.every((l) => l.origin === lots[0]?.origin) ? lots[0]?.origin : undefined;
        const replacement = state.lots.find((l) => l.acquired >= addDays(now, -30) && l.purchase && !l.replacement && !selling.has(l) && l.origin !== origin && guard.same(l.symbol, sym));
        if (replacement) return { kind: 'recent_purchase', lot: replacement };
        const bought = today.find((x) => x.kind === 'buy' && guard.same(x.symbol, sym));
        if (bought) return { kind: 'bought_today', symbol: bought.symbol, account: bought.account };
        return lock(account, sym);
      },
      days(sym: Symbol) {
        if (lossToday(sym)) return 31;
        const last = Math.max(-Infinity, ...state.trades.filter((x) => x.lossSale && guard.same(x.symbol, sym, x.date)).map((x) => x.date));
        return last === -Infinity ? 0 : last + 31 - now;
      },
    };
  };

  const ask = (guard: WashGuard, state: HouseholdState, today: Parameters<typeof pairwise>[2]) => {
    const rule = pairwise(guard, state, today);
    for (const account of accounts.map(a)) {
      for (const sym of [...funds, ...stocks, 'QQQ'].map(s)) {
        const lots = state.lots.filter((l) => l.account === account && l.symbol === sym);
        expect(guard.buyBlock(account, sym), `buy ${sym} in ${account}`).toEqual(rule.buy(account, sym));
        expect(guard.sellBlock(account, sym, lots), `sell ${sym} in ${account}`).toEqual(rule.sell(account, sym, lots));
        expect(guard.daysUntilBuyable(sym), `days until ${sym}`).toBe(rule.days(sym));
      }
    }
  };

  it('answers every question as the rule does pair by pair, before and after many trades planned today', () => {
    const state = testState({ text: text(), date });
    // More loss sales, window trades and recent purchases than the guard would scan one by one.
    expect(state.trades.filter((t) => t.lossSale).length).toBeGreaterThan(40);
    expect(state.lots.filter((l) => l.acquired >= first).length).toBeGreaterThan(40);
    expect(state.trades.some((t) => t.lossSale)).toBe(true);
    const guard = new WashGuard(state, universe(), day(date), true);
    ask(guard, state, []);
    const today: { account: AccountId; symbol: Symbol; kind: 'loss' | 'gain' | 'buy' }[] = [];
    for (let k = 0; k < 40; k++) {
      const account = a(accounts[(k + 1) % 3] as string);
      const sym = s([...funds, ...stocks][(k * 3) % 14] as string);
      const kind = (['loss', 'gain', 'buy'] as const)[k % 3] as 'loss' | 'gain' | 'buy';
      if (kind === 'buy') guard.noteBuy(account, sym);
      else guard.noteSale(account, sym, kind === 'loss');
      today.push({ account, symbol: sym, kind });
    }
    ask(guard, state, today);
  });

  it('judges a fund against stocks and funds alike: a household group joining a fund and a stock', () => {
    const state = testState({ text: text().replace('group: GOOG GOOGL', 'group: GOOG GOOGL\ngroup: VTI MSFT'), date });
    const guard = new WashGuard(state, universe(), day(date), true);
    expect(guard.same(s('MSFT'), s('VTI'))).toBe(true);
    ask(guard, state, []);
  });
});
