/**
 * Named wash-sale scenarios, one per rule, each citing where the rule comes from.
 * Notation: scenario.test-util.ts. Every scenario also passes the ledger invariants.
 */
import { describe, expect, it } from 'vitest';
import { book } from './booking.js';
import type { Ledger } from './ledger.js';
import { formatDay } from '../kernel/calendar.js';
import { format } from '../kernel/exact.js';
import { checkInvariants } from './invariants.js';
import { scenario } from './scenario.test-util.js';
import { compareCandidates, matchReplacements, washWindow, type Candidate } from './washSales.js';
import { parseDay, type Day } from '../kernel/calendar.js';
import { shares, usd } from '../kernel/exact.js';

function booked(text: string): Ledger {
  const s = scenario(text);
  const r = book(s.household, s.events);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  expect(checkInvariants(s.events, r.value)).toEqual([]);
  return r.value;
}

/** "sale lot: gain G, disallowed D[ permanent P]" */
const washes = (l: Ledger): string[] =>
  l.dispositions.map(
    (d) =>
      `${d.saleId} ${d.lotId}: gain ${format('usd', d.gain)}, disallowed ${format('usd', d.disallowed)}${d.permanentlyDisallowed > 0 ? ` permanent ${format('usd', d.permanentlyDisallowed)}` : ''}`,
  );
/** "account lot shares basis adj heldFrom" */
const open = (l: Ledger): string[] =>
  l.openLots.map(
    (x) => `${x.account} ${x.id} ${format('shares', x.shares)} basis ${format('usd', x.basis)} adj ${format('usd', x.washAdjustment)} from ${formatDay(x.heldFrom)}`,
  );

describe('Pub 550 and Treas. Reg. §1.1091-1 examples', () => {
  it('Pub 550 Example 1: $250 disallowed, replacement basis $1,050 with the holding period tacked', () => {
    const l = booked(`
accounts: b=taxable
e1 2025-01-06 b buy X 100 @ 10
e2 2025-03-03 b sell X 100 @ 7.5
e3 2025-03-20 b buy X 100 @ 8`);
    expect(washes(l)).toEqual(['e2 e1: gain -250.00, disallowed 250.00']);
    expect(open(l)).toEqual(['b e3 100 basis 1050.00 adj 250.00 from 2025-01-23']);
  });

  it('Reg. §1.1091-1(h) Example 1: shares bought 7 days BEFORE the sale replace the shares sold', () => {
    const l = booked(`
accounts: b=taxable
e1 1954-12-21 b buy M 100 @ 50
e2 1954-12-27 b buy M 100 @ 40
e3 1955-01-03 b sell M 100 @ 40 lots e1`);
    expect(washes(l)).toEqual(['e3 e1: gain -1000.00, disallowed 1000.00']);
    expect(open(l)).toEqual(['b e2 100 basis 5000.00 adj 1000.00 from 1954-12-14']);
  });

  it('Reg. §1.1091-1(h) Example 2: 75 shares acquired for 100 sold -> loss on 75 disallowed, matched in order of acquisition', () => {
    const l = booked(`
accounts: b=taxable
e1 1954-09-21 b buy M 100 @ 50
e2 1954-12-21 b buy M 50 @ 55
e3 1954-12-27 b buy M 25 @ 45
e4 1955-01-03 b sell M 100 @ 40 lots e1`);
    expect(washes(l)).toEqual(['e4 e1: gain -1000.00, disallowed 750.00']);
    expect(open(l)).toEqual(['b e2 50 basis 3250.00 adj 500.00 from 1954-09-08', 'b e3 25 basis 1375.00 adj 250.00 from 1954-09-14']);
  });

  it('seed paper "Wash sale management": 10 shares bought back for 1,000 sold wash only 10 shares of the loss', () => {
    const l = booked(`
accounts: b=taxable
e1 2025-01-02 b buy ETFX 1000 @ 100
e2 2025-03-03 b sell ETFX 1000 @ 90
e3 2025-03-17 b buy ETFX 10 @ 91`);
    expect(washes(l)).toEqual(['e2 e1: gain -10000.00, disallowed 100.00']);
    expect(open(l)).toEqual(['b e3 10 basis 1010.00 adj 100.00 from 2025-01-16']);
  });
});

