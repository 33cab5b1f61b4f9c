/**
 * The `lotsmith` command line: commander wiring around the command modules. `runCli` returns the
 * exit code instead of exiting, so tests (and the golden files) run it in-process.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { PACKAGE_ROOT } from '../files/priceDirectory.js';
import { registerBacktestCommand } from './backtestCommand.js';
import { registerBookCommands } from './bookCommands.js';
import { registerRunCommands } from './runCommands.js';
import { registerServeCommands } from './serveCommand.js';
import { registerBenchCommand } from './benchCommand.js';
import { registerCaseCommands } from './caseCommands.js';
import { registerDemoCommand } from './demo.js';
import { registerDirectCommand } from './directCommand.js';
import { registerHarvestCommand } from './harvestCommand.js';
import { EXIT_INPUT, EXIT_OK, EXIT_USAGE, InputError, UsageError, type CliIo } from './io.js';
import { registerTaxCommands } from './taxCommands.js';
import { registerUniverseCommands } from './universeCommands.js';

/** The version in package.json, for --version. */
const VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = EXIT_OK;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  const program = new Command('lotsmith')
    .description('Lotsmith: exact household tax lots, wash sales, tax model, daily tax-loss harvesting and backtests')
    .version(VERSION, '-V, --version', 'print the version of lotsmith')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError();
  registerCaseCommands(program, io, setExit);
  registerBookCommands(program, io, setExit);
  registerRunCommands(program, io, setExit);
  registerServeCommands(program, io, setExit);
  registerDemoCommand(program, io, setExit);
  registerHarvestCommand(program, io, setExit);
  registerBacktestCommand(program, io, setExit);
  registerBenchCommand(program, io, setExit);
  registerUniverseCommands(program, io, setExit);
  registerTaxCommands(program, io, setExit);
  registerDirectCommand(program, io, setExit);
  try {
    await program.parseAsync(['node', 'lotsmith', ...argv]);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    if (err instanceof UsageError) {
      io.err(`lotsmith: ${err.message}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof InputError) {
      io.err(`lotsmith: ${err.message}\n`);
      return EXIT_INPUT;
    }
    throw err;
  }
  return exitCode;
}
