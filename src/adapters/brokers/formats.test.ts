/**
 * The format registry: each fixture is recognized by its content (whatever its name), by exactly
 * one format, and files of other kinds are claimed by none.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixture } from './brokers.test-util.js';
import { detectFormat, FILE_FORMATS } from './formats.js';

const EXPECTED: Record<string, string> = {
  'schwab-transactions-2020.csv': 'schwab-transactions',
  'schwab-transactions-2024.csv': 'schwab-transactions',
  'schwab-transactions-unsupported.csv': 'schwab-transactions',
  'schwab-positions-2020.csv': 'schwab-positions',
  'schwab-positions-2025.csv': 'schwab-positions',
  'schwab-positions-all-accounts.csv': 'schwab-positions',
  'schwab-lotdetails-VTI.csv': 'schwab-lot-details',
  'schwab-lotdetails-wash.csv': 'schwab-lot-details',
  'fidelity-history-2023.csv': 'fidelity-history',
  'fidelity-history-2025.csv': 'fidelity-history',
  'fidelity-history-all-accounts.csv': 'fidelity-history',
  'vanguard-401k.ofx': 'ofx-investment',
  'fidelity-brokerage.ofx': 'ofx-investment',
  'etrade-v2.qfx': 'ofx-investment',
  'transfer-in-no-basis.ofx': 'ofx-investment',
  'options.ofx': 'ofx-investment',
  'malformed.ofx': 'ofx-investment',
  'truncated.ofx': 'ofx-investment',
  'ibkr-activity.xml': 'ibkr-flex',
  'ibkr-two-accounts.xml': 'ibkr-flex',
  'ibkr-unsupported.xml': 'ibkr-flex',
  'ibkr-malformed.xml': 'ibkr-flex',
  'household.beancount': 'beancount',
  'beancount-syntax.beancount': 'beancount',
  'beancount-unsupported.beancount': 'beancount',
};

describe('detectFormat', () => {
  it('knows every fixture', () => {
    expect(readdirSync(FIXTURES).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, id] of Object.entries(EXPECTED)) {
    it(`recognizes ${name} as ${id}, by content alone, and no other format claims it`, () => {
      const { text } = fixture(name);
      expect(detectFormat('download.csv', text)?.id).toBe(id);
      expect(FILE_FORMATS.filter((f) => f.sniff('download.csv', text)).map((f) => f.id)).toEqual([id]);
    });
  }

  it('claims nothing else', () => {
    expect(detectFormat('case.csv', 'id,date,account,action,symbol,shares,price,fees,amount\ne1,2025-01-02,b,buy,X,10,10,0,\n')).toBeUndefined();
    expect(detectFormat('x.ofx', 'OFXHEADER:100\nDATA:OFXSGML\n<OFX>')?.id).toBe('ofx-investment');
    expect(detectFormat('empty.csv', '')).toBeUndefined();
  });

  it('lists each format once, with a custodian and a description', () => {
    expect(new Set(FILE_FORMATS.map((f) => f.id)).size).toBe(FILE_FORMATS.length);
    for (const f of FILE_FORMATS) expect(f.description.length).toBeGreaterThan(20);
    expect(FILE_FORMATS.map((f) => f.custodian)).toEqual(['schwab', 'schwab', 'schwab', 'fidelity', 'ofx', 'ibkr', 'beancount']);
  });
});
