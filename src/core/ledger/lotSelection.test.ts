/**
 * Which shares a sale relieves (Treas. Reg. §1.1012-1(c): first in, first out unless the shares
 * sold are adequately identified; Pub 550, "Identifying the shares sold"), method by method, on
 * lots of 10 shares held in one account. Prices are per share.
 */
import { describe, expect, it } from 'vitest';
import { parseDay, type Day } from '../kernel/calendar.js';
import { price, shares, usd, format } from '../kernel/exact.js';
import { accountId, eventId, symbol } from './household.js';
import type { LotSelection } from './events.js';
import type { Lot } from './lots.js';
import { selectLots, type SaleContext } from './lotSelection.js';

const d = (s: string): Day => parseDay(s) as Day;

/** A lot: id, shares, basis per share, trade date (and its origin, for parts split off). */
function lot(id: string, n: number, unitBasis: number, acquired: string, origin = id): Lot {
  return {
    id,
    origin: eventId(origin),
    seq: 0,
    account: accountId('b'),
    symbol: symbol('X'),
    shares: shares(n),
    basis: usd(n * unitBasis),
    acquired: d(acquired),
    heldFrom: d(acquired),
    washAdjustment: usd(0),
    purchase: true,
    replacement: false,
  };
}

const at = (date: string, p: number): SaleContext => ({ date: d(date), price: price(p) });

/** "lot:shares" for each relief, or the refusal's code and message. */
function relieved(open: readonly Lot[], want: number, selection: LotSelection, ctx = at('2025-06-02', 10)): string[] {
  const r = selectLots(open, shares(want), selection, ctx);
  if (!r.ok) return [`${r.code}: ${r.message}`];
  return r.reliefs.map((x) => `${(open[x.index] as Lot).id}:${format('shares', x.shares)}`);
}

const OPEN = [lot('e1', 10, 10, '2024-01-02'), lot('e2', 10, 14, '2024-06-03'), lot('e3', 10, 12, '2025-02-03')];

describe('FIFO, LIFO, HIFO', () => {
  it('FIFO takes the earliest acquired first', () => expect(relieved(OPEN, 15, { method: 'FIFO' })).toEqual(['e1:10', 'e2:5']));
  it('LIFO takes the latest acquired first', () => expect(relieved(OPEN, 15, { method: 'LIFO' })).toEqual(['e3:10', 'e2:5']));
  it('HIFO takes the highest basis per share first', () => expect(relieved(OPEN, 15, { method: 'HIFO' })).toEqual(['e2:10', 'e3:5']));
  it('HIFO breaks ties of basis first in, first out', () => {
    const tied = [lot('e1', 10, 10, '2024-01-02'), lot('e2', 10, 12, '2024-06-03'), lot('e3', 10, 12, '2025-02-03'), lot('e4', 10, 12, '2025-03-03')];
    expect(relieved(tied, 25, { method: 'HIFO' })).toEqual(['e2:10', 'e3:10', 'e4:5']);
  });
  it('HIFO and TAX_MIN break ties first in, first out among many lots: 100 lots at three prices, interleaved', () => {
    // Enough lots that the sort merges runs instead of only inserting one lot at a time.
    const prices = [12, 10, 11];
    const many = Array.from({ length: 100 }, (_, i) => lot(`e${i}`, 1, prices[(i * 7) % 3] as number, '2023-01-02'));
    const idsAt = (p: number): string[] => many.filter((_, i) => prices[(i * 7) % 3] === p).map((l) => `${l.id}:1`);
    const expected = [...idsAt(12), ...idsAt(11), ...idsAt(10)];
    expect(relieved(many, 100, { method: 'HIFO' })).toEqual(expected);
    // Sold at $13, every lot is a long-term gain: the smallest gain per share, the highest basis, first.
    expect(relieved(many, 100, { method: 'TAX_MIN' }, at('2025-06-02', 13))).toEqual(expected);
  });
  it('basis per share, not per lot: 5 shares at $20 come before 20 shares at $15', () => {
    expect(relieved([lot('e1', 20, 15, '2024-01-02'), lot('e2', 5, 20, '2024-02-02')], 5, { method: 'HIFO' })).toEqual(['e2:5']);
  });
  it('a sale of every share relieves every lot, whole', () => expect(relieved(OPEN, 30, { method: 'LIFO' })).toEqual(['e3:10', 'e2:10', 'e1:10']));
  it('selling more than is held is refused, naming both counts', () => {
    expect(relieved(OPEN, 30.5, { method: 'FIFO' })).toEqual(['OVERSELL: 30.5 shares requested but 30 held']);
  });
});

