import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ascending } from './ascending.js';
import { checkProperty } from './property.test-util.js';

describe('ascending', () => {
  it('lists what the stable sort lists, ties in their given order', () => {
    const byKey = (a: { key: number }, b: { key: number }): number => a.key - b.key;
    checkProperty(
      fc.property(fc.array(fc.record({ key: fc.integer({ min: -5, max: 5 }), tag: fc.nat() }), { maxLength: 60 }), (items) => {
        expect([...ascending(items, byKey)]).toEqual([...items].sort(byKey));
      }),
    );
  });

  it('a caller that stops early has the smallest items first', () => {
    const taken: number[] = [];
    for (const n of ascending([9, 4, 7, 1, 8, 2], (a, b) => a - b)) {
      if (taken.length === 3) break;
      taken.push(n);
    }
    expect(taken).toEqual([1, 2, 4]);
  });
});
