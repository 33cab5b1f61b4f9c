/**
 * Shared rendering helpers: exact values to JSON numbers and text, dates in the forms reports
 * use, and plain tables (cli-table3) and CSV (quoted only when needed).
 */
import Table from 'cli-table3';
import { formatDay, civilFromDay, type Day } from '../../core/kernel/calendar.js';
import { toNumber, format } from '../../core/kernel/exact.js';

export const money = (v: number): number => toNumber('usd', v);
export const qty = (v: number): number => toNumber('shares', v);
export const px = (v: number): number => toNumber('price', v);
export const moneyText = (v: number): string => format('usd', v);
export const qtyText = (v: number): string => format('shares', v);
export const day = (d: Day): string => formatDay(d);

/** MM/DD/YYYY, as Form 8949 and TXF print dates. */
export function usDate(d: Day): string {
  const { year, month, day: dd } = civilFromDay(d);
  return `${String(month).padStart(2, '0')}/${String(dd).padStart(2, '0')}/${year}`;
}

export function table(head: readonly string[], rows: readonly (readonly (string | number)[])[], numericFrom = 0): string {
  const t = new Table({
    head: [...head],
    style: { head: [], border: [], compact: true },
    colAligns: head.map((_, i) => (i >= numericFrom && numericFrom > 0 ? 'right' : 'left')),
  });
  for (const r of rows) t.push(r.map(String));
  return t.toString();
}

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csv(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [head, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
