/**
 * The daily harvest use case over the fixture's price directory: lots bought before a later split
 * are priced in the day's units (the issue's SCHB case), a ledger that lacks a split the prices
 * show is refused with the split named, a held security without prices names its accounts, lots
 * and events, and a weekend uses Friday's closes with a note. The tax tables port serves the 2025
 * tables for the 2020 and 2022 dates here (a stand-in the CLI would announce; tables are not what
 * these cases test).
 */
import { describe, expect, it } from 'vitest';
import { decodeCaseDocument } from '../adapters/files/caseFile.js';
import { decodeHarvestInputs } from '../adapters/files/harvestInput.js';
import { priceDirectoryMarket } from '../adapters/files/priceDirectoryMarket.js';
import { taxTableFiles } from '../adapters/files/taxTableFiles.js';
import { FIXTURE_PRICES } from '../adapters/files/testPrices.test-util.js';
import { readUniverse } from '../adapters/files/universeFile.js';
import { parseDay, type Day } from '../core/kernel/calendar.js';
import { describeIssue, type Result } from '../core/kernel/errors.js';
import type { Universe } from '../core/securities/universe.js';
import { dailyHarvest, type DailyHarvest } from './dailyHarvest.js';
import type { TaxTables } from './ports.js';

const read = readUniverse();
if (!read.ok) throw new Error('the shipped universe does not load');
const universe: Universe = read.value;
const files = taxTableFiles();
const tables2025: TaxTables = { forYear: () => files.forYear(2025) };

interface Event {
  id: string;
  date: string;
  account?: string;
  action: string;
  [field: string]: string | undefined;
}

async function harvest(events: Event[], date: string): Promise<Result<DailyHarvest>> {
  const doc = {
    settings: { filingStatus: 'single', lotSelection: 'FIFO' },
    taxProfile: { ordinaryTaxableIncome: '150000', state: 'TX' },
    accounts: [
      { id: 'brokerage', type: 'taxable', owner: 'self' },
      { id: 'joint', type: 'taxable', owner: 'spouse' },
    ],
    events,
  };
  const c = decodeCaseDocument(doc, 'case.json');
  if (!c.ok) throw new Error(c.issues.map(describeIssue).join('\n'));
  const inputs = decodeHarvestInputs(c.value, universe);
  if (!inputs.ok) throw new Error(inputs.issues.map(describeIssue).join('\n'));
  const { profile, targets, config } = inputs.value;
  return dailyHarvest(
    { market: priceDirectoryMarket(FIXTURE_PRICES), tax: tables2025, universe: universe },
    { household: c.value.household, events: c.value.events, setup: { profile: profile.profile, stateDeductible: profile.stateDeductible, targets, config }, date: parseDay(date) as Day },
  );
}

const SCHB_2020: Event[] = [
  { id: 'd1', date: '2020-02-19', account: 'brokerage', action: 'deposit', amount: '8088.00' },
  { id: 'b1', date: '2020-02-19', account: 'brokerage', action: 'buy', symbol: 'SCHB', shares: '100', price: '80.88' },
];
const problems = (r: Result<DailyHarvest>): string[] => (r.ok ? [] : r.issues.map(describeIssue));

describe('dailyHarvest prices lots in the day\'s share units', () => {
  it('the issue\'s case: 100 SCHB bought at $80.88 on 2020-02-19 have lost $2,708.00 on 2020-03-20 (closing at $53.80 as traded), not $7,191.33', async () => {
    const r = await harvest(SCHB_2020, '2020-03-20');
    if (!r.ok) throw new Error(problems(r).join('\n'));
    const lot = r.value.proposals.candidates.find((c) => c.lotId === 'b1');
    expect(lot && [lot.marketValue, lot.loss]).toEqual([538_000, 270_800]);
    const sell = r.value.proposals.orders.find((o) => o.side === 'sell');
    expect(sell?.price).toBe(5_380_000_000);
  });

  it('prices lots across a split the ledger books: 10 SCHB at $113.69 on 2022-01-03 are 20 at $42.93 on 2022-06-16', async () => {
    const events: Event[] = [
      ...SCHB_2020,
      { id: 'd2', date: '2022-01-03', account: 'brokerage', action: 'deposit', amount: '1136.90' },
      { id: 'b2', date: '2022-01-03', account: 'brokerage', action: 'buy', symbol: 'SCHB', shares: '10', price: '113.69' },
      { id: 's1', date: '2022-03-11', action: 'split', symbol: 'SCHB', split_from: '1', split_to: '2' },
    ];
    const r = await harvest(events, '2022-06-16');
    if (!r.ok) throw new Error(problems(r).join('\n'));
    const lots = r.value.proposals.candidates.map((c) => [c.lotId, c.shares, c.marketValue, c.loss]);
    // b1 (200 sh, basis $8,088.00, now $8,586.00) is at a gain: no candidate.
    expect(lots).toEqual([['b2', 20_000_000, 85_860, 27_830]]);
  });

  it('refuses a ledger that lacks a split the prices show, naming the split, the account and the lot', async () => {
    expect(problems(await harvest(SCHB_2020, '2022-03-14'))).toEqual([
      expect.stringMatching(/^case\.json, row 2 \(event b1\), field symbol: the price data shows a 2-for-1 split of SCHB on 2022-03-11, .* in account brokerage, but the ledger has no split event for it.* \[SPLIT_MISMATCH\]$/),
    ]);
  });
});

describe('dailyHarvest on dates and securities without prices', () => {
  it('names every account, lot and buying event of a held security without prices', async () => {
    const events: Event[] = [
      { id: 'b1', date: '2025-01-02', account: 'brokerage', action: 'buy', symbol: 'IYE', shares: '10', price: '45' },
      { id: 'b2', date: '2025-01-03', account: 'joint', action: 'buy', symbol: 'IYE', shares: '5', price: '46' },
      { id: 'b3', date: '2025-01-06', account: 'joint', action: 'buy', symbol: 'IYE', shares: '5', price: '47' },
    ];
    expect(problems(await harvest(events, '2025-04-08'))).toEqual([
      'case.json, row 1 (event b1), field symbol: no close for IYE on Tuesday 2025-04-08 in the price data, held in account brokerage (lot b1): every held security needs a close to be valued [UNKNOWN_SECURITY]',
      'case.json, row 2 (event b2), field symbol: no close for IYE on Tuesday 2025-04-08 in the price data, held in account joint (lots b2, b3): every held security needs a close to be valued [UNKNOWN_SECURITY]',
    ]);
  });

  it('has no closes after the data ends, and uses Friday\'s on a Saturday with a note', async () => {
    expect(problems(await harvest(SCHB_2020, '2026-07-14'))).toEqual([`${FIXTURE_PRICES}: no closes for Tuesday 2026-07-14: the price data ends on Monday 2026-07-13 [NO_CLOSES]`]);
    const r = await harvest(SCHB_2020, '2020-03-21');
    if (!r.ok) throw new Error(problems(r).join('\n'));
    expect(r.value.notes).toContain('2020-03-21 is a Saturday: using the closes of Friday 2020-03-20');
    expect(r.value.proposals.candidates.find((c) => c.lotId === 'b1')?.loss).toBe(270_800);
  });
});
