/**
 * One data row read by column name: text, exact numbers and the place of each problem.
 * A malformed cell becomes an issue naming the file, line and the file's own column name, and
 * marks the row as failed so nothing is booked from it.
 */
import { issue, type Issue, type IssueCode } from '../../core/kernel/errors.js';
import type { Price, Shares, Unit, Usd, Exact } from '../../core/kernel/exact.js';
import type { SourceRef } from '../../core/ledger/events.js';
import { cellValue, isEmptyCell } from './cells.js';
import type { CsvRow, Header } from './csvRows.js';

export class Fields<K extends string> {
  failed = false;

  constructor(
    readonly row: CsvRow,
    private readonly header: Header<K>,
    readonly file: string,
    private readonly issues: Issue[],
  ) {}

  get line(): number {
    return this.row.line;
  }

  /** The cell, trimmed; '' when the column is absent or the row is short. */
  text(k: K): string {
    const i = this.header.index[k];
    return i === undefined ? '' : (this.row.cells[i] ?? '').trim();
  }

  /** A symbol cell: upper case, without the `**` Fidelity marks its core money market with. */
  symbol(k: K): string {
    return this.text(k).toUpperCase().replace(/\*+$/, '');
  }

  /** Whether the cell holds a value (not empty, not `--` or `N/A`). */
  has(k: K): boolean {
    return !isEmptyCell(this.text(k));
  }

  at(k?: K): SourceRef {
    const field = k === undefined ? undefined : (this.header.label[k] ?? k);
    return { file: this.file, row: this.row.line, ...(field !== undefined ? { field } : {}) };
  }

  problem(code: IssueCode, k: K | undefined, message: string): void {
    this.failed = true;
    this.issues.push(issue(code, message, this.at(k)));
  }

  usd(k: K): Usd | undefined {
    return this.number('usd', k);
  }

  shares(k: K): Shares | undefined {
    return this.number('shares', k);
  }

  price(k: K): Price | undefined {
    return this.number('price', k);
  }

  private number<U extends Unit>(unit: U, k: K): Exact<U> | undefined {
    const r = cellValue(unit, this.text(k));
    if (r.ok) return r.value;
    this.problem('BAD_NUMBER', k, r.reason);
    return undefined;
  }
}
