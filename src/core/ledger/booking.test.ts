/**
 * Worked examples of booking: one per lot method and one per event type. Each scenario is the
 * ledger in its own notation (see scenario.test-util.ts), then what booking must produce.
 */
import { describe, expect, it } from 'vitest';
import { book } from './booking.js';
import type { Ledger } from './ledger.js';
import { formatDay } from '../kernel/calendar.js';
import { format } from '../kernel/exact.js';
import { checkInvariants } from './invariants.js';
import { scenario } from './scenario.test-util.js';

function booked(text: string): Ledger {
  const s = scenario(text);
  const r = book(s.household, s.events);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  expect(checkInvariants(s.events, r.value)).toEqual([]);
  return r.value;
}

function bookCase(text: string) {
  const s = scenario(text);
  return book(s.household, s.events);
}

const lots = (l: Ledger): string[] =>
  l.openLots.map((x) => `${x.account} ${x.symbol} ${x.id} ${format('shares', x.shares)} @${format('usd', x.basis)} ${formatDay(x.acquired)}`);
const sold = (l: Ledger): string[] =>
  l.dispositions.map((d) => `${d.saleId} ${d.lotId} ${format('shares', d.shares)} proceeds ${format('usd', d.proceeds)} basis ${format('usd', d.basis)} ${d.term}`);

const THREE_LOTS = `
accounts: b=taxable
e1 2023-01-10 b buy X 10 @ 100
e2 2024-06-10 b buy X 10 @ 120
e3 2024-09-10 b buy X 10 @ 90
`;

describe('lot selection, worked examples (sale of 15 X at $110 on 2024-12-02)', () => {
  it('FIFO relieves the earliest lots first', () => {
    const l = booked(`${THREE_LOTS}\ne4 2024-12-02 b sell X 15 @ 110 FIFO`);
    expect(sold(l)).toEqual([
      'e4 e1 10 proceeds 1100.00 basis 1000.00 long',
      'e4 e2 5 proceeds 550.00 basis 600.00 short',
    ]);
    expect(lots(l)).toEqual(['b X e2 5 @600.00 2024-06-10', 'b X e3 10 @900.00 2024-09-10']);
  });

  it('LIFO relieves the latest lots first', () => {
    const l = booked(`${THREE_LOTS}\ne4 2024-12-02 b sell X 15 @ 110 LIFO`);
    expect(sold(l)).toEqual(['e4 e3 10 proceeds 1100.00 basis 900.00 short', 'e4 e2 5 proceeds 550.00 basis 600.00 short']);
  });

  it('HIFO relieves the highest basis per share first', () => {
    const l = booked(`${THREE_LOTS}\ne4 2024-12-02 b sell X 15 @ 110 HIFO`);
    expect(sold(l)).toEqual(['e4 e2 10 proceeds 1100.00 basis 1200.00 short', 'e4 e1 5 proceeds 550.00 basis 500.00 long']);
  });

  it('TAX_MIN takes short-term losses first, then long-term gains smallest first, short-term gains last', () => {
    const l = booked(`${THREE_LOTS}\ne4 2024-12-02 b sell X 15 @ 110 TAX_MIN`);
    // e2 is a short-term loss (-10/sh); e1 a long-term gain (+10/sh); e3 a short-term gain (+20/sh).
    expect(sold(l)).toEqual(['e4 e2 10 proceeds 1100.00 basis 1200.00 short', 'e4 e1 5 proceeds 550.00 basis 500.00 long']);
  });

  it('TAX_MIN prefers a short-term loss to a larger long-term loss', () => {
    const l = booked(`
accounts: b=taxable
e1 2022-01-10 b buy X 10 @ 200
e2 2024-06-10 b buy X 10 @ 120
e3 2024-12-02 b sell X 10 @ 110 TAX_MIN`);
    expect(sold(l)).toEqual(['e3 e2 10 proceeds 1100.00 basis 1200.00 short']);
  });

  it('SPECIFIC relieves the named lots and share counts', () => {
    const l = booked(`${THREE_LOTS}\ne4 2024-12-02 b sell X 15 @ 110 lots e3:5;e1`);
    expect(sold(l)).toEqual(['e4 e1 10 proceeds 1100.00 basis 1000.00 long', 'e4 e3 5 proceeds 550.00 basis 450.00 short']);
    expect(lots(l)).toEqual(['b X e2 10 @1200.00 2024-06-10', 'b X e3 5 @450.00 2024-09-10']);
  });

  it('SPECIFIC: one lot named without a count gives the shares the sale still needs (4 of 10)', () => {
    const l = booked(`${THREE_LOTS}\ne4 2024-12-02 b sell X 4 @ 110 lots e2`);
    expect(sold(l)).toEqual(['e4 e2 4 proceeds 440.00 basis 480.00 short']);
    const withCount = booked(`${THREE_LOTS}\ne4 2024-12-02 b sell X 7 @ 110 lots e3:5;e1`);
    expect(sold(withCount)).toEqual(['e4 e1 2 proceeds 220.00 basis 200.00 long', 'e4 e3 5 proceeds 550.00 basis 450.00 short']);
  });

  it('SPECIFIC: several lots without counts that hold more than the sale leave the shares unidentified', () => {
    const r = bookCase(`${THREE_LOTS}\ne4 2024-12-02 b sell X 15 @ 110 lots e1;e2`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.message).toMatch(/the named lots hold 20 shares but the sale is for 15: say how many shares come from each/);
    const covered = bookCase(`${THREE_LOTS}\ne4 2024-12-02 b sell X 5 @ 110 lots e3:5;e1`);
    if (!covered.ok) expect(covered.issues[0]?.message).toMatch(/lot "e1" is named but the lots with share counts already give the 5 shares sold/);
    expect(covered.ok).toBe(false);
  });

  it('the household default method applies when a sale names none', () => {
    const l = booked(`method: HIFO\n${THREE_LOTS}\ne4 2024-12-02 b sell X 15 @ 110`);
    expect(sold(l)[0]).toBe('e4 e2 10 proceeds 1100.00 basis 1200.00 short');
  });
});