describe('the 61-day window (Reg. §1.1091-1(a))', () => {
  const around = (buyDate: string): Ledger =>
    booked(`
accounts: b=taxable
e1 2025-01-02 b buy X 100 @ 20
e2 ${buyDate} b buy X 100 @ 16
e3 2025-03-03 b sell X 100 @ 15 lots e1`);
  it('a purchase 30 days before the sale is inside (Feb 1 -> Mar 3)', () => expect(around('2025-02-01')).toMatchObject({ dispositions: [{ disallowed: 50_000 }] }));
  it('a purchase 31 days before the sale is outside (Jan 31 -> Mar 3)', () => expect(around('2025-01-31')).toMatchObject({ dispositions: [{ disallowed: 0 }] }));

  const after = (buyDate: string): Ledger =>
    booked(`
accounts: b=taxable
e1 2025-01-02 b buy X 100 @ 20
e2 2025-03-03 b sell X 100 @ 15
e3 ${buyDate} b buy X 100 @ 16`);
  it('a purchase 30 days after the sale is inside (Mar 3 -> Apr 2)', () => expect(after('2025-04-02')).toMatchObject({ dispositions: [{ disallowed: 50_000 }] }));
  it('a purchase 31 days after the sale is outside (Mar 3 -> Apr 3)', () => expect(after('2025-04-03')).toMatchObject({ dispositions: [{ disallowed: 0 }] }));
  it('the window spans a leap day: 2024-02-15 sale, 2024-03-16 purchase is day 30', () => {
    const l = booked(`
accounts: b=taxable
e1 2024-01-02 b buy X 10 @ 20
e2 2024-02-15 b sell X 10 @ 15
e3 2024-03-16 b buy X 10 @ 16`);
    expect(washes(l)).toEqual(['e2 e1: gain -50.00, disallowed 50.00']);
  });
});

