/**
 * One run of the `lotsmith gains` pipeline in a fresh process (as a user runs it): read + parse the
 * case (a CSV directory or a JSON file), book with household wash sales, build the Form 8949 rows.
 * Prints its timings as JSON. Usage: node dist/bench/pipelineRun.js CASE_DIR|CASE.json
 */
import { book } from '../core/ledger/booking.js';
import { form8949 } from '../core/ledger/form8949.js';
import { loadCase } from '../adapters/files/caseFile.js';

const dir = process.argv[2] as string;
const t0 = performance.now();
const loaded = loadCase(dir);
if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues.slice(0, 3)));
const t1 = performance.now();
const booked = book(loaded.value.household, loaded.value.events);
if (!booked.ok) throw new Error(JSON.stringify(booked.issues.slice(0, 3)));
const t2 = performance.now();
const rows = form8949(booked.value).rows.length;
const t3 = performance.now();
process.stdout.write(
  JSON.stringify({
    parseMs: t1 - t0,
    bookMs: t2 - t1,
    form8949Ms: t3 - t2,
    totalMs: t3 - t0,
    events: loaded.value.events.length,
    rows,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }) + '\n',
);
