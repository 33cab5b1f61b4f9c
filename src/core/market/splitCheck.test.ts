/**
 * Lots and the price data must agree on every split between a lot's purchase and the day it is
 * priced; the cases use SCHB's real splits (2:1 on 2022-03-11, 3:1 on 2024-10-11) and XLE's (2:1
 * on 2025-12-04) as the fixture's split column has them.
 */
import { describe, expect, it } from 'vitest';
import { seriesOf, testPrices } from '../../adapters/files/testPrices.test-util.js';
import { parseDay, type Day } from '../kernel/calendar.js';
import { describeIssue } from '../kernel/errors.js';
import { book } from '../ledger/booking.js';
import { symbol, type Symbol } from '../ledger/household.js';
import { scenario } from '../ledger/scenario.test-util.js';
import { splitsOf, type SplitRow } from './shareUnits.js';
import { ratioTerms, splitConflicts } from './splitCheck.js';

const prices = testPrices('SCHB', 'XLE');
const splits = new Map<Symbol, readonly SplitRow[]>([
  [symbol('SCHB'), splitsOf(seriesOf(prices, 'SCHB'))],
  [symbol('XLE'), splitsOf(seriesOf(prices, 'XLE'))],
]);

/** The conflicts of a scenario's ledger booked through `day`, as messages. */
function conflicts(text: string, day: string): string[] {
  const s = scenario(text);
  const through = parseDay(day) as Day;
  const ledger = book(s.household, s.events, { through });
  if (!ledger.ok) throw new Error(ledger.issues.map(describeIssue).join('\n'));
  return splitConflicts(ledger.value.openLots, s.events, splits, through).map(describeIssue);
}

const BOUGHT_2020 = `
accounts: brokerage=taxable ira=roth_ira
b1 2020-02-19 brokerage buy SCHB 100 @ 80.88
`;