describe('who and what can replace (Pub 550; Rev. Rul. 2008-5)', () => {
  it('a purchase in the taxpayer\'s IRA disallows the loss permanently and adds no basis', () => {
    const l = booked(`
accounts: b=taxable ira=traditional_ira
e1 2007-06-01 b buy X 100 @ 10
e2 2007-12-20 b sell X 100 @ 6
e3 2007-12-21 ira buy X 100 @ 6.1`);
    expect(washes(l)).toEqual(['e2 e1: gain -400.00, disallowed 400.00 permanent 400.00']);
    expect(open(l)).toEqual(['ira e3 100 basis 610.00 adj 0.00 from 2007-12-21']);
  });

  it('a Roth purchase does the same', () => {
    const l = booked(`
accounts: b=taxable roth=roth_ira
e1 2025-01-02 b buy X 10 @ 10
e2 2025-06-02 b sell X 10 @ 8
e3 2025-06-20 roth buy X 4 @ 8`);
    expect(washes(l)).toEqual(['e2 e1: gain -20.00, disallowed 8.00 permanent 8.00']);
  });

  it('the spouse\'s purchase washes the loss; the basis and holding period move to the spouse\'s lot', () => {
    const l = booked(`
accounts: b=taxable s=taxable:spouse
e1 2025-01-02 b buy EFG 100 @ 30
e2 2025-04-01 b sell EFG 100 @ 25
e3 2025-04-11 s buy EFG 100 @ 26`);
    expect(open(l)).toEqual(['s e3 100 basis 3100.00 adj 500.00 from 2025-01-12']);
  });

  it('replacements are matched in order of acquisition across accounts: the earlier IRA purchase takes the loss for good', () => {
    const l = booked(`
accounts: b=taxable ira=traditional_ira
e1 2025-01-02 b buy X 100 @ 10
e2 2025-06-02 b sell X 100 @ 8
e3 2025-06-05 ira buy X 60 @ 8
e4 2025-06-09 b buy X 100 @ 8`);
    expect(washes(l)).toEqual(['e2 e1: gain -200.00, disallowed 200.00 permanent 120.00']);
    expect(open(l)).toEqual(['b e4 40 basis 400.00 adj 80.00 from 2025-01-09', 'b e4#2 60 basis 480.00 adj 0.00 from 2025-06-09', 'ira e3 60 basis 480.00 adj 0.00 from 2025-06-05']);
  });

  it('one purchase split across accounts by a transfer: the taxable part is matched before the IRA part (documented reading)', () => {
    const l = booked(`
accounts: ira=traditional_ira joint=taxable
securities: VOO IVV
group: VOO IVV
e0 2024-01-15 joint buy VOO 10 @ 500
e1 2024-01-28 ira buy IVV 10 @ 500
e2 2024-01-28 ira transfer IVV 4 to joint
e3 2024-02-10 joint sell VOO 4 @ 450`);
    expect(washes(l)).toEqual(['e3 e0: gain -200.00, disallowed 200.00']);
    expect(open(l)).toContain('joint e1 4 basis 2200.00 adj 200.00 from 2024-01-02');
  });

  it('dividends reinvested after the sale are acquisitions', () => {
    const l = booked(`
accounts: b=taxable
e1 2025-01-02 b buy X 100 @ 10
e2 2025-03-20 b sell X 60 @ 8
e3 2025-03-31 b drip X 1.5 @ 8.1`);
    expect(washes(l)).toEqual(['e2 e1: gain -120.00, disallowed 3.00']);
  });

  it('dividends reinvested before the sale are acquisitions too, unless they are among the shares sold', () => {
    const l = booked(`
accounts: b=taxable
e1 2025-01-02 b buy X 100 @ 10
e2 2025-03-31 b drip X 2 @ 9
e3 2025-04-15 b sell X 50 @ 8`);
    expect(washes(l)).toEqual(['e3 e1: gain -100.00, disallowed 4.00']);
    const all = booked(`
accounts: b=taxable
e1 2025-01-02 b buy X 100 @ 10
e2 2025-03-31 b drip X 2 @ 9
e3 2025-04-15 b sell X 102 @ 8`);
    expect(washes(all)).toEqual(['e3 e1: gain -200.00, disallowed 0.00', 'e3 e2: gain -2.00, disallowed 0.00']);
  });

  it('the rest of the lot a loss came from is not its replacement', () => {
    const l = booked(`
accounts: b=taxable
e1 2025-03-01 b buy X 100 @ 10
e2 2025-03-10 b sell X 40 @ 9`);
    expect(washes(l)).toEqual(['e2 e1: gain -40.00, disallowed 0.00']);
  });

  it('shares already sold before the loss sale are no longer candidates', () => {
    const l = booked(`
accounts: b=taxable
e1 2025-01-02 b buy X 100 @ 10
e2 2025-02-20 b buy X 50 @ 9
e3 2025-02-25 b sell X 50 @ 9.5 lots e2
e4 2025-03-03 b sell X 100 @ 8 lots e1`);
    expect(washes(l)).toEqual(['e3 e2: gain 25.00, disallowed 0.00', 'e4 e1: gain -200.00, disallowed 0.00']);
  });

  it('a loss inside an IRA is never a wash sale (no loss is recognized there at all)', () => {
    const l = booked(`
accounts: ira=traditional_ira b=taxable
e1 2025-01-02 ira buy X 100 @ 10
e2 2025-02-03 ira sell X 100 @ 8
e3 2025-02-04 b buy X 100 @ 8`);
    expect(l.dispositions[0]).toMatchObject({ taxable: false, disallowed: 0 });
    expect(open(l)).toEqual(['b e3 100 basis 800.00 adj 0.00 from 2025-02-04']);
  });
});

