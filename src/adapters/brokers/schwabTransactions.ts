/**
 * Charles Schwab brokerage transactions CSV (`<Nickname>_XXX123_Transactions_YYYYMMDD-HHMMSS.csv`),
 * every generation seen: with or without the title line `"Transactions  for account <nick> XXXX-1234
 * as of ..."`, with or without a trailing comma on every row, with or without the
 * `Transactions Total` trailer, sales signed or unsigned, rows quoted or not (docs/imports.md).
 *
 * How actions book (schwabActions.ts): Buy/Sell -> buy/sell at the price that reproduces the
 * Amount; Reinvest Shares -> buy (the purchase made with a dividend: its income row — Reinvest
 * Dividend, Qual Div Reinvest, a cap-gain reinvest, or even a plain Cash Dividend — books the
 * income and the cash, and this row spends it, so nothing is counted twice whichever export holds
 * which row); dividends and capital-gain distributions -> dividend; interest, bank links, wires and
 * cash journals -> deposit or withdrawal by sign; withholding and fees -> fee; Stock Split -> a split
 * stated in shares added; a Reverse Split pair (new shares +, old CUSIP −) -> a split of the net
 * shares; Cash In Lieu -> deposit. What cannot be booked correctly stops the import, row by row.
 *
 * Dates: a back-dated row (`04/17/2023 as of 04/15/2023`) books on its effective date; a split books
 * on its posting date, the day the new shares are in the account and trade (the price data's split day).
 */
import { formatDay } from '../../core/kernel/calendar.js';
import { fail, type Result } from '../../core/kernel/errors.js';
import { format, type Price, type Shares, type Usd } from '../../core/kernel/exact.js';
import { symbol as toSymbol } from '../../core/ledger/household.js';
import { DEFAULT_ACCOUNT_KEY, type FileFormat, type ImportBatch } from '../../app/importBatch.js';
import { namedAccount, type NamedAccount } from './accountNames.js';
import { BatchBuilder, chronologicalOrder, countOf } from './batchBuilder.js';
import { bookCash, type CashCategory } from './cashEvents.js';
import { filledCells, findHeader, isBlankRow, missingHeader, readCsvRows, type ColumnSpec, type CsvRow, type Header } from './csvRows.js';
import { parsePostingDate, type PostingDate } from './dates.js';
import { Fields } from './fields.js';
import { totalsNote } from './fileTotals.js';
import { actionKeyPart, RowKeys } from './rowKeys.js';
import { CORPORATE_ACTION, SHARES_MOVED, schwabBooking, type SchwabBooking } from './schwabActions.js';
import { tradeEvent, type TradeColumns } from './trades.js';
import { BONDS_WHY, isCusip, isOptionSymbol, OPTIONS_WHY } from './unsupported.js';

type Col = 'date' | 'action' | 'symbol' | 'description' | 'quantity' | 'price' | 'fees' | 'amount';

const COLUMNS: readonly ColumnSpec<Col>[] = [
  { key: 'date', names: ['date'] },
  { key: 'action', names: ['action'] },
  { key: 'symbol', names: ['symbol'] },
  { key: 'description', names: ['description'] },
  { key: 'quantity', names: ['quantity'] },
  { key: 'price', names: ['price'] },
  { key: 'fees', names: ['fees & comm', 'fees & commissions'] },
  { key: 'amount', names: ['amount'] },
];
const TRADE_COLUMNS: TradeColumns<Col> = { quantity: 'quantity', price: 'price', amount: 'amount', fees: 'fees' };
const FORMAT = 'schwab-transactions';

interface SchwabRow {
  readonly f: Fields<Col>;
  readonly date: PostingDate;
  readonly action: string;
  readonly booking: SchwabBooking | undefined;
  readonly symbol: string;
  readonly quantity: Shares | undefined;
  readonly price: Price | undefined;
  readonly fees: Usd;
  readonly amount: Usd | undefined;
  readonly key: string;
  readonly order: number;
}

interface Context {
  readonly b: BatchBuilder;
  readonly account: string;
  pricedFromAmount: number;
  backDated: number;
}

export const schwabTransactions: FileFormat = {
  id: FORMAT,
  custodian: 'schwab',
  description: 'Charles Schwab brokerage transactions CSV (History > Export), every generation',
  sniff: (_fileName, text) => {
    const head = readCsvRows(text.split(/\r?\n|\r/, 6).join('\n'), '');
    return head.ok && findHeader(head.value, COLUMNS) !== undefined;
  },
  parse: parseSchwabTransactions,
};

