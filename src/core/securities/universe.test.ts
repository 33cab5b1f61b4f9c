import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readUniverse } from '../../adapters/files/universeFile.js';
import { loadPriceBook } from '../../adapters/files/priceDirectory.js';
import { FIXTURE_PRICES, fullPriceDir } from '../../adapters/files/testPrices.test-util.js';
import { formatDay, parseDay, type Day } from '../kernel/calendar.js';
import { describeIssue } from '../kernel/errors.js';
import { symbol } from '../ledger/household.js';
import {
  alternatesFor,
  assetClassOf,
  checkUniverse,
  identicalGroups,
  identicalPeriods,
  kindShare,
  lastSharedIndexDay,
  measureClass,
  MAX_RISK_SCORE,
  MIN_RISK_SCORE,
  targetWeights,
  type AssetClass,
  type Universe,
  type UniverseSecurity,
} from './universe.js';
import { checkProperty } from '../kernel/property.test-util.js';

const d = (s: string): Day => parseDay(s) as Day;
const read = readUniverse();
if (!read.ok) throw new Error(read.issues.map(describeIssue).join('\n'));
const universe: Universe = read.value;
const alternates = (s: string, day?: string): string[] => alternatesFor(universe, symbol(s), day === undefined ? undefined : d(day)).map((x) => x.symbol);
const cls = (id: string): AssetClass => universe.classes.find((c) => c.id === id) as AssetClass;
const problems = (u: Universe): string[] => checkUniverse(u).map(describeIssue);
const withClass = (id: string, change: (c: AssetClass) => AssetClass): Universe => ({
  ...universe,
  classes: universe.classes.map((c) => (c.id === id ? change(c) : c)),
});

describe('the shipped universe (data/universe.json)', () => {
  it('passes every check', () => {
    expect(problems(universe)).toEqual([]);
  });

  it('has the nine asset classes, each with a primary and two alternates', () => {
    expect(universe.classes.map((c) => `${c.id}:${c.securities.map((s) => s.symbol).join('/')}`)).toEqual([
      'us_stocks:VTI/SCHB/ITOT',
      'foreign_developed:VEA/SCHF/IEFA',
      'emerging_markets:VWO/IEMG/SCHE',
      'dividend_growth:VIG/DGRO/SCHD',
      'real_estate:VNQ/SCHH/USRT',
      'natural_resources:XLE/VDE/IYE',
      'us_bonds:BND/AGG/VCIT',
      'tips:SCHP/TIP/VTIP',
      'municipal_bonds:VTEB/MUB/TFI',
    ]);
  });

  it('marks exactly the funds the price data has (the fixture holds every one of them), and orders those first', () => {
    const all = universe.classes.flatMap((c) => c.securities);
    const { book, issues } = loadPriceBook(FIXTURE_PRICES, { symbols: all.map((s) => s.symbol) });
    expect(issues.map((i) => i.code)).toEqual(['UNKNOWN_SECURITY', 'UNKNOWN_SECURITY']);
    expect(all.filter((s) => book.series.has(s.symbol) !== s.priceData).map((s) => s.symbol)).toEqual([]);
    expect(all.filter((s) => !s.priceData).map((s) => s.symbol)).toEqual(['IYE', 'VTIP']);
    for (const c of universe.classes) {
      const flags = c.securities.map((s) => s.priceData);
      expect(flags.indexOf(false) === -1 || flags.slice(flags.indexOf(false)).every((f) => !f)).toBe(true);
    }
  });

  const full = fullPriceDir();
  it.runIf(full !== undefined)('records the correlations and volatilities the full shared data set gives through 2024-12-31 (where this machine has it)', () => {
    const { book } = loadPriceBook(full as string, { symbols: universe.classes.flatMap((c) => c.securities.filter((s) => s.priceData).map((s) => s.symbol)) });
    for (const c of universe.classes) {
      const m = measureClass(c, book, universe.statisticsThrough);
      expect(m.volatility?.value, c.id).toBeCloseTo(c.volatility.value, 4);
      for (const p of m.pairs) {
        expect(p.measured === undefined, `${p.a}/${p.b}`).toBe(p.recorded === undefined);
        if (p.measured && p.recorded) {
          expect(Math.abs(p.measured.value - p.recorded.value), `${p.a}/${p.b}`).toBeLessThan(5e-5);
          expect(p.measured.months).toBe(p.recorded.months);
        }
      }
    }
  });
});

