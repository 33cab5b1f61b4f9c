/**
 * Number cells as brokers spell them, turned into the ledger's exact units.
 *
 * Money comes in at least these spellings (docs/imports.md): `$1,234.56`, `-$1,234.56`, `$-0.88`
 * (sign after the dollar sign), `($1,234.56)` (accounting negative), `+$1.00`, bare `1234.56` and
 * `-1234.56`; thousands separators come and go within one file and stray spaces trail some cells.
 * Empty markers (`--`, `N/A`, `-`, `NA`, `not applicable`) mean "no value", like an empty cell.
 *
 * Example: plainDecimal('($1,234.56)') === '-1234.56'; plainDecimal('$-0.88') === '-0.88'.
 */
import { exact, type Exact, type Unit } from '../../core/kernel/exact.js';

const EMPTY_MARKERS = new Set(['', '--', '-', 'n/a', 'na', 'not applicable']);

export function isEmptyCell(text: string | undefined): boolean {
  return text === undefined || EMPTY_MARKERS.has(text.trim().toLowerCase());
}

const NUMBER = /^(\()?\s*([+-])?\s*\$?\s*([+-])?\s*(\d{1,3}(?:,\d{3})+|\d*)(\.\d*)?\s*(\))?$/;

/** The cell as a plain signed decimal ("-1234.56"), or undefined when it is not a number. */
export function plainDecimal(text: string): string | undefined {
  const m = NUMBER.exec(text.trim());
  if (m === null) return undefined;
  const [, open, signBefore, signAfter, whole = '', fraction = '', close] = m;
  if ((open === undefined) !== (close === undefined)) return undefined;
  if (signBefore !== undefined && signAfter !== undefined) return undefined;
  if (open !== undefined && (signBefore ?? signAfter) !== undefined) return undefined;
  const digits = whole.replace(/,/g, '');
  if (digits === '' && fraction.length <= 1) return undefined;
  const negative = open !== undefined || (signBefore ?? signAfter) === '-';
  return `${negative ? '-' : ''}${digits === '' ? '0' : digits}${fraction === '.' ? '' : fraction}`;
}

export type CellValue<U extends Unit> =
  | { readonly ok: true; readonly value: Exact<U> | undefined }
  | { readonly ok: false; readonly reason: string };

/** An exact value of `unit` from a broker cell; `value` undefined for an empty cell. */
export function cellValue<U extends Unit>(unit: U, text: string | undefined): CellValue<U> {
  if (isEmptyCell(text)) return { ok: true, value: undefined };
  const raw = (text as string).trim();
  const plain = plainDecimal(raw);
  if (plain === undefined) return { ok: false, reason: `not a number: "${raw}"` };
  const r = exact(unit, plain);
  return r.ok ? { ok: true, value: r.value } : { ok: false, reason: r.reason.replace(`"${plain}"`, `"${raw}"`) };
}
