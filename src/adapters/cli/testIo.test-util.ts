/** An in-process CliIo for tests: captures output, fixes today's date, runs `lotsmith` commands. */
import { dayFromCivil, type Day } from '../../core/kernel/calendar.js';
import { FIXTURE_PRICES } from '../files/testPrices.test-util.js';
import type { CliIo } from './io.js';
import { runCli } from './program.js';

export interface CapturedIo {
  readonly io: CliIo;
  out(): string;
  err(): string;
}

/**
 * The environment holds only the price directory, the fixture in the repository, so runs depend
 * neither on the shell nor on the machine having the full data set.
 */
export function captureIo(env: Record<string, string | undefined> = { LOTSMITH_PRICES: FIXTURE_PRICES }, today: Day = dayFromCivil(2026, 1, 15)): CapturedIo {
  let out = '';
  let err = '';
  return {
    io: {
      out: (t) => void (out += t),
      err: (t) => void (err += t),
      today: () => today,
      now: () => new Date('2026-01-15T12:00:00Z'),
      env,
      cwd: process.cwd(),
      interactive: false,
    },
    out: () => out,
    err: () => err,
  };
}

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `lotsmith ...args` in-process. */
export async function lotsmith(...args: string[]): Promise<CliRun> {
  const c = captureIo();
  const code = await runCli(args, c.io);
  return { code, out: c.out(), err: c.err() };
}