describe('lots and prices that disagree about a split are reported, never priced', () => {
  it('passes a lot whose splits the ledger books on the data\'s dates, and any lot before its first split', () => {
    expect(conflicts(BOUGHT_2020, '2022-03-10')).toEqual([]);
    expect(conflicts(`${BOUGHT_2020}\ns1 2022-03-11 - split SCHB 2:1\ns2 2024-10-11 - split SCHB 3:1`, '2025-01-02')).toEqual([]);
  });

  it('names the symbol, the split\'s date and ratio, the account and the buying event when the ledger lacks the split', () => {
    expect(conflicts(BOUGHT_2020, '2022-03-14')).toEqual([
      'event b1, field symbol: the price data shows a 2-for-1 split of SCHB on 2022-03-11, after this lot was bought (2020-02-19) in account brokerage, ' +
        'but the ledger has no split event for it: the lot counts pre-split shares and the closes of 2022-03-14 are post-split. ' +
        "Add the split to the ledger (action split, symbol SCHB, split_from 1, split_to 2, dated the day it took effect) or correct the price file's split column [SPLIT_MISMATCH]",
    ]);
    expect(conflicts(`${BOUGHT_2020}\ns1 2022-03-11 - split SCHB 2:1`, '2025-01-02')).toEqual([expect.stringMatching(/a 3-for-1 split of SCHB on 2024-10-11.*split_from 1, split_to 3/)]);
  });

  it('accepts a ledger date a few days from the data\'s (inferred split dates can be 1-2 trading days early), but not on the days between', () => {
    const late = `${BOUGHT_2020}\ns1 2022-03-14 - split SCHB 2:1`;
    expect(conflicts(late, '2022-03-14')).toEqual([]);
    expect(conflicts(late, '2022-03-11')).toEqual([
      expect.stringMatching(/shows a 2-for-1 split of SCHB on 2022-03-11 but the ledger books it on 2022-03-14 \(event s1\), after 2022-03-11: on 2022-03-11 the closes are post-split/),
    ]);
    // Ten days off is another split, not this one.
    expect(conflicts(`${BOUGHT_2020}\ns1 2022-03-21 - split SCHB 2:1`, '2022-03-25')).toEqual([expect.stringMatching(/no split event for it/)]);
  });

  it('reports a ledger split the data shows only later: the closes of the days between are still pre-split', () => {
    expect(conflicts(`${BOUGHT_2020}\ns1 2022-03-09 - split SCHB 2:1`, '2022-03-10')).toEqual([
      expect.stringMatching(/the ledger books a 2-for-1 split of SCHB on 2022-03-09 \(event s1\) but the price data shows it on 2022-03-11: on 2022-03-10 the closes are still pre-split/),
    ]);
  });

  it('wants the same ratio, and the split in the lot\'s own account', () => {
    expect(conflicts(`${BOUGHT_2020}\ns1 2022-03-11 - split SCHB 3:1`, '2022-03-14')).toEqual([expect.stringMatching(/2-for-1 split of SCHB on 2022-03-11.*no split event/)]);
    const otherAccount = `${BOUGHT_2020}\nd1 2020-02-19 ira deposit 2000\nb2 2020-02-19 ira buy SCHB 20 @ 80.88\ns1 2022-03-11 ira split SCHB 2:1`;
    expect(conflicts(otherAccount, '2022-03-14')).toEqual([expect.stringMatching(/^event b1, .* in account brokerage, but the ledger has no split event/)]);
  });

  it('ignores splits before a lot was bought: its shares were bought in post-split units', () => {
    expect(conflicts('accounts: brokerage=taxable\nb1 2022-03-11 brokerage buy SCHB 10 @ 49.60\nb2 2025-01-02 brokerage buy XLE 10 @ 86.5', '2025-04-08')).toEqual([
      expect.stringMatching(/3-for-1 split of SCHB on 2024-10-11, after this lot was bought \(2022-03-11\)/),
    ]);
    expect(conflicts('accounts: brokerage=taxable\nb1 2024-10-11 brokerage buy SCHB 10 @ 22.40', '2025-04-08')).toEqual([]);
  });

  it('reports a split once per account and security, naming every lot it affects', () => {
    const text = `accounts: brokerage=taxable
b1 2020-02-19 brokerage buy SCHB 100 @ 80.88
b2 2020-03-20 brokerage buy SCHB 50 @ 53.80
b3 2025-01-02 brokerage buy XLE 10 @ 86.5`;
    const found = conflicts(text, '2025-12-05');
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^event b1, .*2-for-1 split of SCHB on 2022-03-11.*; the same holds for lot b2 \[SPLIT_MISMATCH\]$/);
    expect(found[2]).toMatch(/^event b3, .*2-for-1 split of XLE on 2025-12-04/);
  });

  it('checks only the splits after `since` when asked, taking lots bought before the events given to be older', () => {
    const s = scenario(`${BOUGHT_2020}\nd2 2022-03-01 brokerage deposit 500\nb2 2022-03-01 brokerage buy SCHB 5 @ 100`);
    const through = parseDay('2022-03-14') as Day;
    const ledger = book(s.household, s.events, { through });
    if (!ledger.ok) throw new Error('does not book');
    // The daily run's view: only the last 30 days of events (b1 is older, b2 is among them).
    const recent = s.events.filter((e) => e.date >= (parseDay('2022-02-12') as Day));
    const found = splitConflicts(ledger.value.openLots, recent, splits, through, { since: parseDay('2022-02-12') as Day }).map(describeIssue);
    expect(found).toEqual([expect.stringMatching(/^event b1, field symbol: the price data shows a 2-for-1 split of SCHB on 2022-03-11, after this lot was bought \(2020-02-19\).*; the same holds for lot b2 \[SPLIT_MISMATCH\]$/)]);
    expect(splitConflicts(ledger.value.openLots, recent, splits, parseDay('2024-12-02') as Day, { since: parseDay('2024-11-01') as Day })).toEqual([]);
  });

  it('writes ratios as whole shares', () => {
    expect([2, 3, 0.5, 1.5, 0.1].map(ratioTerms)).toEqual([
      { to: 2, from: 1 },
      { to: 3, from: 1 },
      { to: 1, from: 2 },
      { to: 3, from: 2 },
      { to: 1, from: 10 },
    ]);
  });
});
