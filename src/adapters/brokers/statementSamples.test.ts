/**
 * The real broker files in ../shared/brokers/samples (beside the repository; not in it), when that
 * directory is there: every file one of these importers claims parses without issues — or with the
 * located issues its content calls for (options, foreign currency, a malformed file) — and where a
 * file states positions, the events it books never exceed them (what is left is the holding the
 * statement started from; zero where the file holds the whole history).
 * LOTSMITH_BROKER_SAMPLES points elsewhere.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeIssue } from '../../core/kernel/errors.js';
import { openingHoldings } from './brokerTesting.test-util.js';
import { beancountLedger } from './beancount.js';
import { detectFormat } from './formats.js';
import { ibkrFlex } from './ibkrFlex.js';
import { ofxInvestment } from './ofxInvestment.js';

const DIR = process.env['LOTSMITH_BROKER_SAMPLES'] || resolve(process.cwd(), '../shared/brokers/samples');
const MINE = new Set([ofxInvestment.id, ibkrFlex.id, beancountLedger.id]);

/** Samples whose content Lotsmith refuses, and the located issues it gives (a prefix of each). */
const REFUSED: Readonly<Record<string, readonly string[]>> = {
  'vanguard-ofx-2.ofx': ['vanguard-ofx-2.ofx, row 11, field TICKER: SECLIST gives CUSIP 012345678 two tickers, VFINX'],
  'ibkr-flexxml-1.xml': [
    'ibkr-flexxml-1.xml, row 11, field currency: trade in EUR cannot be booked',
    'ibkr-flexxml-1.xml, row 16, field type: the security is renamed',
    'ibkr-flexxml-1.xml, row 6, field currency: open lot of 1XJ in EUR',
  ],
  'ibkr-flexxml-3.xml': [
    "ibkr-flexxml-3.xml, row 5, field currency: trade in CAD cannot be booked: the account's base currency is CHF",
    'ibkr-flexxml-3.xml, row 18, field assetCategory: OPT trade of FB',
    'ibkr-flexxml-3.xml, row 38, field type: corporate action (no type) not booked: UUU(CA91701P1053) TENDERED',
  ],
  'ibkr-flexxml-synthetic-5.xml': ["ibkr-flexxml-synthetic-5.xml, row 109: malformed XML: Attribute 'description' is repeated."],
};

/** Positions the file's own events account for entirely (account|symbol -> shares held before). */
const OPENING: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'fidelity-ofx-1.ofx': { '01234567890|SDRL': 0, '01234567890|CLCT': 0, '01234567890|HI': 0, '01234567890|INTC': 0, '01234567890|XIN': 0, '01234567890|RHT': 50_000_000 },
  'vanguard-ofx-1.qfx': { '1234567|012345678': 0 },
  'vanguard-ofx-reinvest-3.ofx': { '123456789|TYCDT': 15_168_000 },
};

describe('real broker samples', () => {
  it('imports every sample an importer here claims, or refuses it with located issues', () => {
    if (!existsSync(DIR)) return;
    let claimed = 0;
    for (const name of readdirSync(DIR).sort()) {
      const text = readFileSync(join(DIR, name), 'utf8');
      const format = detectFormat(name, text);
      if (format === undefined || !MINE.has(format.id)) continue;
      claimed++;
      const result = format.parse(name, text);
      const refused = REFUSED[name];
      if (!result.ok) {
        for (const i of result.issues) expect(i.at.file !== undefined && i.at.row !== undefined, describeIssue(i)).toBe(true);
        expect(refused, `${name}: ${result.issues.map(describeIssue).join('\n')}`).toBeDefined();
        const texts = result.issues.map(describeIssue);
        for (const want of refused ?? []) expect(texts.some((t) => t.startsWith(want)), `${name} lacks "${want}"`).toBe(true);
        continue;
      }
      expect(refused, `${name} was expected to be refused`).toBeUndefined();
      const opening = openingHoldings(result.value);
      for (const [key, held] of opening) expect(held, `${name} ${key}: the file books more than it holds`).toBeGreaterThanOrEqual(0);
      for (const [key, held] of Object.entries(OPENING[name] ?? {})) expect(opening.get(key), `${name} ${key}`).toBe(held);
    }
    expect(claimed).toBeGreaterThan(0);
  });
});
