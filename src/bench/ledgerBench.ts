/**
 * Ledger benchmarks on a generated household traded on real prices:
 *  - booking throughput: events/s and postings/s of `book` (wash sales included) on ~1M events;
 *  - the whole pipeline of `lotsmith gains`: read + parse the case, book with household wash
 *    sales, build the Form 8949 rows — on ~1M booked postings (86 accounts, 10 years), from the
 *    CSV case and from the same household as a JSON case file, with the ratio of the two.
 * Postings are counted as a double-entry ledger (beancount) would write them, so the figure is
 * comparable with beancount's booking rate.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { book } from '../core/ledger/booking.js';
import type { Ledger } from '../core/ledger/ledger.js';
import { parseDay, type Day } from '../core/kernel/calendar.js';
import type { LedgerEvent } from '../core/ledger/events.js';
import type { PriceBook } from '../core/market/prices.js';
import { loadCase } from '../adapters/files/caseFile.js';
import { generateHousehold, toCaseJson, type HouseholdSpec } from './generatedHousehold.js';
import { fmt, report, time } from './harness.js';

const FUNDS = ['VTI', 'VEA', 'VWO', 'VIG', 'VNQ', 'XLE', 'BND', 'TIP'];
/** beancount 2.3.5 booking rate on this machine, from the issue (not measurable here: no PyPI). */
const BEANCOUNT_POSTINGS_PER_S = 12_700;

/** Postings as a double-entry ledger writes them: each lot leg, the cash leg, the income leg. */
export function postings(events: readonly LedgerEvent[], ledger: Ledger): number {
  let n = 0;
  for (const e of events) {
    if (e.kind === 'sell') n += 2;
    else if (e.kind === 'split') continue;
    else n += 2;
  }
  return n + ledger.dispositions.length;
}

/** The household as a CSV case directory and as a JSON case file beside it. */
function writeCase(spec: HouseholdSpec, prices: PriceBook): { dir: string; json: string; events: number } {
  const g = generateHousehold(prices, spec);
  const dir = mkdtempSync(join(tmpdir(), 'lotsmith-bench-'));
  writeFileSync(join(dir, 'accounts.csv'), g.accountsCsv);
  writeFileSync(join(dir, 'transactions.csv'), g.transactionsCsv);
  const json = join(dir, 'case.json');
  writeFileSync(json, toCaseJson(g));
  return { dir, json, events: g.events };
}

function load(dir: string) {
  const c = loadCase(dir);
  if (!c.ok) throw new Error(JSON.stringify(c.issues.slice(0, 3)));
  return c.value;
}

