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

/** Usage problems (bad flags): exit code 2. Input problems are reported as issues: exit code 1. */
export class UsageError extends Error {}

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