describe('gains, order and one bite (Reg. §1.1091-1(b), (c), (e))', () => {
  it('a sale at a gain is never washed', () => {
    const l = booked(`
accounts: b=taxable
e1 2025-01-02 b buy VWX 100 @ 50
e2 2025-02-03 b sell VWX 100 @ 60
e3 2025-02-10 b buy VWX 100 @ 58`);
    expect(washes(l)).toEqual(['e2 e1: gain 1000.00, disallowed 0.00']);
    expect(open(l)).toEqual(['b e3 100 basis 5800.00 adj 0.00 from 2025-02-10']);
  });

  it('competing losses: the earlier loss takes the replacement, the later loss is allowed', () => {
    const l = booked(`
accounts: b=taxable
e1 2025-01-02 b buy X 100 @ 10
e2 2025-01-03 b buy Y 100 @ 10
e3 2025-03-03 b sell X 50 @ 8
e4 2025-03-05 b sell X 50 @ 7
e5 2025-03-10 b buy X 50 @ 7.5`);
    expect(washes(l)).toEqual(['e3 e1: gain -100.00, disallowed 100.00', 'e4 e1: gain -150.00, disallowed 0.00']);
  });

  it('a multi-lot sale matches its loss lots in the order they were acquired, whatever the lot method', () => {
    const l = booked(`
accounts: b=taxable
e1 2025-01-02 b buy X 10 @ 20
e2 2025-02-03 b buy X 10 @ 18
e3 2025-04-01 b sell X 20 @ 15 LIFO
e4 2025-04-10 b buy X 12 @ 15`);
    expect(washes(l)).toEqual(['e3 e2: gain -30.00, disallowed 6.00', 'e3 e1: gain -50.00, disallowed 50.00']);
    expect(open(l)).toEqual(['b e4 10 basis 200.00 adj 50.00 from 2025-01-11', 'b e4#2 2 basis 36.00 adj 6.00 from 2025-02-12']);
  });

  it('a replacement washes one loss only, even when a later loss is in another account', () => {
    const l = booked(`
accounts: b=taxable s=taxable:spouse
e1 2025-01-02 b buy X 10 @ 10
e2 2025-01-02 s buy X 10 @ 10
e3 2025-03-03 b sell X 10 @ 8
e4 2025-03-04 s sell X 10 @ 8
e5 2025-03-10 b buy X 10 @ 8`);
    expect(washes(l)).toEqual(['e3 e1: gain -20.00, disallowed 20.00', 'e4 e2: gain -20.00, disallowed 0.00']);
  });

  it('chains: a washed replacement sold at a loss carries its adjustment and is washed again (WS-014)', () => {
    const l = booked(`
accounts: b=taxable
e1 2025-01-02 b buy GHI 100 @ 50
e2 2025-03-03 b sell GHI 100 @ 40
e3 2025-03-10 b buy GHI 100 @ 42
e4 2025-04-01 b sell GHI 100 @ 38
e5 2025-04-15 b buy GHI 100 @ 39
e6 2025-06-02 b sell GHI 100 @ 45`);
    expect(washes(l)).toEqual(['e2 e1: gain -1000.00, disallowed 1000.00', 'e4 e3: gain -1400.00, disallowed 1400.00', 'e6 e5: gain -800.00, disallowed 0.00']);
    expect(l.dispositions.map((d) => formatDay(d.heldFrom))).toEqual(['2025-01-02', '2025-01-09', '2025-01-23']);
  });
});

describe('same day and splits', () => {
  it('a purchase earlier the same day replaces the shares sold later that day', () => {
    const l = booked(`
accounts: b=taxable
e1 2025-01-02 b buy X 10 @ 10
e2 2025-05-01 b buy X 10 @ 8
e3 2025-05-01 b sell X 10 @ 8 lots e1`);
    expect(washes(l)).toEqual(['e3 e1: gain -20.00, disallowed 20.00']);
  });

  it('a purchase later the same day replaces the shares sold earlier that day', () => {
    const l = booked(`
accounts: b=taxable
e1 2025-01-02 b buy X 10 @ 10
e2 2025-05-01 b sell X 10 @ 8
e3 2025-05-01 b buy X 10 @ 8`);
    expect(open(l)).toEqual(['b e3 10 basis 100.00 adj 20.00 from 2025-01-02']);
  });

  it('a split is not an acquisition, and it carries the wash adjustment and dates onto the new shares', () => {
    const l = booked(`
accounts: b=taxable
e1 2025-01-02 b buy X 10 @ 10
e2 2025-03-03 b sell X 10 @ 8
e3 2025-03-05 b buy X 10 @ 8
e4 2025-03-20 - split X 2:1`);
    expect(open(l)).toEqual(['b e3 20 basis 100.00 adj 20.00 from 2025-01-04']);
  });
});

