/**
 * Which securities are "substantially identical" (IRC §1091(a); Pub 550, "Wash Sales": "in
 * determining whether stock or securities are substantially identical, you must consider all the
 * facts and circumstances"). The household states its reading as a policy — one symbol, one CUSIP,
 * configured groups, dated periods — and every scenario here is a loss sale with a purchase 10 days
 * later (inside the 61-day window of Reg. §1.1091-1(a)) of another symbol: the loss is disallowed
 * exactly when the policy makes the two identical on the day of the sale.
 */
import { describe, expect, it } from 'vitest';
import { book } from './booking.js';
import { scenario } from './scenario.test-util.js';
import { identicalRelation } from './washSales.js';
import { parseDay, type Day } from '../kernel/calendar.js';
import { symbol } from './household.js';

/** The policy's lines, with every symbol its groups and periods name listed as a security. */
function known(policy: string): string {
  const listed = new Map<string, string>();
  const lines = policy.split('\n');
  for (const line of lines) {
    const [head, ...words] = line.trim().split(/\s+/);
    if (head === 'securities:') for (const w of words) listed.set(w.split('=')[0] as string, w);
    if (head === 'group:' || head === 'period:') for (const w of words) if (/^[A-Z]+\d*$/.test(w) && !listed.has(w)) listed.set(w, w);
  }
  return [...lines.filter((l) => !l.startsWith('securities:')), `securities: ${[...listed.values()].join(' ')}`].join('\n');
}

/** Buys `sold` on 2025-01-02, sells it at a $100 loss on `saleDate`, buys `bought` 10 days later. */
function disallowed(policy: string, sold: string, bought: string, saleDate = '2025-06-02'): number {
  const sale = parseDay(saleDate) as Day;
  const later = new Date((sale + 10) * 86_400_000).toISOString().slice(0, 10);
  const s = scenario(`
accounts: b=taxable
${known(policy)}
e1 2025-01-02 b buy ${sold} 10 @ 50
e2 ${saleDate} b sell ${sold} 10 @ 40
e3 ${later} b buy ${bought} 10 @ 41`);
  const r = book(s.household, s.events);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return (r.value.dispositions[0]?.disallowed ?? NaN) / 100;
}

const WASHED = 100;
const ALLOWED = 0;

describe('one CUSIP, several tickers (matchCusip)', () => {
  const securities = 'securities: SPY=78462F103 SPYX=78462F103 IVV=464287200 VTI VXUS';
  it('a different ticker with the same CUSIP bought in the window washes the loss', () => {
    expect(disallowed(`${securities}\nmatch: cusip`, 'SPY', 'SPYX')).toBe(WASHED);
    expect(disallowed(`${securities}\nmatch: cusip`, 'SPYX', 'SPY')).toBe(WASHED);
  });
  it('without the option, another ticker is another security even with the same CUSIP', () => {
    expect(disallowed(securities, 'SPY', 'SPYX')).toBe(ALLOWED);
  });
  it('different CUSIPs, or securities with no CUSIP given, stay apart', () => {
    expect(disallowed(`${securities}\nmatch: cusip`, 'SPY', 'IVV')).toBe(ALLOWED);
    expect(disallowed(`${securities}\nmatch: cusip`, 'VTI', 'VXUS')).toBe(ALLOWED);
  });
  it('a third ticker with the CUSIP joins the first two', () => {
    const three = 'securities: A=000000001 B=000000001 C=000000001\nmatch: cusip';
    expect(disallowed(three, 'B', 'C')).toBe(WASHED);
    expect(disallowed(three, 'C', 'A')).toBe(WASHED);
  });
  it('a CUSIP match and a group join into one class', () => {
    expect(disallowed(`${securities}\nmatch: cusip\ngroup: SPYX IVV`, 'SPY', 'IVV')).toBe(WASHED);
  });
});

describe('configured groups', () => {
  it('a group joins its members whatever order they are listed in', () => {
    for (const group of ['group: X XX', 'group: XX X']) {
      expect(disallowed(group, 'X', 'XX')).toBe(WASHED);
      expect(disallowed(group, 'XX', 'X')).toBe(WASHED);
    }
  });
  it('every member of a larger group is identical to every other', () => {
    const group = 'group: VOO IVV SPLG';
    expect(disallowed(group, 'SPLG', 'IVV')).toBe(WASHED);
    expect(disallowed(group, 'IVV', 'VOO')).toBe(WASHED);
    expect(disallowed(group, 'VOO', 'SPLG')).toBe(WASHED);
  });
  it('two separate groups never wash each other', () => {
    const groups = 'group: VOO IVV\ngroup: VTI ITOT';
    for (const [sold, bought] of [['VOO', 'VTI'], ['ITOT', 'IVV'], ['IVV', 'ITOT'], ['VTI', 'VOO']] as const) {
      expect(disallowed(groups, sold, bought)).toBe(ALLOWED);
    }
    expect(disallowed(groups, 'ITOT', 'VTI')).toBe(WASHED);
  });
  it('groups that share a member merge', () => {
    expect(disallowed('group: VOO IVV\ngroup: IVV SPLG', 'VOO', 'SPLG')).toBe(WASHED);
    expect(disallowed('group: IVV SPLG\ngroup: VOO IVV', 'SPLG', 'VOO')).toBe(WASHED);
  });
  it('with the same_symbol policy, configured groups and dated periods are ignored', () => {
    expect(disallowed('policy: same_symbol\ngroup: VOO IVV', 'VOO', 'IVV')).toBe(ALLOWED);
    expect(disallowed('policy: same_symbol\nperiod: MUB VTEB until 2030-01-01', 'MUB', 'VTEB')).toBe(ALLOWED);
    expect(disallowed('policy: same_symbol\ngroup: VOO IVV', 'VOO', 'VOO')).toBe(WASHED);
  });
});

