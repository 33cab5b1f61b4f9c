/**
 * Charles Schwab positions CSV (`<Nick>-Positions-YYYY-MM-DD-HHMMSS.csv`,
 * `All-Accounts-Positions-....CSV`): the 2020 header (25 columns, trailing comma) and the 2025 one
 * (`Qty (Quantity)`, `Mkt Val (Market Value)`, `Security Type` or `Asset Type`), one account or an
 * All-Accounts file of blocks each introduced by its account label line.
 *
 * What it yields: a stated position (symbol, quantity, cost basis as of the title's date) per
 * security row, for reconciling the booked lots; no events, since positions carry no acquisition
 * dates (a Lot Details export does). Cash & Cash Investments and the Account Total rows are not
 * positions; options and short positions are not lots and are left out (counted in the notes).
 * Each block's Account Total is checked against its rows (cost basis of the positions, market value
 * with the cash row).
 */
import type { Day } from '../../core/kernel/calendar.js';
import { fail, issue, type Result } from '../../core/kernel/errors.js';
import type { Usd } from '../../core/kernel/exact.js';
import { symbol as toSymbol } from '../../core/ledger/household.js';
import type { FileFormat, ImportBatch } from '../../app/importBatch.js';
import { namedAccount, type NamedAccount } from './accountNames.js';
import { BatchBuilder } from './batchBuilder.js';
import { filledCells, findHeader, isBlankRow, matchHeader, missingHeader, readCsvRows, type ColumnSpec, type CsvRow, type Header } from './csvRows.js';
import { dateInTitle } from './dates.js';
import { Fields } from './fields.js';
import { totalsNote, type TotalCheck } from './fileTotals.js';
import { isOptionSymbol } from './unsupported.js';

type Col = 'symbol' | 'quantity' | 'marketValue' | 'costBasis' | 'securityType';

const COLUMNS: readonly ColumnSpec<Col>[] = [
  { key: 'symbol', names: ['symbol'] },
  { key: 'quantity', names: ['quantity', 'qty'] },
  { key: 'marketValue', names: ['market value', 'mkt val'], required: false },
  { key: 'costBasis', names: ['cost basis'] },
  { key: 'securityType', names: ['security type', 'asset type'], required: false },
];
const FORMAT = 'schwab-positions';
const TITLE = /^positions\s+for\s+(?:account\s+)?(.*?)\s+as\s+of\b/i;
const TOTAL_ROW = /^(account total|positions total)$/i;
const CASH_ROW = /^cash\s*&\s*(cash investments|money market)/i;

export const schwabPositions: FileFormat = {
  id: FORMAT,
  custodian: 'schwab',
  description: 'Charles Schwab positions CSV (one account or All-Accounts), for reconciling booked lots',
  sniff: (_fileName, text) => {
    const head = readCsvRows(text.split(/\r?\n|\r/, 8).join('\n'), '');
    if (!head.ok) return false;
    const first = head.value.find((r) => !isBlankRow(r));
    return first !== undefined && TITLE.test(filledCells(first).join(' ')) && findHeader(head.value, COLUMNS) !== undefined;
  },
  parse: parseSchwabPositions,
};

interface Block {
  readonly account: NamedAccount;
  readonly header: Header<Col>;
}

export function parseSchwabPositions(file: string, text: string): Result<ImportBatch> {
  const read = readCsvRows(text, file);
  if (!read.ok) return read;
  const rows = read.value;
  const b = new BatchBuilder(FORMAT, file, 'schwab');
  const titleRow = rows.find((r) => !isBlankRow(r));
  const title = titleRow === undefined ? undefined : TITLE.exec(filledCells(titleRow).join(' '));
  if (titleRow === undefined || title === null || title === undefined) {
    return fail([issue('PARSE', 'no title line "Positions for account ... as of ...": not a Schwab positions export', { file, row: titleRow?.line ?? 1 })]);
  }
  const asOf = dateInTitle(filledCells(titleRow).join(' '));
  if (asOf === undefined) return fail([issue('BAD_DATE', 'the title line names no date (MM/DD/YYYY or YYYY/MM/DD)', { file, row: titleRow.line })]);
  const allAccounts = /^all[- ]accounts$/i.test((title[1] ?? '').trim());
  const single = allAccounts ? undefined : namedAccount(title[1] ?? '');
  let found = 0;
  for (let i = rows.indexOf(titleRow) + 1; i < rows.length; ) {
    const header = findHeader(rows, COLUMNS, i);
    if (header === undefined) break;
    const account = single ?? blockAccount(rows, header);
    if (account === undefined) {
      b.issues.push(issue('PARSE', 'an All-Accounts block without its account label line before the header', { file, row: header.line }));
      break;
    }
    found++;
    b.account(account.key, account.title, account.type);
    i = readBlock(b, rows, { account, header }, asOf);
  }
  if (found === 0) return fail([missingHeader(file, COLUMNS)]);
  return b.finish();
}