export function parseSchwabTransactions(file: string, text: string): Result<ImportBatch> {
  const rows = readCsvRows(text, file);
  if (!rows.ok) return rows;
  const header = findHeader(rows.value, COLUMNS);
  if (header === undefined) return fail([missingHeader(file, COLUMNS)]);
  const b = new BatchBuilder(FORMAT, file, 'schwab');
  const named = titleAccount(rows.value.slice(0, header.at));
  b.account(named.key, named.title, named.type);
  const ctx: Context = { b, account: named.key, pricedFromAmount: 0, backDated: 0 };
  const data = readData(rows.value, header, b, named.key);
  const reverseSplits: SchwabRow[] = [];
  for (const r of data) {
    if (r.booking?.kind === 'reverseSplit') reverseSplits.push(r);
    else bookRow(ctx, r);
  }
  bookReverseSplits(ctx, reverseSplits);
  if (ctx.pricedFromAmount > 0) {
    const its = ctx.pricedFromAmount === 1 ? 'its' : 'their';
    b.note(`${countOf(ctx.pricedFromAmount, 'trade')} booked at the price that reproduces ${its} Amount to the cent (the printed price is rounded)`);
  }
  if (ctx.backDated > 0) b.note(`${countOf(ctx.backDated, 'back-dated row')} ("as of") booked on the effective date`);
  return b.finish();
}

/** `"Transactions  for account Brokerage XXXX-1234 as of ..."`; files from 2023 on have no title. */
function titleAccount(preamble: readonly CsvRow[]): NamedAccount {
  for (const row of preamble) {
    const m = /transactions\s+for\s+account\s+(.*?)\s+as\s+of\b/i.exec(filledCells(row).join(' '));
    if (m !== null && (m[1] ?? '').trim() !== '') return namedAccount(m[1] as string);
  }
  return { key: DEFAULT_ACCOUNT_KEY };
}

function readData(rows: readonly CsvRow[], header: Header<Col>, b: BatchBuilder, account: string): SchwabRow[] {
  const parsed: Omit<SchwabRow, 'key' | 'order'>[] = [];
  let trailer: Fields<Col> | undefined;
  for (const row of rows.slice(header.at + 1)) {
    if (isBlankRow(row)) continue;
    const f = new Fields(row, header, b.file, b.issues);
    if (/^transactions\s+total$/i.test(f.text('date'))) {
      trailer = f;
      continue;
    }
    if (trailer !== undefined) {
      f.problem('PARSE', undefined, `a row after the "Transactions Total" trailer on line ${trailer.line}`);
      continue;
    }
    const r = readRow(f);
    if (r !== undefined) parsed.push(r);
  }
  const stated = trailer?.usd('amount');
  if (trailer !== undefined && stated !== undefined) {
    const summed = parsed.reduce((sum, r) => sum + (r.amount ?? 0), 0);
    const note = totalsNote(`the Transactions Total on line ${trailer.line}`, [{ what: 'amount', unit: 'usd', stated, summed }]);
    if (note !== undefined) b.note(note);
  }
  const keys = new RowKeys('schwab');
  const order = chronologicalOrder(parsed.map((r) => r.date.posted));
  return parsed.map((r, i) => ({ ...r, key: keys.next(account, keyParts(r)), order: order(i) }));
}

function readRow(f: Fields<Col>): Omit<SchwabRow, 'key' | 'order'> | undefined {
  const date = parsePostingDate(f.text('date'));
  if (date === undefined) f.problem('BAD_DATE', 'date', `not a date (MM/DD/YYYY, or MM/DD/YYYY as of MM/DD/YYYY): "${f.text('date')}"`);
  const action = f.text('action');
  if (action === '') f.problem('MISSING_FIELD', 'action', 'the row has no action');
  const quantity = f.shares('quantity');
  const price = f.price('price');
  const fees = f.usd('fees') ?? (0 as Usd);
  const amount = f.usd('amount');
  if (f.failed || date === undefined) return undefined;
  return { f, date, action, booking: schwabBooking(action), symbol: f.symbol('symbol'), quantity, price, fees, amount };
}

function keyParts(r: Omit<SchwabRow, 'key' | 'order'>): string[] {
  const unsigned = r.booking?.kind === 'buy' || r.booking?.kind === 'sell' || r.booking?.kind === 'reinvest';
  const q = r.quantity === undefined ? '' : format('shares', unsigned ? Math.abs(r.quantity) : r.quantity);
  return [
    formatDay(r.date.posted) + (r.date.asOf !== undefined ? `@${formatDay(r.date.asOf)}` : ''),
    actionKeyPart(r.action),
    r.symbol,
    q,
    r.price === undefined ? '' : format('price', r.price),
    r.amount === undefined ? '' : format('usd', r.amount),
  ];
}