describe('TAX_MIN: short-term losses, long-term losses, long-term gains, short-term gains', () => {
  // Sold 2025-06-02 at $10: lots bought before 2024-06-02 are long-term.
  const lots = [
    lot('ltGainBig', 10, 5, '2023-01-03'),
    lot('ltLossSmall', 10, 11, '2023-02-01'),
    lot('ltGainSmall', 10, 9, '2023-03-01'),
    lot('ltLossBig', 10, 15, '2023-04-03'),
    lot('stGainBig', 10, 6, '2025-01-02'),
    lot('stLossSmall', 10, 10.5, '2025-02-03'),
    lot('stGainSmall', 10, 9.5, '2025-03-03'),
    lot('stLossBig', 10, 13, '2025-04-01'),
  ];
  it('orders every category and, within one, the largest loss per share or the smallest gain first', () => {
    expect(relieved(lots, 80, { method: 'TAX_MIN' })).toEqual([
      'stLossBig:10',
      'stLossSmall:10',
      'ltLossBig:10',
      'ltLossSmall:10',
      'ltGainSmall:10',
      'ltGainBig:10',
      'stGainSmall:10',
      'stGainBig:10',
    ]);
  });
  it('a lot at break-even has no loss to take: it comes after a long-term loss and with the short-term gains', () => {
    const even = [lot('stEven', 10, 10, '2025-03-03'), lot('ltLoss', 10, 12, '2023-01-03'), lot('stGain', 10, 9, '2025-01-02')];
    expect(relieved(even, 30, { method: 'TAX_MIN' })).toEqual(['ltLoss:10', 'stEven:10', 'stGain:10']);
  });
  it('the term is judged on the sale date: one year and a day makes a loss long-term', () => {
    const pair = [lot('a', 10, 12, '2024-06-01'), lot('b', 10, 11, '2024-06-02')];
    expect(relieved(pair, 10, { method: 'TAX_MIN' }, at('2025-06-02', 10))).toEqual(['b:10']);
    expect(relieved(pair, 10, { method: 'TAX_MIN' }, at('2025-06-03', 10))).toEqual(['a:10']);
  });
});

describe('SPECIFIC: the lots the sale names (adequate identification, Reg. §1.1012-1(c))', () => {
  const spec = (...lots: { lot: string; shares?: number }[]): LotSelection => ({
    method: 'SPECIFIC',
    lots: lots.map((l) => (l.shares === undefined ? { lot: l.lot } : { lot: l.lot, shares: shares(l.shares) })),
  });
  const parts = [lot('e1', 10, 10, '2024-01-02'), lot('e3', 2, 12, '2025-02-03'), lot('e3#2', 3, 12, '2025-02-03', 'e3')];

  it('named lots with counts, reported in acquisition order', () => {
    expect(relieved(OPEN, 12, spec({ lot: 'e3', shares: 8 }, { lot: 'e1', shares: 4 }))).toEqual(['e1:4', 'e3:8']);
  });
  it('the only lot named without a count gives what the sale still needs', () => {
    expect(relieved(OPEN, 12, spec({ lot: 'e2', shares: 5 }, { lot: 'e1' }))).toEqual(['e1:7', 'e2:5']);
    expect(relieved(OPEN, 4, spec({ lot: 'e2' }))).toEqual(['e2:4']);
  });
  it('an acquiring event\'s id names every part of its lot; a count is taken from the parts in order', () => {
    expect(relieved(parts, 5, spec({ lot: 'e3' }))).toEqual(['e3:2', 'e3#2:3']);
    expect(relieved(parts, 2, spec({ lot: 'e3', shares: 2 }))).toEqual(['e3:2']);
    expect(relieved(parts, 4, spec({ lot: 'e3', shares: 4 }))).toEqual(['e3:2', 'e3#2:2']);
  });
  it('a part\'s own id names that part alone', () => {
    expect(relieved(parts, 3, spec({ lot: 'e3#2' }))).toEqual(['e3#2:3']);
  });
  it('one lot named twice gives its shares once', () => {
    expect(relieved(OPEN, 12, spec({ lot: 'e1', shares: 6 }, { lot: 'e1', shares: 6 }))).toEqual(['OVERSELL: lot "e1" has fewer than 6 shares open']);
  });
  it('a count above the lot\'s shares is refused', () => {
    expect(relieved(OPEN, 12, spec({ lot: 'e1', shares: 12 }))).toEqual(['OVERSELL: lot "e1" has fewer than 12 shares open']);
  });
  it('an unknown lot is refused', () => {
    expect(relieved(OPEN, 5, spec({ lot: 'e9' }))).toEqual(['UNKNOWN_LOT: no open lot "e9" in this account and security']);
  });
  it('selling more than is held is refused as an oversell before looking at the names', () => {
    expect(relieved(OPEN, 31, spec({ lot: 'e1' }))).toEqual(['OVERSELL: 31 shares requested but 30 held']);
  });
  it('named lots that cover fewer shares than the sale are refused', () => {
    expect(relieved(OPEN, 15, spec({ lot: 'e1' }))).toEqual(['UNKNOWN_LOT: the named lots cover 10 shares but the sale is for 15']);
    expect(relieved(OPEN, 15, spec({ lot: 'e1', shares: 4 }, { lot: 'e2' }))).toEqual(['UNKNOWN_LOT: the named lots cover 14 shares but the sale is for 15']);
  });
  it('several uncounted lots that hold more than the sale leave open which shares are sold: counts are asked for', () => {
    expect(relieved(OPEN, 15, spec({ lot: 'e1' }, { lot: 'e2' }))).toEqual([
      'UNKNOWN_LOT: the named lots hold 20 shares but the sale is for 15: say how many shares come from each, e.g. {"lot": "e1", "shares": 5} (e1:5 in CSV)',
    ]);
  });
  it('an uncounted lot beside counts that already cover the sale is refused', () => {
    expect(relieved(OPEN, 5, spec({ lot: 'e1', shares: 5 }, { lot: 'e2' }))).toEqual([
      'UNKNOWN_LOT: lot "e2" is named but the lots with share counts already give the 5 shares sold',
    ]);
  });
  it('several uncounted lots holding exactly the sale are sold whole', () => {
    expect(relieved(OPEN, 20, spec({ lot: 'e3' }, { lot: 'e1' }))).toEqual(['e1:10', 'e3:10']);
  });
});