describe('specific identification after a wash sale split the replacement lot', () => {
  const text = `
accounts: b=taxable
e1 2025-01-06 b buy X 2 @ 10
e2 2025-02-03 b sell X 2 @ 8
e3 2025-02-10 b buy X 5 @ 8`;
  it('the wash sale splits the replacement: 2 shares carry the $4 adjustment, 3 do not', () => {
    expect(open(booked(text))).toEqual(['b e3 2 basis 20.00 adj 4.00 from 2025-01-13', 'b e3#2 3 basis 24.00 adj 0.00 from 2025-02-10']);
  });
  it('naming the buying event sells every part of its lot (docs/ledger.md: "lots": ["e3"])', () => {
    const l = booked(`${text}\ne4 2025-06-02 b sell X 5 @ 9 lots e3`);
    expect(washes(l).slice(1)).toEqual(['e4 e3: gain -2.00, disallowed 0.00', 'e4 e3#2: gain 3.00, disallowed 0.00']);
    expect(l.openLots).toEqual([]);
  });
  it('with a share count, the parts are taken in acquisition order', () => {
    const l = booked(`${text}\ne4 2025-06-02 b sell X 4 @ 9 lots e3:4`);
    expect(open(l)).toEqual(['b e3#2 1 basis 8.00 adj 0.00 from 2025-02-10']);
  });
  it("a part's own id names that part alone", () => {
    // The notation treats '#' as a comment, so the sale is named here with the part's id directly.
    const s = scenario(`${text}\ne4 2025-06-02 b sell X 3 @ 9 lots PART`);
    const events = s.events.map((e) => (e.kind === 'sell' && e.id === 'e4' ? { ...e, selection: { method: 'SPECIFIC' as const, lots: [{ lot: 'e3#2' }] } } : e));
    const r = book(s.household, events);
    expect(r.ok && open(r.value)).toEqual(['b e3 2 basis 20.00 adj 4.00 from 2025-01-13']);
  });
});

describe('substantially identical securities', () => {
  it('two ETFs on the same index, configured as a group, wash each other', () => {
    const l = booked(`
accounts: b=taxable
group: VOO IVV
e1 2025-01-02 b buy VOO 10 @ 500
e2 2025-04-07 b sell VOO 10 @ 450
e3 2025-04-08 b buy IVV 9 @ 495`);
    expect(washes(l)).toEqual(['e2 e1: gain -500.00, disallowed 450.00']);
    expect(open(l)).toEqual(['b e3 9 basis 4905.00 adj 450.00 from 2025-01-03']);
  });

  it('ETFs on different indexes do not', () => {
    const l = booked(`
accounts: b=taxable
securities: VOO IVV VTI
group: VOO IVV
e1 2025-01-02 b buy VOO 10 @ 500
e2 2025-04-07 b sell VOO 10 @ 450
e3 2025-04-08 b buy VTI 15 @ 300`);
    expect(washes(l)).toEqual(['e2 e1: gain -500.00, disallowed 0.00']);
  });
});

describe('identity that changes with time (a fund changes index)', () => {
  // MUB tracked the S&P National AMT-Free Municipal Bond Index, VTEB's index, until 2021-09-14.
  const history = (sale: string, purchase: string): Ledger => {
    const trades = [`e2 ${sale} b sell VTEB 100 @ 54`, `e3 ${purchase} b buy MUB 50 @ 117`].sort((a, b) => (a.slice(3, 13) < b.slice(3, 13) ? -1 : 1));
    return booked(`
accounts: b=taxable
securities: MUB VTEB
period: MUB VTEB until 2021-09-14
e1 2021-06-01 b buy VTEB 100 @ 55
${trades.join('\n')}`);
  };

  it('a purchase of the twin within 30 days of a loss sale made while they were identical washes it', () => {
    expect(washes(history('2021-09-14', '2021-09-20'))).toEqual(['e2 e1: gain -100.00, disallowed 50.00']);
  });

  it('is judged on the date of the loss sale: a sale the day after the period ends is not washed', () => {
    expect(washes(history('2021-09-15', '2021-09-10'))).toEqual(['e2 e1: gain -100.00, disallowed 0.00']);
    expect(washes(history('2021-09-15', '2021-09-20'))).toEqual(['e2 e1: gain -100.00, disallowed 0.00']);
  });

  it('a purchase before the sale, inside the window, washes as well', () => {
    expect(washes(history('2021-09-01', '2021-08-20'))).toEqual(['e2 e1: gain -100.00, disallowed 50.00']);
  });

  it('the same symbol always washes itself, in or out of a period', () => {
    const l = booked(`
accounts: b=taxable
securities: MUB VTEB
period: MUB VTEB until 2021-09-14
e1 2021-09-01 b buy VTEB 100 @ 55
e2 2021-09-20 b sell VTEB 100 @ 54
e3 2021-09-25 b buy VTEB 100 @ 54`);
    expect(washes(l)).toEqual(['e2 e1: gain -100.00, disallowed 100.00']);
  });
});