describe('event types, worked examples', () => {
  it('buy: cost is shares x price plus commission; cash goes down by the same', () => {
    const l = booked(`accounts: b=taxable\ne0 2025-01-02 b deposit 5000\ne1 2025-01-02 b buy X 12.5 @ 40.10 fee 4.95`);
    expect(lots(l)).toEqual(['b X e1 12.5 @506.20 2025-01-02']);
    expect(format('usd', l.cash.get('b' as never) as number)).toBe('4493.80');
  });

  it('sell: commission reduces proceeds, which are split over the lots by shares', () => {
    const l = booked(`accounts: b=taxable\ne1 2025-01-02 b buy X 1 @ 10\ne2 2025-01-03 b buy X 2 @ 10\ne3 2025-02-03 b sell X 3 @ 11 fee 1`);
    expect(sold(l)).toEqual(['e3 e1 1 proceeds 10.67 basis 10.00 short', 'e3 e2 2 proceeds 21.33 basis 20.00 short']);
  });

  it('cash dividend: cash and dividend income, no lot', () => {
    const l = booked(`accounts: b=taxable\ne1 2025-01-02 b buy X 10 @ 10\ne2 2025-03-31 b dividend X 3.21`);
    expect(l.dividends.map((d) => format('usd', d.amount))).toEqual(['3.21']);
    expect(lots(l)).toHaveLength(1);
  });

  it('dividend reinvestment: income and a new lot with basis = amount reinvested', () => {
    const l = booked(`accounts: b=taxable\ne1 2025-01-02 b buy X 10 @ 10\ne2 2025-03-31 b drip X 0.3187 @ 10.07`);
    expect(lots(l)).toEqual(['b X e1 10 @100.00 2025-01-02', 'b X e2 0.3187 @3.21 2025-03-31']);
    expect(l.dividends[0]).toMatchObject({ reinvested: true });
  });

  it('forward split 3-for-2: shares scale, basis and dates stay', () => {
    const l = booked(`accounts: b=taxable\ne1 2025-01-02 b buy X 10 @ 30\ne2 2025-01-03 b buy X 1 @ 30\ne3 2025-06-02 - split X 3:2`);
    expect(lots(l)).toEqual(['b X e1 15 @300.00 2025-01-02', 'b X e2 1.5 @30.00 2025-01-03']);
  });

  it('reverse split 1-for-3 keeps the fractional remainder', () => {
    const l = booked(`accounts: b=taxable\ne1 2025-01-02 b buy X 10 @ 3\ne2 2025-06-02 b split X 1:3`);
    expect(lots(l)).toEqual(['b X e1 3.333333 @30.00 2025-01-02']);
  });

  it('deposit, withdrawal and account fee move cash only', () => {
    const l = booked(`accounts: b=taxable\ne1 2025-01-02 b deposit 1000\ne2 2025-02-02 b withdrawal 250.50\ne3 2025-03-02 b fee 2.25`);
    expect(format('usd', l.cash.get('b' as never) as number)).toBe('747.25');
    expect(lots(l)).toEqual([]);
  });

  it('transfer in keeps the original basis and acquisition date', () => {
    const l = booked(`accounts: b=taxable\ne1 2025-05-01 b transfer_in X 10 basis 512.34 acquired 2019-07-15\ne2 2025-06-02 b sell X 10 @ 60`);
    expect(sold(l)).toEqual(['e2 e1 10 proceeds 600.00 basis 512.34 long']);
  });

  it('transfer between household accounts moves lots with basis and dates', () => {
    const l = booked(`accounts: b=taxable s=taxable:spouse\ne1 2024-01-02 b buy X 10 @ 10\ne2 2024-02-02 b buy X 10 @ 12\ne3 2025-05-01 b transfer X 15 to s`);
    expect(lots(l)).toEqual(['b X e2 5 @60.00 2024-02-02', 's X e1 10 @100.00 2024-01-02', 's X e2 5 @60.00 2024-02-02']);
  });

  it('transfer out removes lots without a sale', () => {
    const l = booked(`accounts: b=taxable\ne1 2024-01-02 b buy X 10 @ 10\ne2 2025-05-01 b transfer_out X 4`);
    expect(lots(l)).toEqual(['b X e1 6 @60.00 2024-01-02']);
    expect(l.dispositions).toEqual([]);
    expect(l.removals).toHaveLength(1);
  });

  it('a sale inside an IRA is booked but is not taxable and never washed', () => {
    const l = booked(`accounts: ira=traditional_ira\ne1 2025-01-02 ira buy X 10 @ 10\ne2 2025-02-03 ira sell X 10 @ 8\ne3 2025-02-04 ira buy X 10 @ 8`);
    expect(l.dispositions[0]).toMatchObject({ taxable: false, disallowed: 0 });
  });

  it('as of a date books only the events up to it', () => {
    const s = scenario(`${THREE_LOTS}\ne4 2024-12-02 b sell X 15 @ 110`);
    const r = book(s.household, s.events, { through: s.events[1]?.date as never });
    expect(r.ok && r.value.openLots.map((x) => x.id)).toEqual(['e1', 'e2']);
  });
});

