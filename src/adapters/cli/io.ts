/**
 * What a CLI command may touch, injected so tests run commands in-process and the clock is a
 * parameter: output streams, today's date, environment and working directory.
 */
import type { Day } from '../../core/kernel/calendar.js';
import { dayFromCivil } from '../../core/kernel/calendar.js';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  today(): Day;
  /** The wall clock, for timings and "generated at" stamps. */
  now(): Date;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** stderr is a terminal: progress bars are drawn (otherwise progress is logged in lines). */
  readonly interactive: boolean;
}

/**
 * The exit codes of every command: 0 success; 1 a problem with the input or the data (a file, a
 * field, missing prices) — reported as issues, or thrown as InputError; 2 a usage problem (a bad
 * flag or flag value) — thrown as UsageError.
 */
export const EXIT_OK = 0;
export const EXIT_INPUT = 1;
export const EXIT_USAGE = 2;

/** Usage problems (bad flags): exit code 2. */
export class UsageError extends Error {}

/** A problem with the input or data found where issues cannot be returned (e.g. no price directory): exit code 1. */
export class InputError extends Error {}

export function processIo(): CliIo {
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    today: () => {
      const now = new Date();
      return dayFromCivil(now.getFullYear(), now.getMonth() + 1, now.getDate());
    },
    now: () => new Date(),
    env: process.env,
    cwd: process.cwd(),
    interactive: process.stderr.isTTY,
  };
}
