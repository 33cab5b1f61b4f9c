/**
 * The real broker samples kept beside the repository (../shared/brokers/samples, or
 * $LOTSMITH_BROKER_SAMPLES): every Schwab and Fidelity CSV among them parses, or stops only with
 * located errors on actions that cannot be booked; their own totals are checked. The samples are
 * not part of the repository, so on a clone without them this test has nothing to check.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportBatch } from '../../app/importBatch.js';
import { formatShares, formatUsd, type Shares, type Usd } from '../../core/kernel/exact.js';
import { detectFormat } from './formats.js';

function samplesDir(): string | undefined {
  const fromEnv = process.env['LOTSMITH_BROKER_SAMPLES'];
  const dir = fromEnv !== undefined && fromEnv !== '' ? resolve(fromEnv) : resolve(process.cwd(), '..', 'shared', 'brokers', 'samples');
  return existsSync(dir) ? dir : undefined;
}

interface Expected {
  readonly format: string;
  /** Lines whose Action stops the import (UNSUPPORTED_ACTION); none means the file must parse. */
  readonly stops?: readonly number[];
  readonly events?: number;
  readonly splits?: number;
  readonly positions?: number;
  /** The file's own totals: agreeing, or the hand-edited disagreement documented in SOURCES.md. */
  readonly totals?: RegExp;
}

const EXPECTED: Readonly<Record<string, Expected>> = {
  'schwab-transactions-1.csv': { format: 'schwab-transactions', events: 11, totals: /^The Transactions Total on line 14: the rows add up to the stated amount \(-\$1574\.04\)$/ },
  'schwab-transactions-2.csv': { format: 'schwab-transactions', stops: [62, 110, 113, 114, 115, 116, 117, 118, 119] },
  'schwab-transactions-4.csv': { format: 'schwab-transactions', stops: [7, 9, 10, 11, 12, 19, 20] },
  'schwab-transactions-5.csv': { format: 'schwab-transactions', events: 8, splits: 2, totals: /^Warning: the Transactions Total on line 14 states amount -\$897\.10 but the rows add up to -\$1097\.10/ },
  'schwab-positions-1.csv': { format: 'schwab-positions', positions: 2, totals: /^Warning: Account Total on line 7 states cost basis \$717\.39 but the rows add up to \$2199\.59/ },
  'schwab-lotdetails-1.csv': { format: 'schwab-lot-details', events: 2, positions: 1, totals: /^Warning: the Total row on line 6 states quantity 10 but the rows add up to 30/ },
  'fidelity-history-2.csv': { format: 'fidelity-history', events: 16 },
  'fidelity-history-cma-1.csv': { format: 'fidelity-history', events: 11 },
};

const MINE = /^(schwab|fidelity)-(transactions|positions|lotdetails|history)/;
/** Formats whose samples statementSamples.test.ts checks. */
const STATEMENT_FORMATS = new Set(['ofx-investment', 'ibkr-flex', 'beancount']);

describe('real broker samples', () => {
  it('parse, or stop only with located errors on actions that cannot be booked', () => {
    const dir = samplesDir();
    if (dir === undefined) return;
    const names = readdirSync(dir).filter((n) => /\.(csv|json|ofx|qfx|xml)$/i.test(n));
    const parsedByName = new Map<string, ImportBatch>();
    for (const name of names) {
      const text = readFileSync(join(dir, name), 'utf8');
      const format = detectFormat(name, text);
      if (!MINE.test(name)) {
        expect(format === undefined || STATEMENT_FORMATS.has(format.id), `${name} is not a Schwab or Fidelity CSV`).toBe(true);
        continue;
      }
      const expected = EXPECTED[name];
      expect(format?.id, name).toBe(expected?.format ?? format?.id);
      if (format === undefined) throw new Error(`${name}: no format recognizes it`);
      const r = format.parse(name, text);
      if (!r.ok) {
        for (const i of r.issues) {
          expect(i.code, `${name}: ${i.message}`).toBe('UNSUPPORTED_ACTION');
          expect(i.at.file).toBe(name);
          expect(i.at.row).toBeGreaterThan(0);
          expect(i.at.field).toMatch(/^(Action|Symbol)$/);
        }
        if (expected !== undefined) expect(r.issues.map((i) => i.at.row), name).toEqual(expected.stops);
        continue;
      }
      expect(expected?.stops, `${name} was expected to stop`).toBeUndefined();
      parsedByName.set(name, r.value);
      if (expected === undefined) continue;
      if (expected.events !== undefined) expect(r.value.events, name).toHaveLength(expected.events);
      if (expected.splits !== undefined) expect(r.value.splits, name).toHaveLength(expected.splits);
      if (expected.positions !== undefined) expect(r.value.positions, name).toHaveLength(expected.positions);
      if (expected.totals !== undefined) expect(r.value.notes.filter((n) => expected.totals?.test(n)), name).toHaveLength(1);
    }
    // The positions file and the lot details of one account on one day tell the same SCHA holding.
    const positions = parsedByName.get('schwab-positions-1.csv');
    const lots = parsedByName.get('schwab-lotdetails-1.csv');
    if (positions !== undefined && lots !== undefined) {
      const scha = positions.positions.find((p) => p.symbol === 'SCHA');
      let lotShares = 0;
      let lotBasis = 0;
      for (const { event: e } of lots.events) {
        if (e.kind !== 'transfer_in') continue;
        lotShares += e.shares;
        lotBasis += e.basis + (e.washAdjustment ?? 0);
      }
      expect([formatShares(lotShares as Shares), formatUsd(lotBasis as Usd)]).toEqual(['30', '2164.70']);
      expect([formatShares(scha?.shares ?? (0 as Shares)), formatUsd(scha?.costBasis ?? (0 as Usd))]).toEqual(['30', '2164.70']);
    }
  });
});