describe('booking errors: every problem named, nothing applied', () => {
  const errors = (text: string) => {
    const s = scenario(text);
    const r = book(s.household, s.events);
    return r.ok ? [] : r.issues.map((i) => `${i.code} ${i.at.eventId ?? ''} ${i.at.field ?? ''}`.trim());
  };

  it('selling more than is held', () => {
    expect(errors(`accounts: b=taxable\ne1 2025-01-02 b buy X 10 @ 10\ne2 2025-02-02 b sell X 11 @ 10`)).toEqual(['OVERSELL e2 shares']);
  });

  it('a sale before any purchase', () => {
    const s = scenario(`accounts: b=taxable\ne1 2025-02-02 b sell X 1 @ 10`);
    const r = book(s.household, s.events);
    expect(r.ok ? '' : r.issues[0]?.message).toMatch(/no shares of X are held in account b/);
  });

  it('unknown account, out-of-order dates and duplicate ids are all reported together', () => {
    expect(errors(`accounts: b=taxable\ne1 2025-03-02 b buy X 1 @ 10\ne1 2025-02-02 nope buy X 1 @ 10`)).toEqual([
      'DUPLICATE_ID e1 id',
      'OUT_OF_ORDER e1 date',
      'UNKNOWN_ACCOUNT e1 account',
    ]);
  });

  it('zero or negative shares', () => {
    expect(errors(`accounts: b=taxable\ne1 2025-01-02 b buy X 0 @ 10\ne2 2025-01-03 b buy X -5 @ 10`)).toEqual([
      'NOT_POSITIVE e1 shares',
      'NOT_POSITIVE e2 shares',
    ]);
  });

  it('a specific lot that is not open', () => {
    expect(errors(`accounts: b=taxable\ne1 2025-01-02 b buy X 10 @ 10\ne2 2025-02-02 b sell X 5 @ 10 lots e9`)).toEqual(['UNKNOWN_LOT e2 lots']);
  });
});