describe('alternates never track the same index on the day of the swap', () => {
  it('offers the other funds of the class in order today', () => {
    expect(alternates('VTI')).toEqual(['SCHB', 'ITOT']);
    expect(alternates('SCHB')).toEqual(['VTI', 'ITOT']);
    expect(alternates('VTEB')).toEqual(['MUB', 'TFI']);
    expect(alternates('NOPE')).toEqual([]);
    expect(assetClassOf(universe, symbol('TFI'))?.id).toBe('municipal_bonds');
  });

  it('leaves out funds that shared an index on that day (MUB until 2021-09-14, TIP until 2023-01-30, SCHE 2013-2015)', () => {
    expect(alternates('VTEB', '2021-09-14')).toEqual(['TFI']);
    expect(alternates('VTEB', '2021-09-15')).toEqual(['MUB', 'TFI']);
    expect(alternates('SCHP', '2022-06-01')).toEqual(['VTIP']);
    expect(alternates('TIP', '2023-01-31')).toEqual(['SCHP', 'VTIP']);
    expect(alternates('VWO', '2014-05-01')).toEqual(['IEMG']);
    expect(alternates('VWO', '2012-05-01')).toEqual(['IEMG', 'SCHE']);
    expect(alternates('AGG', '2010-01-15')).toEqual(['VCIT']);
  });

  it('groups the funds that were one security for wash-sale purposes on a day', () => {
    expect(identicalGroups(universe, d('2014-05-01'))).toEqual([['VWO', 'SCHE'], ['SCHP', 'TIP'], ['VTEB', 'MUB']]);
    expect(identicalGroups(universe)).toEqual([]);
  });

  it('turns index history into dated identical periods for the ledger', () => {
    const periods = identicalPeriods(universe).map((p) => `${p.symbols.join('=')} ${p.from === undefined ? '…' : formatDay(p.from)}..${p.until === undefined ? '…' : formatDay(p.until)}`);
    expect(periods).toEqual(expect.arrayContaining(['VTEB=MUB …..2021-09-14', 'SCHP=TIP …..2023-01-30']));
    expect(periods.find((p) => p.startsWith('VWO=SCHE'))).toMatch(/^VWO=SCHE \d{4}-\d\d-\d\d\.\.\d{4}-\d\d-\d\d$/);
    for (const p of identicalPeriods(universe)) {
      const [a, b] = p.symbols.map((s) => universe.classes.flatMap((c) => c.securities).find((x) => x.symbol === s) as UniverseSecurity);
      const inside = p.until ?? d('2026-01-01');
      expect(alternatesFor(universe, (a as UniverseSecurity).symbol, inside).map((x) => x.symbol)).not.toContain((b as UniverseSecurity).symbol);
      if (p.until !== undefined) expect(alternatesFor(universe, (a as UniverseSecurity).symbol, (p.until + 1) as Day).map((x) => x.symbol)).toContain((b as UniverseSecurity).symbol);
    }
  });

  it('knows the last day two funds shared an index', () => {
    const sec = (s: string): UniverseSecurity => cls('tips').securities.find((x) => x.symbol === s) as UniverseSecurity;
    expect(formatDay(lastSharedIndexDay(sec('SCHP'), sec('TIP')) as Day)).toBe('2023-01-30');
    expect(lastSharedIndexDay(sec('SCHP'), sec('VTIP'))).toBeUndefined();
  });
});

