import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROPERTY_SEED, checkProperty } from './property.test-util.js';

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return testFiles(p);
    return p.endsWith('.test.ts') ? [p] : [];
  });
}

describe('seeded property tests', () => {
  it('a failing property names the seed that reproduces it', () => {
    expect(() => checkProperty(fc.property(fc.integer({ min: 0, max: 100 }), (n) => n < 50))).toThrow(`rerun with LOTSMITH_SEED=${PROPERTY_SEED}`);
  });

  it('an async property too', async () => {
    await expect(checkProperty(fc.asyncProperty(fc.integer({ min: 0, max: 100 }), async (n) => n < 50))).rejects.toThrow(`LOTSMITH_SEED=${PROPERTY_SEED}`);
  });

  it('the same seed draws the same cases', () => {
    const draws = (): number[] => {
      const seen: number[] = [];
      checkProperty(fc.property(fc.integer(), (n) => void seen.push(n)), { numRuns: 20 });
      return seen;
    };
    expect(draws()).toEqual(draws());
  });

  it('every property test goes through checkProperty, so none runs unseeded', () => {
    const direct = testFiles('src').filter((f) => /\bfc\.(assert|check)\(/.test(readFileSync(f, 'utf8')));
    expect(direct).toEqual([]);
  });
});
