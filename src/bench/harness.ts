/**
 * Benchmark plumbing: timed runs with a warm-up, medians, peak memory, and a table of figures.
 * Wall-clock time is read here (an adapter), never in the core.
 */
export interface Timing {
  readonly medianMs: number;
  readonly runsMs: readonly number[];
}

export function time<T>(runs: number, fn: () => T): { timing: Timing; last: T } {
  let last = fn();
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = fn();
    runsMs.push(performance.now() - t0);
  }
  const sorted = [...runsMs].sort((a, b) => a - b);
  return { timing: { medianMs: sorted[Math.floor(sorted.length / 2)] as number, runsMs }, last };
}

export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function report(title: string, rows: readonly (readonly [string, string])[]): void {
  const width = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(`\n${title}\n${'-'.repeat(title.length)}\n`);
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
}