describe('the order replacements are matched in (Reg. §1.1091-1(c)) when acquisitions tie', () => {
  it('two purchases the same day: the one booked first is matched first, even in an IRA', () => {
    const l = booked(`
accounts: b=taxable ira=traditional_ira
e1 2025-01-02 b buy X 10 @ 10
e2 2025-06-02 b sell X 10 @ 8
e3 2025-06-10 ira buy X 10 @ 8
e4 2025-06-10 b buy X 10 @ 8`);
    expect(washes(l)).toEqual(['e2 e1: gain -20.00, disallowed 20.00 permanent 20.00']);
    expect(open(l)).toContain('b e4 10 basis 80.00 adj 0.00 from 2025-06-10');
  });

  it('the same the other way round: the taxable purchase booked first takes the loss as basis', () => {
    const l = booked(`
accounts: b=taxable ira=traditional_ira
e1 2025-01-02 b buy X 10 @ 10
e2 2025-06-02 b sell X 10 @ 8
e3 2025-06-10 b buy X 10 @ 8
e4 2025-06-10 ira buy X 10 @ 8`);
    expect(washes(l)).toEqual(['e2 e1: gain -20.00, disallowed 20.00']);
  });

  // One purchase, split between two taxable accounts by a transfer, is one acquisition: its parts
  // tie on date and booking order, and the documented tie-break (account id) decides which part
  // carries the adjustment, whichever way the shares moved.
  for (const [from, to] of [['a', 'z'], ['z', 'a']] as const) {
    it(`parts of one purchase in two taxable accounts (moved ${from} -> ${to}): the part in account "a" is matched first`, () => {
      const l = booked(`
accounts: a=taxable m=taxable z=taxable
e0 2025-01-02 m buy X 10 @ 10
e1 2025-05-20 ${from} buy X 10 @ 8
e2 2025-05-20 ${from} transfer X 5 to ${to}
e3 2025-06-02 m sell X 10 @ 8`);
      expect(washes(l)).toEqual(['e3 e0: gain -20.00, disallowed 20.00']);
      const adjusted = l.openLots.filter((x) => x.washAdjustment > 0);
      expect(adjusted.map((x) => `${x.account} ${format('shares', x.shares)} adj ${format('usd', x.washAdjustment)}`)).toEqual(['a 5 adj 10.00', 'z 5 adj 10.00']);
    });
    it(`a partial wash of a purchase split ${from} -> ${to}: only the part in account "a" is a replacement`, () => {
      const l = booked(`
accounts: a=taxable m=taxable z=taxable
e0 2025-01-02 m buy X 4 @ 10
e1 2025-05-20 ${from} buy X 10 @ 8
e2 2025-05-20 ${from} transfer X 5 to ${to}
e3 2025-06-02 m sell X 4 @ 8`);
      const adjusted = l.openLots.filter((x) => x.washAdjustment > 0);
      expect(adjusted.map((x) => `${x.account} ${format('shares', x.shares)} adj ${format('usd', x.washAdjustment)}`)).toEqual(['a 4 adj 8.00']);
    });
  }

  it('the other part of one purchase, split by a transfer, is not a replacement for a loss on this part', () => {
    const l = booked(`
accounts: b=taxable s=taxable:spouse
e1 2025-05-01 b buy X 10 @ 10
e2 2025-05-02 b transfer X 4 to s
e3 2025-05-20 s sell X 4 @ 8`);
    expect(washes(l)).toEqual(['e3 e1: gain -8.00, disallowed 0.00']);
    expect(open(l)).toEqual(['b e1 6 basis 60.00 adj 0.00 from 2025-05-01']);
  });
});

describe('splitting the disallowed loss over several replacements', () => {
  it('cents add up to the whole loss: $10.00 over three one-share replacements is 3.33 + 3.34 + 3.33', () => {
    const l = booked(`
accounts: b=taxable
e1 2025-01-02 b buy X 3 @ 10
e2 2025-06-02 b sell X 3 @ 6.6666666
e3 2025-06-03 b buy X 1 @ 7
e4 2025-06-04 b buy X 1 @ 7
e5 2025-06-05 b buy X 1 @ 7`);
    const d = l.dispositions[0];
    expect(d?.washMatches.map((m) => format('usd', m.disallowed))).toEqual(['3.33', '3.34', '3.33']);
    expect(d?.disallowed).toBe(-(d?.gain ?? 0));
  });

  it('each replacement tacks on the holding period of the shares sold: acquired minus the days they were held', () => {
    const l = booked(`
accounts: b=taxable
e1 2025-01-02 b buy X 2 @ 10
e3 2025-05-25 b buy X 1 @ 8
e2 2025-06-02 b sell X 2 @ 8 lots e1
e4 2025-06-20 b buy X 1 @ 8`);
    expect(l.dispositions[0]?.washMatches.map((m) => (m.heldFrom === undefined ? '-' : formatDay(m.heldFrom)))).toEqual(['2024-12-25', '2025-01-20']);
  });
});