/** The label line just above an All-Accounts block's header: `"Intelligent XXXX-4321"`. */
function blockAccount(rows: readonly CsvRow[], header: Header<Col>): NamedAccount | undefined {
  for (let i = header.at - 1; i >= 0; i--) {
    const row = rows[i] as CsvRow;
    if (isBlankRow(row)) continue;
    const cells = filledCells(row);
    return cells.length === 1 && !TITLE.test(cells[0] as string) ? namedAccount(cells[0] as string) : undefined;
  }
  return undefined;
}

/** Reads one block's rows; returns the index after its Account Total (or its end). */
function readBlock(b: BatchBuilder, rows: readonly CsvRow[], block: Block, asOf: Day): number {
  let costBasis = 0;
  let costKnown = true;
  let marketValue = 0;
  let i = block.header.at + 1;
  for (; i < rows.length; i++) {
    const row = rows[i] as CsvRow;
    if (isBlankRow(row) || matchHeader(row, COLUMNS, i) !== undefined) break;
    if (filledCells(row).length === 1) break;
    const f = new Fields(row, block.header, b.file, b.issues);
    const symbol = f.text('symbol');
    const value = f.usd('marketValue');
    if (TOTAL_ROW.test(symbol)) {
      checkTotal(b, f, { costBasis: costKnown ? costBasis : undefined, marketValue });
      return i + 1;
    }
    marketValue += value ?? 0;
    if (CASH_ROW.test(symbol) || /cash and money market/i.test(f.text('securityType'))) continue;
    const cost = f.usd('costBasis');
    if (cost === undefined) costKnown = false;
    else costBasis += cost;
    readPosition(b, f, block, asOf, cost);
  }
  return i;
}

/** States the row's position, unless it is not one lots can hold (an option, a short). */
function readPosition(b: BatchBuilder, f: Fields<Col>, block: Block, asOf: Day, cost: Usd | undefined): void {
  const symbol = f.symbol('symbol');
  const shares = f.shares('quantity');
  if (f.failed) return;
  if (symbol === '') return f.problem('MISSING_FIELD', 'symbol', 'a position without a symbol');
  if (isOptionSymbol(symbol) || /option/i.test(f.text('securityType'))) return b.tally('Positions', 'left out (options are not lots)');
  if (shares === undefined) return f.problem('MISSING_FIELD', 'quantity', `the position in ${symbol} has no quantity`);
  if (shares <= 0) return b.tally('Positions', 'left out (short or empty positions are not lots)');
  b.position({ accountKey: block.account.key, symbol: toSymbol(symbol), asOf, shares, ...(cost !== undefined ? { costBasis: cost } : {}), source: f.at() });
  b.security(symbol);
  b.tally('Positions', 'stated for reconciliation (no events: positions carry no acquisition dates)');
}

function checkTotal(b: BatchBuilder, f: Fields<Col>, summed: { costBasis: number | undefined; marketValue: number }): void {
  const statedCost: Usd | undefined = f.usd('costBasis');
  const statedValue: Usd | undefined = f.usd('marketValue');
  const checks: TotalCheck[] = [];
  if (statedCost !== undefined && summed.costBasis !== undefined) checks.push({ what: 'cost basis', unit: 'usd', stated: statedCost, summed: summed.costBasis });
  if (statedValue !== undefined) checks.push({ what: 'market value', unit: 'usd', stated: statedValue, summed: summed.marketValue });
  const note = totalsNote(`${f.text('symbol')} on line ${f.line}`, checks);
  if (note !== undefined) b.note(note);
}
