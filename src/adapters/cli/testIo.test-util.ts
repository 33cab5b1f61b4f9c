/** An in-process CliIo for tests: captures output, fixes today's date, runs `lotsmith` commands. */
import { dayFromCivil } from '../../core/kernel/calendar.js';
import type { CliIo } from './io.js';
import { runCli } from './program.js';

export interface CapturedIo {
  readonly io: CliIo;
  out(): string;
  err(): string;
}

/** The environment passes only the price directory through, so runs do not depend on the shell. */
export function captureIo(env: Record<string, string | undefined> = { LOTSMITH_PRICES: process.env['LOTSMITH_PRICES'] }): CapturedIo {
  let out = '';
  let err = '';
  return {
    io: {
      out: (t) => void (out += t),
      err: (t) => void (err += t),
      today: () => dayFromCivil(2026, 1, 15),
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