export function runLedgerBench(prices: PriceBook, quick: boolean): void {
  const day = (s: string): Day => parseDay(s) as Day;
  const base = { accounts: 86, funds: FUNDS, from: day('2015-01-01'), to: day('2024-12-31'), seed: 7 };
  const runs = quick ? 1 : 3;

  const big = writeCase({ ...base, contributionsPerWeek: 3 }, prices);
  const bigCase = load(big.dir);
  const booked = time(runs, () => {
    const r = book(bigCase.household, bigCase.events);
    if (!r.ok) throw new Error(JSON.stringify(r.issues.slice(0, 3)));
    return r.value;
  });
  const bigPostings = postings(bigCase.events, booked.last);
  const eventsPerS = bigCase.events.length / (booked.timing.medianMs / 1000);
  const postingsPerS = bigPostings / (booked.timing.medianMs / 1000);
  report('Booking throughput (book(), household wash sales included)', [
    ['household', `86 accounts, ${FUNDS.length} funds, 2015-2024, 3 contributions/week, real closes and dividends`],
    ['events', fmt(bigCase.events.length)],
    ['postings', fmt(bigPostings)],
    ['lots relieved / wash matches', `${fmt(booked.last.dispositions.length)} / ${fmt(booked.last.dispositions.reduce((s, d) => s + d.washMatches.length, 0))}`],
    ['median time', `${fmt(booked.timing.medianMs)} ms (runs: ${booked.timing.runsMs.map((x) => fmt(x)).join(', ')})`],
    ['events/s', fmt(eventsPerS)],
    ['postings/s', fmt(postingsPerS)],
    ['vs beancount 2.3.5 (12.7k postings/s, from the issue)', `${fmt(postingsPerS / BEANCOUNT_POSTINGS_PER_S, 1)}x`],
  ]);

  const std = writeCase({ ...base, contributionsPerWeek: 1 }, prices);
  const stdCase = load(std.dir);
  const stdBooked = book(stdCase.household, stdCase.events);
  if (!stdBooked.ok) throw new Error('booking failed');
  const p = postings(stdCase.events, stdBooked.value);
  const csvRuns: PipelineRun[] = [];
  const jsonRuns: PipelineRun[] = [];
  for (let i = 0; i < (quick ? 1 : 5); i++) {
    csvRuns.push(freshPipelineRun(std.dir));
    jsonRuns.push(freshPipelineRun(std.json));
  }
  const median = (rs: readonly PipelineRun[], k: keyof PipelineRun): number => [...rs.map((r) => r[k])].sort((a, b) => a - b)[Math.floor(rs.length / 2)] as number;
  const csvMs = median(csvRuns, 'totalMs');
  const jsonMs = median(jsonRuns, 'totalMs');
  const events = stdCase.events.length;
  report('Whole pipeline of `lotsmith gains` (read + parse the case, book, household wash sales, Form 8949), fresh process per run', [
    ['household', `86 accounts, ${FUNDS.length} funds, 2015-2024, weekly contributions, dividends reinvested, monthly partial sells`],
    ['events / postings', `${fmt(events)} / ${fmt(p)}`],
    ['Form 8949 rows', fmt((csvRuns[0] as PipelineRun).rows)],
    ['CSV: median parse / book / 8949', `${fmt(median(csvRuns, 'parseMs'))} / ${fmt(median(csvRuns, 'bookMs'))} / ${fmt(median(csvRuns, 'form8949Ms'))} ms`],
    ['CSV: median total', `${fmt(csvMs)} ms (target 1,500 ms; runs: ${csvRuns.map((r) => fmt(r.totalMs)).join(', ')})`],
    ['CSV: events/s, postings/s', `${fmt(events / (csvMs / 1000))}, ${fmt(p / (csvMs / 1000))}`],
    ['CSV: peak RSS (child)', `${fmt(median(csvRuns, 'peakRssMb'))} MB`],
    ['JSON case file', `${fmt(statSync(std.json).size / 1e6, 1)} MB (CSV ${fmt(statSync(join(std.dir, 'transactions.csv')).size / 1e6, 1)} MB)`],
    ['JSON: median parse / book / 8949', `${fmt(median(jsonRuns, 'parseMs'))} / ${fmt(median(jsonRuns, 'bookMs'))} / ${fmt(median(jsonRuns, 'form8949Ms'))} ms`],
    ['JSON: median total', `${fmt(jsonMs)} ms (runs: ${jsonRuns.map((r) => fmt(r.totalMs)).join(', ')})`],
    ['JSON: events/s', fmt(events / (jsonMs / 1000))],
    ['JSON: peak RSS (child)', `${fmt(median(jsonRuns, 'peakRssMb'))} MB`],
    ['JSON / CSV time', `${fmt(jsonMs / csvMs, 2)}x (target <= 2x)`],
    ['vs beancount booking alone (~78 s for a comparable ledger)', `${fmt(78_000 / csvMs, 1)}x faster`],
  ]);
}

interface PipelineRun {
  readonly parseMs: number;
  readonly bookMs: number;
  readonly form8949Ms: number;
  readonly totalMs: number;
  readonly rows: number;
  readonly peakRssMb: number;
}

function freshPipelineRun(dir: string): PipelineRun {
  const out = execFileSync(process.execPath, [fileURLToPath(new URL('./pipelineRun.js', import.meta.url)), dir], { encoding: 'utf8' });
  return JSON.parse(out) as PipelineRun;
}
