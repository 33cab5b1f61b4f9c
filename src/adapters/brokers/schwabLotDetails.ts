/**
 * Charles Schwab per-symbol Lot Details CSV (unrealized lots): title
 * `"SCHA Lot Details for XXXX-4321 as of 02:45 AM ET, 09/25/2020"`, a blank line, the header, one row
 * per open lot and a `Total` row. Two layouts, read by column name: the normal one (Open Date,
 * Quantity, ..., Cost Basis, ...) and the wash-sale one, which adds the original figures
 * (Transaction Open, Transaction CB, ...) beside the adjusted ones and a Disallowed Loss column.
 *
 * Each lot becomes a `transfer_in` dated on the file's date — the account's opening lots, keeping
 * their acquisition dates and basis (onboarding an account mid-life): shares = Quantity, acquired =
 * Transaction Open (the purchase) or Open Date, held-from = Open Date when a wash sale moved it
 * earlier, basis = Cost Basis less the wash adjustment, wash adjustment = Disallowed Loss (or
 * Cost Basis − Transaction CB when only those are given) — so the booked lot's basis is Schwab's
 * adjusted Cost Basis. The Total row (or the lots' sum without one) is the stated position, and the
 * lots are checked against it.
 */
import { formatDay, type Day } from '../../core/kernel/calendar.js';
import { fail, issue, type Result } from '../../core/kernel/errors.js';
import { format, type Shares, type Usd } from '../../core/kernel/exact.js';
import type { TransferIn } from '../../core/ledger/events.js';
import { accountId, eventId, symbol as toSymbol } from '../../core/ledger/household.js';
import type { FileFormat, ImportBatch } from '../../app/importBatch.js';
import { namedAccount } from './accountNames.js';
import { BatchBuilder } from './batchBuilder.js';
import { filledCells, findHeader, isBlankRow, missingHeader, readCsvRows, type ColumnSpec, type CsvRow } from './csvRows.js';
import { dateInTitle, parseUsDateTime } from './dates.js';
import { Fields } from './fields.js';
import { totalsNote } from './fileTotals.js';
import { RowKeys } from './rowKeys.js';

type Col = 'openDate' | 'transactionOpen' | 'quantity' | 'costBasis' | 'transactionCostBasis' | 'marketValue' | 'disallowedLoss';

const COLUMNS: readonly ColumnSpec<Col>[] = [
  { key: 'openDate', names: ['open date'] },
  { key: 'transactionOpen', names: ['transaction open'], required: false },
  { key: 'quantity', names: ['quantity'] },
  { key: 'costBasis', names: ['cost basis'] },
  { key: 'transactionCostBasis', names: ['transaction cb'], required: false },
  { key: 'marketValue', names: ['market value'], required: false },
  { key: 'disallowedLoss', names: ['disallowed loss'], required: false },
];
const FORMAT = 'schwab-lot-details';
const TITLE = /^(\S+)\s+lot\s+details\s+for\s+(.*?)\s+as\s+of\b/i;

export const schwabLotDetails: FileFormat = {
  id: FORMAT,
  custodian: 'schwab',
  description: 'Charles Schwab Lot Details CSV (one symbol, open lots with dates and basis): opening lots',
  sniff: (_fileName, text) => {
    const head = readCsvRows(text.split(/\r?\n|\r/, 6).join('\n'), '');
    if (!head.ok) return false;
    const first = head.value.find((r) => !isBlankRow(r));
    return first !== undefined && TITLE.test(filledCells(first).join(' ')) && findHeader(head.value, COLUMNS) !== undefined;
  },
  parse: parseSchwabLotDetails,
};

interface Sums {
  shares: number;
  costBasis: number;
  marketValue: number;
}

export function parseSchwabLotDetails(file: string, text: string): Result<ImportBatch> {
  const read = readCsvRows(text, file);
  if (!read.ok) return read;
  const rows = read.value;
  const titleRow = rows.find((r) => !isBlankRow(r));
  const titleText = titleRow === undefined ? '' : filledCells(titleRow).join(' ');
  const title = TITLE.exec(titleText);
  if (titleRow === undefined || title === null) {
    return fail([issue('PARSE', 'no title line "<SYMBOL> Lot Details for <account> as of ...": not a Schwab Lot Details export', { file, row: titleRow?.line ?? 1 })]);
  }
  const asOf = dateInTitle(titleText);
  if (asOf === undefined) return fail([issue('BAD_DATE', 'the title line names no date (MM/DD/YYYY)', { file, row: titleRow.line })]);
  const header = findHeader(rows, COLUMNS);
  if (header === undefined) return fail([missingHeader(file, COLUMNS)]);
  const symbol = (title[1] as string).toUpperCase();
  const account = namedAccount(title[2] as string);
  const b = new BatchBuilder(FORMAT, file, 'schwab');
  b.account(account.key, account.title, account.type);
  b.security(symbol);
  const keys = new RowKeys('schwab-lot');
  const sums: Sums = { shares: 0, costBasis: 0, marketValue: 0 };
  let total: Fields<Col> | undefined;
  let order = 0;
  for (const row of rows.slice(header.at + 1)) {
    if (isBlankRow(row)) continue;
    const f = new Fields(row, header, file, b.issues);
    if (total !== undefined) {
      f.problem('PARSE', undefined, `a row after the Total row on line ${total.line}`);
      continue;
    }
    if (/^total$/i.test(f.text('openDate'))) {
      total = f;
      continue;
    }
    const lot = readLot(f, { symbol, account: account.key, asOf, keys });
    if (lot === undefined) continue;
    sums.shares += lot.shares;
    sums.costBasis += lot.basis + (lot.washAdjustment ?? 0);
    sums.marketValue += f.usd('marketValue') ?? 0;
    b.event(lot, 'Lot Details', f.at(), order++);
    b.tally('Lot Details', `booked as transfer_in on ${formatDay(asOf)} (opening lots with their acquisition dates and basis)`);
  }
  statePosition(b, { symbol, account: account.key, asOf, titleRow }, sums, total);
  return b.finish();
}