describe('risk score to target weights', () => {
  const score = fc.double({ min: MIN_RISK_SCORE, max: MAX_RISK_SCORE, noNaN: true });

  it('interpolates linearly between mapping points', () => {
    const w7 = targetWeights(universe, 7);
    const w6 = targetWeights(universe, 6);
    const w8 = targetWeights(universe, 8);
    for (const c of universe.classes) expect(w7?.get(c.id)).toBeCloseTo(((w6?.get(c.id) ?? 0) + (w8?.get(c.id) ?? 0)) / 2, 12);
    expect(kindShare(universe, w8 as ReadonlyMap<string, number>, 'stocks')).toBeCloseTo(0.75, 12);
    expect(targetWeights(universe, 0.4)).toBeUndefined();
    expect(targetWeights(universe, 10.01)).toBeUndefined();
    expect(targetWeights(universe, Number.NaN)).toBeUndefined();
  });

  it('gives weights that sum to 1 at every score', () => {
    checkProperty(
      fc.property(score, (r) => {
        const w = targetWeights(universe, r) as ReadonlyMap<string, number>;
        expect([...w.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        for (const v of w.values()) expect(v).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('never holds fewer stocks at a higher risk score', () => {
    checkProperty(
      fc.property(score, score, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const share = (r: number) => kindShare(universe, targetWeights(universe, r) as ReadonlyMap<string, number>, 'stocks');
        expect(share(hi)).toBeGreaterThanOrEqual(share(lo) - 1e-12);
      }),
    );
  });
});

describe('checkUniverse rejects', () => {
  const agg = cls('us_bonds').securities[1] as UniverseSecurity;

  it('two funds of a class on the same index (SCHZ tracks AGG\'s index)', () => {
    const schz: UniverseSecurity = { ...agg, symbol: symbol('SCHZ'), name: 'Schwab U.S. Aggregate Bond ETF', issuer: 'Schwab', index: 'Bloomberg U.S. Aggregate Bond Index' };
    const u = withClass('us_bonds', (c) => ({ ...c, securities: [...c.securities, schz] }));
    expect(problems(u)).toEqual(['field classes[6].securities[3].index: SCHZ and AGG both track Bloomberg U.S. Aggregate Bond Index: substantially identical, not alternates [BAD_VALUE]']);
  });

  it('a class without an alternate, and a fund listed twice', () => {
    const u = withClass('tips', (c) => ({ ...c, securities: [c.securities[0] as UniverseSecurity], correlations: [] }));
    expect(problems(u)).toEqual(['field classes[7].securities: asset class tips needs a primary and at least one alternate [BAD_VALUE]']);
    const twice = withClass('municipal_bonds', (c) => ({ ...c, securities: [...c.securities, agg] }));
    expect(problems(twice)[0]).toMatch(/classes\[8\]\.securities\[3\]\.symbol: AGG already appears in us_bonds \[DUPLICATE_ID\]/);
  });

  it('weights that do not sum to 1, a missing class, and fewer stocks at more risk', () => {
    const pts = universe.riskScores;
    const shift = (i: number, from: string, to: string, by: number) => {
      const w = new Map(pts[i]?.weights);
      w.set(from, (w.get(from) ?? 0) - by);
      w.set(to, (w.get(to) ?? 0) + by);
      return w;
    };
    const bad = pts.map((p, i) => (i === 4 ? { ...p, weights: shift(4, 'us_stocks', 'us_bonds', 0.2) } : i === 1 ? { ...p, weights: new Map([...p.weights].filter(([k]) => k !== 'tips')) } : p));
    expect(problems({ ...universe, riskScores: bad })).toEqual([
      'field riskScores[1].weights.tips: no weight for asset class tips [MISSING_FIELD]',
      'field riskScores[1].weights: weights sum to 0.840000, not 1 [BAD_VALUE]',
      'field riskScores[4].weights: risk score 8 holds fewer stocks than risk score 6 [BAD_VALUE]',
    ]);
    expect(problems({ ...universe, riskScores: pts.slice(1) })[0]).toMatch(/risk scores must run from 0.5 to 10, found 2 to 10/);
  });
});