function bookRow(ctx: Context, r: SchwabRow): void {
  const { b } = ctx;
  const booking = r.booking;
  if (booking === undefined) {
    r.f.problem(
      'UNKNOWN_ACTION',
      'action',
      `unknown Schwab action "${r.action}": Lotsmith does not know how it changes cash or lots. If it only moves cash, book it by hand; otherwise book its effect on lots by hand (and tell us the action, so it can be added)`,
    );
    return;
  }
  if (booking.kind === 'stop') {
    r.f.problem('UNSUPPORTED_ACTION', 'action', `${r.action}: ${booking.why}`);
    return;
  }
  const date = booking.kind === 'split' ? r.date.posted : (r.date.asOf ?? r.date.posted);
  if (r.date.asOf !== undefined && booking.kind !== 'split') ctx.backDated++;
  const origin = { id: r.key, date, account: ctx.account, file: b.file, row: r.f.line };
  switch (booking.kind) {
    case 'buy':
    case 'sell':
    case 'reinvest': {
      if (!tradableSymbol(r)) return;
      const side = booking.kind === 'sell' ? 'sell' : 'buy';
      const t = tradeEvent(r.f, TRADE_COLUMNS, { ...origin, side, symbol: r.symbol, quantity: r.quantity, price: r.price, fees: r.fees, amount: r.amount });
      if (t === undefined) return;
      if (t.fromAmount) ctx.pricedFromAmount++;
      b.event(t.event, r.action, r.f.at(), r.order);
      b.tally(r.action, booking.kind === 'reinvest' ? 'booked as buy (the purchase made with a dividend; its income row books the dividend)' : `booked as ${side}`);
      return;
    }
    case 'split':
      return bookSplit(ctx, r);
    case 'income':
    case 'interest':
    case 'cash':
    case 'fee':
    case 'cashInLieu':
      return bookCashRow(ctx, r, booking.kind, origin);
    case 'reverseSplit':
      return;
  }
}

function bookCashRow(ctx: Context, r: SchwabRow, category: CashCategory, origin: Parameters<typeof bookCash>[1]): void {
  if (category === 'cash' && r.quantity !== undefined && r.quantity !== 0) {
    r.f.problem('UNSUPPORTED_ACTION', 'action', `${r.action} of ${format('shares', r.quantity)} shares of ${r.symbol || 'a security'}: ${SHARES_MOVED}`);
    return;
  }
  if (r.amount === undefined) {
    r.f.problem('MISSING_FIELD', 'amount', `a ${r.action} row needs an amount`);
    return;
  }
  const booked = bookCash(category, origin, r.amount, r.symbol, /cap gain/i.test(r.action));
  if (booked.event !== undefined) ctx.b.event(booked.event, r.action, r.f.at(), r.order);
  ctx.b.tally(r.action, booked.how);
}

/** Options and bonds cannot be lots; an option's or a bond's trade row stops the import. */
function tradableSymbol(r: SchwabRow): boolean {
  if (r.symbol === '') {
    r.f.problem('MISSING_FIELD', 'symbol', `a ${r.action} row needs a symbol`);
    return false;
  }
  if (isOptionSymbol(r.symbol)) {
    r.f.problem('UNSUPPORTED_ACTION', 'symbol', `${r.action} of the option ${r.symbol}: ${OPTIONS_WHY}`);
    return false;
  }
  if (isCusip(r.symbol)) {
    r.f.problem('UNSUPPORTED_ACTION', 'symbol', `${r.action} of ${r.symbol}: ${BONDS_WHY}`);
    return false;
  }
  return true;
}

function bookSplit(ctx: Context, r: SchwabRow): void {
  if (!tradableSymbol(r)) return;
  if (r.quantity === undefined) {
    r.f.problem('MISSING_FIELD', 'quantity', 'a Stock Split row needs the number of shares added');
    return;
  }
  addSplit(ctx, r, r.quantity);
}

function addSplit(ctx: Context, r: SchwabRow, sharesAdded: Shares): void {
  if (sharesAdded === 0) {
    ctx.b.tally(r.action, 'not booked (no shares added or removed)');
    return;
  }
  const split = { key: r.key, accountKey: ctx.account, date: r.date.posted, symbol: toSymbol(r.symbol), sharesAdded, source: r.f.at() };
  ctx.b.split(split, r.order);
  ctx.b.tally(r.action, 'booked as a split stated in shares (turned into a ratio from the position held)');
}

/**
 * A reverse split is two rows on one date: the new shares (ticker, positive quantity) and the old
 * ones removed (usually their CUSIP, negative quantity). Together they are one split of the holding
 * by the net shares; a row without its pair, or a pair that renames the security, stops the import.
 */
function bookReverseSplits(ctx: Context, rows: readonly SchwabRow[]): void {
  const fileOrder = [...rows].sort((a, b) => a.f.line - b.f.line);
  for (let i = 0; i < fileOrder.length; i++) {
    const a = fileOrder[i] as SchwabRow;
    const next = fileOrder[i + 1];
    const pair = next !== undefined && next.date.posted === a.date.posted ? [a, next] : undefined;
    const added = pair?.find((r) => (r.quantity ?? 0) > 0);
    const removed = pair?.find((r) => (r.quantity ?? 0) < 0);
    if (added === undefined || removed === undefined) {
      a.f.problem('UNSUPPORTED_ACTION', 'action', `a Reverse Split row without its pair (the new shares added and the old shares removed, on the same date): ${CORPORATE_ACTION}`);
      continue;
    }
    i++;
    if (!isCusip(removed.symbol) && removed.symbol !== added.symbol) {
      removed.f.problem('UNSUPPORTED_ACTION', 'symbol', `a Reverse Split that replaces ${removed.symbol} by ${added.symbol}: ${CORPORATE_ACTION}`);
      continue;
    }
    if (!tradableSymbol(added)) continue;
    addSplit(ctx, added, ((added.quantity as Shares) + (removed.quantity as Shares)) as Shares);
  }
}