interface LotContext {
  readonly symbol: string;
  readonly account: string;
  readonly asOf: Day;
  readonly keys: RowKeys;
}

function readLot(f: Fields<Col>, c: LotContext): TransferIn | undefined {
  const opened = parseUsDateTime(f.text('openDate'));
  if (opened === undefined) f.problem('BAD_DATE', 'openDate', `not a date (MM/DD/YYYY [HH:MM:SS]): "${f.text('openDate')}"`);
  const purchased = f.has('transactionOpen') ? parseUsDateTime(f.text('transactionOpen')) : opened;
  if (purchased === undefined && opened !== undefined) f.problem('BAD_DATE', 'transactionOpen', `not a date (MM/DD/YYYY [HH:MM:SS]): "${f.text('transactionOpen')}"`);
  const shares = f.shares('quantity');
  const costBasis = f.usd('costBasis');
  const originalBasis = f.usd('transactionCostBasis');
  const disallowed = f.usd('disallowedLoss');
  if (f.failed || opened === undefined || purchased === undefined) return undefined;
  if (shares === undefined || shares <= 0) {
    f.problem(shares === undefined ? 'MISSING_FIELD' : 'NOT_POSITIVE', 'quantity', `a lot needs a positive quantity${shares === undefined ? '' : `, got ${format('shares', shares)}`}`);
    return undefined;
  }
  if (costBasis === undefined || costBasis < 0) {
    f.problem(costBasis === undefined ? 'MISSING_FIELD' : 'BAD_VALUE', 'costBasis', 'a lot needs its cost basis (zero or more)');
    return undefined;
  }
  if (purchased > c.asOf || opened > c.asOf) {
    f.problem('BAD_DATE', 'openDate', `a lot opened after the file's date ${formatDay(c.asOf)}`);
    return undefined;
  }
  const wash = washAdjustment(costBasis, originalBasis, disallowed);
  if (wash > costBasis) {
    f.problem('BAD_VALUE', 'disallowedLoss', `a disallowed loss of ${format('usd', wash)} above the lot's whole cost basis ${format('usd', costBasis)}`);
    return undefined;
  }
  const id = c.keys.next(c.account, [c.symbol, f.text('openDate'), f.text('transactionOpen'), format('shares', shares), format('usd', costBasis)]);
  return {
    kind: 'transfer_in',
    id: eventId(id),
    date: c.asOf,
    account: accountId(c.account),
    file: f.file,
    row: f.line,
    symbol: toSymbol(c.symbol),
    shares: shares as Shares,
    basis: (costBasis - wash) as Usd,
    acquired: purchased,
    ...(opened !== purchased ? { adjustedAcquired: opened } : {}),
    ...(wash > 0 ? { washAdjustment: wash as Usd } : {}),
  };
}

/** The loss a wash sale added to this lot: Disallowed Loss (its sign varies), else adjusted − original basis. */
function washAdjustment(costBasis: Usd, originalBasis: Usd | undefined, disallowed: Usd | undefined): number {
  if (disallowed !== undefined && disallowed !== 0) return Math.abs(disallowed);
  if (originalBasis !== undefined && costBasis > originalBasis) return costBasis - originalBasis;
  return 0;
}

interface Holding {
  readonly symbol: string;
  readonly account: string;
  readonly asOf: Day;
  readonly titleRow: CsvRow;
}

/** The position the file states (its Total row, else the lots' sum), checked against the lots. */
function statePosition(b: BatchBuilder, h: Holding, sums: Sums, total: Fields<Col> | undefined): void {
  const statedShares = total?.shares('quantity');
  const statedCost = total?.usd('costBasis');
  const statedValue = total?.usd('marketValue');
  const source = total?.at() ?? { file: b.file, row: h.titleRow.line };
  const shares = (statedShares ?? sums.shares) as Shares;
  const costBasis = (statedCost ?? sums.costBasis) as Usd;
  if (shares > 0) b.position({ accountKey: h.account, symbol: toSymbol(h.symbol), asOf: h.asOf, shares, costBasis, source });
  if (total === undefined) {
    b.note('No Total row: the stated position is the sum of the lots');
    return;
  }
  const checks = [
    ...(statedShares !== undefined ? [{ what: 'quantity', unit: 'shares' as const, stated: statedShares, summed: sums.shares }] : []),
    ...(statedCost !== undefined ? [{ what: 'cost basis', unit: 'usd' as const, stated: statedCost, summed: sums.costBasis }] : []),
    ...(statedValue !== undefined ? [{ what: 'market value', unit: 'usd' as const, stated: statedValue, summed: sums.marketValue }] : []),
  ];
  const note = totalsNote(`the Total row on line ${total.line}`, checks);
  if (note !== undefined) b.note(note);
}
