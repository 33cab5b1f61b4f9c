/**
 * `lotsmith demo`: books the example households shipped in examples/households (JSON case files
 * and CSV case directories) and prints each one's open lots and realized gains, as a tour of the
 * ledger. Every household is loaded and booked before anything is printed: a bad one fails the
 * run with its problems and prints no household.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Command } from 'commander';
import { issue, type Issue } from '../../core/kernel/errors.js';
import { book } from '../../core/ledger/booking.js';
import { form8949 } from '../../core/ledger/form8949.js';
import type { Ledger } from '../../core/ledger/ledger.js';
import { loadCase } from '../files/caseFile.js';
import { gainsTable } from '../render/gains.js';
import { reportIssues } from './caseCommands.js';
import type { CliIo } from './io.js';

export const EXAMPLES_DIR = fileURLToPath(new URL('../../../examples/households/', import.meta.url));

/** The household cases of a directory: its .json files and its subdirectories holding transactions.csv. */
function caseEntries(dir: string): { entries: string[] } | { problem: Issue } {
  if (!existsSync(dir)) return { problem: issue('PARSE', 'directory not found', { file: dir }) };
  if (!statSync(dir).isDirectory()) return { problem: issue('PARSE', '--dir takes a directory of household cases (JSON files or CSV case directories), not a file', { file: dir }) };
  const entries = readdirSync(dir, { withFileTypes: true })
    .filter((e) => (e.isFile() && e.name.endsWith('.json')) || (e.isDirectory() && existsSync(join(dir, e.name, 'transactions.csv'))))
    .map((e) => e.name)
    .sort();
  if (entries.length === 0) return { problem: issue('PARSE', 'no household cases here: expected JSON case files or CSV case directories', { file: dir }) };
  return { entries };
}

export function registerDemoCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('demo')
    .description('book the shipped example households and print their lots and realized gains')
    .option('--dir <dir>', 'directory of household cases: JSON files and CSV case directories', EXAMPLES_DIR)
    .action((o: { dir: string }) => {
      const found = caseEntries(o.dir);
      if ('problem' in found) return setExit(reportIssues(io, [found.problem]));
      const booked: { name: string; description: unknown; ledger: Ledger }[] = [];
      const problems: Issue[] = [];
      for (const name of found.entries) {
        const loaded = loadCase(join(o.dir, name));
        if (!loaded.ok) {
          problems.push(...loaded.issues);
          continue;
        }
        const ledger = book(loaded.value.household, loaded.value.events);
        if (!ledger.ok) problems.push(...ledger.issues);
        else booked.push({ name, description: loaded.value.document['description'], ledger: ledger.value });
      }
      if (problems.length > 0) return setExit(reportIssues(io, problems));
      for (const { name, description, ledger } of booked) {
        io.out(`\n=== ${name}${typeof description === 'string' ? ` — ${description}` : ''}\n`);
        io.out(gainsTable({ report: form8949(ledger), openLots: ledger.openLots, explain: true }));
      }
    });
}
