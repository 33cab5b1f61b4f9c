/**
 * `lotsmith demo`: books the example households shipped in examples/households and prints each
 * one's open lots and realized gains, as a tour of the ledger.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Command } from 'commander';
import { book } from '../../core/ledger/booking.js';
import { form8949 } from '../../core/ledger/form8949.js';
import { loadCase } from '../files/caseFile.js';
import { gainsTable } from '../render/gains.js';
import { reportIssues } from './caseCommands.js';
import type { CliIo } from './io.js';

export const EXAMPLES_DIR = fileURLToPath(new URL('../../../examples/households/', import.meta.url));

export function registerDemoCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('demo')
    .description('book the shipped example households and print their lots and realized gains')
    .option('--dir <dir>', 'directory of household case files', EXAMPLES_DIR)
    .action((o: { dir: string }) => {
      const files = readdirSync(o.dir).filter((f) => f.endsWith('.json')).sort();
      for (const f of files) {
        const loaded = loadCase(join(o.dir, f));
        if (!loaded.ok) return setExit(reportIssues(io, loaded.issues));
        const booked = book(loaded.value.household, loaded.value.events);
        if (!booked.ok) return setExit(reportIssues(io, booked.issues));
        const description = loaded.value.document['description'];
        io.out(`\n=== ${f}${typeof description === 'string' ? ` — ${description}` : ''}\n`);
        io.out(gainsTable({ report: form8949(booked.value), openLots: booked.value.openLots, explain: true }));
      }
    });
}