describe('dated identity periods (a fund that changes index: docs/wash-sales.md, "Index changes")', () => {
  it('apply from `from`, inclusive: a loss sale on the first day is washed, the day before is not', () => {
    const period = 'period: MUB VTEB from 2025-06-02';
    expect(disallowed(period, 'VTEB', 'MUB', '2025-06-02')).toBe(WASHED);
    expect(disallowed(period, 'VTEB', 'MUB', '2025-06-01')).toBe(ALLOWED);
  });
  it('end after `until`: a loss sale on `until` is washed, on the day after it is not', () => {
    const period = 'period: MUB VTEB until 2025-06-02';
    expect(disallowed(period, 'MUB', 'VTEB', '2025-06-02')).toBe(WASHED);
    expect(disallowed(period, 'MUB', 'VTEB', '2025-06-03')).toBe(ALLOWED);
  });
  it('a bounded period holds on its days only', () => {
    const period = 'period: A B from 2025-03-03 until 2025-03-31';
    expect(disallowed(period, 'A', 'B', '2025-03-02')).toBe(ALLOWED);
    expect(disallowed(period, 'A', 'B', '2025-03-03')).toBe(WASHED);
    expect(disallowed(period, 'A', 'B', '2025-03-31')).toBe(WASHED);
    expect(disallowed(period, 'A', 'B', '2025-04-01')).toBe(ALLOWED);
  });
  it('periods in force on one day chain transitively, whatever order they are listed in', () => {
    const forward = 'period: A B until 2025-12-31\nperiod: B C until 2025-12-31\nperiod: C D until 2025-12-31';
    const backward = 'period: C D until 2025-12-31\nperiod: B C until 2025-12-31\nperiod: A B until 2025-12-31';
    for (const periods of [forward, backward]) {
      expect(disallowed(periods, 'A', 'D')).toBe(WASHED);
      expect(disallowed(periods, 'D', 'A')).toBe(WASHED);
    }
  });
  it('a chain is broken on days a link is not in force', () => {
    const periods = 'period: C D until 2025-12-31\nperiod: B C until 2025-05-31\nperiod: A B until 2025-12-31';
    expect(disallowed(periods, 'A', 'D', '2025-05-30')).toBe(WASHED);
    expect(disallowed(periods, 'A', 'D', '2025-06-02')).toBe(ALLOWED);
    expect(disallowed(periods, 'A', 'B', '2025-06-02')).toBe(WASHED);
  });
  it('a period joins whole classes: a group member of one of its symbols is identical too', () => {
    expect(disallowed('group: VTEB VTEB2\nperiod: MUB VTEB until 2025-12-31', 'MUB', 'VTEB2')).toBe(WASHED);
    expect(disallowed('group: VTEB VTEB2\nperiod: MUB VTEB until 2025-12-31', 'VTEB2', 'MUB')).toBe(WASHED);
  });
  it('a symbol in no period in force keeps to its own class', () => {
    expect(disallowed('period: MUB VTEB until 2025-12-31', 'MUB', 'TFI')).toBe(ALLOWED);
  });
});

describe('identicalRelation, the question the harvest guard asks for symbols it does not know', () => {
  const household = scenario('accounts: b=taxable\ngroup: VOO IVV\nperiod: MUB VTEB from 2021-01-01 until 2021-09-14').household;
  const same = identicalRelation(household);
  const on = (d: string): Day => parseDay(d) as Day;
  it('a symbol is identical to itself, to its group, and to its period partners on the period\'s days', () => {
    expect(same(symbol('QQQ'), symbol('QQQ'), on('2025-01-02'))).toBe(true);
    expect(same(symbol('IVV'), symbol('VOO'), on('2025-01-02'))).toBe(true);
    expect(same(symbol('VTEB'), symbol('MUB'), on('2021-09-14'))).toBe(true);
    expect(same(symbol('VTEB'), symbol('MUB'), on('2021-09-15'))).toBe(false);
    expect(same(symbol('VTEB'), symbol('MUB'), on('2020-12-31'))).toBe(false);
    expect(same(symbol('VOO'), symbol('MUB'), on('2021-06-01'))).toBe(false);
  });
});