describe('the matcher on its own', () => {
  const day = (t: string): Day => parseDay(t) as Day;
  const candidate = (key: string, acquired: string, seq: number, n: number, taxAdvantaged = false, tieBreak = key): Candidate<string> => ({
    key,
    acquired: day(acquired),
    seq,
    tieBreak,
    available: shares(n),
    taxAdvantaged,
  });

  it('the window runs from 30 days before the sale to 30 days after it', () => {
    const w = washWindow(day('2025-03-03'));
    expect([formatDay(w.from), formatDay(w.to)]).toEqual(['2025-02-01', '2025-04-02']);
  });

  it('sorts candidates as Reg. §1.1091-1(c) matches them: acquisition date, booking order, taxable first, then account and lot', () => {
    const list = [
      candidate('late', '2025-03-10', 1, 1),
      candidate('ira-part', '2025-03-05', 7, 1, true, 'a'),
      candidate('z-part', '2025-03-05', 7, 1, false, 'z'),
      candidate('a-part', '2025-03-05', 7, 1, false, 'a'),
      candidate('booked-first', '2025-03-05', 3, 1, true),
      candidate('early', '2025-03-01', 9, 1),
    ];
    expect([...list].sort(compareCandidates).map((c) => c.key)).toEqual(['early', 'booked-first', 'a-part', 'z-part', 'ira-part', 'late']);
    expect([...list].reverse().sort(compareCandidates).map((c) => c.key)).toEqual(['early', 'booked-first', 'a-part', 'z-part', 'ira-part', 'late']);
  });

  it('parts of one purchase tied on date, booking order and account kind go by account, then lot, whatever order they come in', () => {
    const parts = ['b\u0000e2', 'a\u0000e7', 'c\u0000e1', 'a\u0000e3'].map((t) => candidate(t.replace('\u0000', '/'), '2025-03-05', 4, 1, false, t));
    const permutations = (xs: Candidate<string>[]): Candidate<string>[][] =>
      xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
    for (const order of permutations(parts)) {
      expect(order.sort(compareCandidates).map((c) => c.key)).toEqual(['a/e3', 'a/e7', 'b/e2', 'c/e1']);
    }
  });

  it('is a consistent comparator (ECMA-262 Array.prototype.sort): zero only for a candidate with itself, and b against a is the opposite of a against b', () => {
    // With an inconsistent comparator the sort order, and so which replacement absorbs the loss, would
    // be up to the engine's sort algorithm.
    const list = [
      candidate('early', '2025-03-01', 9, 1),
      candidate('booked-first', '2025-03-05', 3, 1, true),
      candidate('a/e3', '2025-03-05', 7, 1, false, 'a\u0000e3'),
      candidate('a/e7', '2025-03-05', 7, 1, false, 'a\u0000e7'),
      candidate('b/e2', '2025-03-05', 7, 1, false, 'b\u0000e2'),
      candidate('ira/e1', '2025-03-05', 7, 1, true, 'ira\u0000e1'),
    ];
    list.forEach((a, i) =>
      list.forEach((b, j) => {
        expect(Math.sign(compareCandidates(a, b)), `${a.key} against ${b.key}`).toBe(Math.sign(i - j));
      }),
    );
  });

  it('stops reading candidates once every loss share is matched', () => {
    function* lazy(): Generator<Candidate<string>> {
      yield candidate('first', '2025-03-05', 1, 6);
      yield candidate('second', '2025-03-06', 2, 6);
      throw new Error('read past the last candidate needed');
    }
    const matches = matchReplacements({ shares: shares(10), loss: usd(100), saleDate: day('2025-03-03'), heldFrom: day('2025-01-02') }, lazy());
    expect(matches.map((m) => [m.key, m.shares, m.disallowed])).toEqual([
      ['first', shares(6), usd(60)],
      ['second', shares(4), usd(40)],
    ]);
  });
});
