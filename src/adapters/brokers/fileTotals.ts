/**
 * A file's own totals checked against its rows. A positions or lot-details export states totals
 * (Account Total, Total); the rows read must add up to them. When they do, the batch says so;
 * when they do not, the batch says where and by how much — the rows are booked as listed (they are
 * what the broker itemizes), and the difference is left for the user to see rather than hidden.
 */
import { format, type Unit } from '../../core/kernel/exact.js';

export interface TotalCheck {
  readonly what: string;
  readonly unit: Unit;
  readonly stated: number;
  readonly summed: number;
}

/** One note for a total row: all figures agree, or which disagree. */
export function totalsNote(where: string, checks: readonly TotalCheck[]): string | undefined {
  if (checks.length === 0) return undefined;
  const show = (c: TotalCheck, v: number): string => (c.unit === 'usd' ? `${v < 0 ? '-' : ''}$${format('usd', Math.abs(v))}` : format(c.unit, v));
  const off = checks.filter((c) => c.stated !== c.summed);
  const place = where.charAt(0).toUpperCase() + where.slice(1);
  if (off.length === 0) return `${place}: the rows add up to the stated ${checks.map((c) => `${c.what} (${show(c, c.stated)})`).join(' and ')}`;
  const diffs = off.map((c) => `${c.what} ${show(c, c.stated)} but the rows add up to ${show(c, c.summed)}`);
  return `Warning: ${where} states ${diffs.join('; ')} — the rows are imported as listed`;
}
