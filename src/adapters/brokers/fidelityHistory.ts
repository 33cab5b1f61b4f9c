/**
 * Fidelity account history CSV (`History_for_Account_<acct>.csv`, `Accounts_History.csv`), all three
 * header generations, read by column name: the 2023 single-account one (12 columns, Quantity before
 * Price, no account columns, a preamble of bare commas), the 2025 one (14 columns with Account and
 * Account Number, Price before Quantity) and the 2025 all-accounts one (18 columns, no `($)`,
 * currency columns). The footer (legal text, `Date downloaded ...`) ends the data; a data row after
 * it is an error, not something to drop. Rows are not in date order in every file: they are booked
 * by date, and on one day in the order they happened (the file lists the newest first).
 *
 * How actions book (fidelityActions.ts): YOU BOUGHT / YOU SOLD -> buy / sell at the price that
 * reproduces the amount; REINVESTMENT -> buy (its DIVIDEND RECEIVED row books the income, and the
 * reinvestment spends it — possibly net of withholding, which is why the two must stay separate);
 * DIVIDEND RECEIVED and capital-gain distributions -> dividend; INTEREST EARNED -> deposit;
 * foreign/non-resident tax -> fee; transfers, direct deposits/debits and checks -> deposit or
 * withdrawal by sign; trades of the core money market -> nothing (it is the account's cash).
 * Bonds, options, corporate actions and shares moved between accounts stop the import.
 */
import { formatDay, type Day } from '../../core/kernel/calendar.js';
import { fail, issue, type Result } from '../../core/kernel/errors.js';
import { format, type Price, type Shares, type Usd } from '../../core/kernel/exact.js';
import { DEFAULT_ACCOUNT_KEY, type FileFormat, type ImportBatch } from '../../app/importBatch.js';
import { accountTypeFromName } from './accountNames.js';
import { BatchBuilder, chronologicalOrder, countOf } from './batchBuilder.js';
import { bookCash } from './cashEvents.js';
import { filledCells, findHeader, isBlankRow, missingHeader, readCsvRows, type ColumnSpec, type CsvRow, type Header } from './csvRows.js';
import { parseUsDate } from './dates.js';
import { Fields } from './fields.js';
import { CORE_MONEY_MARKETS, FIDELITY_SHARES_MOVED, fidelityBooking, verbPhrase, type FidelityBooking } from './fidelityActions.js';
import { actionKeyPart, RowKeys } from './rowKeys.js';
import { tradeEvent, type TradeColumns } from './trades.js';
import { BONDS_WHY, isCusip, isOptionSymbol, OPTIONS_WHY } from './unsupported.js';

type Col = 'runDate' | 'account' | 'accountNumber' | 'action' | 'symbol' | 'price' | 'quantity' | 'commission' | 'fees' | 'amount' | 'currency';

const COLUMNS: readonly ColumnSpec<Col>[] = [
  { key: 'runDate', names: ['run date'] },
  { key: 'account', names: ['account'], required: false },
  { key: 'accountNumber', names: ['account number'], required: false },
  { key: 'action', names: ['action'] },
  { key: 'symbol', names: ['symbol'] },
  { key: 'price', names: ['price'] },
  { key: 'quantity', names: ['quantity'] },
  { key: 'commission', names: ['commission'], required: false },
  { key: 'fees', names: ['fees'], required: false },
  { key: 'amount', names: ['amount'] },
  { key: 'currency', names: ['currency'], required: false },
];
const TRADE_COLUMNS: TradeColumns<Col> = { quantity: 'quantity', price: 'price', amount: 'amount', fees: 'fees' };
const FORMAT = 'fidelity-history';

export const fidelityHistory: FileFormat = {
  id: FORMAT,
  custodian: 'fidelity',
  description: 'Fidelity account history CSV (Activity & Orders > Download), 2023 and 2025 layouts, one account or all',
  sniff: (_fileName, text) => {
    const head = readCsvRows(text.split(/\r?\n|\r/, 12).join('\n'), '');
    return head.ok && findHeader(head.value, COLUMNS) !== undefined;
  },
  parse: parseFidelityHistory,
};

interface FidelityRow {
  readonly f: Fields<Col>;
  readonly date: Day;
  readonly account: string;
  readonly action: string;
  readonly booking: FidelityBooking | undefined;
  readonly symbol: string;
  readonly quantity: Shares | undefined;
  readonly price: Price | undefined;
  readonly fees: Usd;
  readonly amount: Usd | undefined;
}

export function parseFidelityHistory(file: string, text: string): Result<ImportBatch> {
  const read = readCsvRows(text, file);
  if (!read.ok) return read;
  const header = findHeader(read.value, COLUMNS);
  if (header === undefined) return fail([missingHeader(file, COLUMNS)]);
  const b = new BatchBuilder(FORMAT, file, 'fidelity');
  const rows = dataRows(read.value, header, b);
  const keys = new RowKeys('fidelity');
  const order = chronologicalOrder(rows.map((r) => r.date));
  const counts = { pricedFromAmount: 0 };
  rows.forEach((r, i) => bookRow(b, r, keys.next(r.account, keyParts(r)), order(i), counts));
  if (counts.pricedFromAmount > 0) {
    const its = counts.pricedFromAmount === 1 ? 'its' : 'their';
    b.note(`${countOf(counts.pricedFromAmount, 'trade')} booked at the price that reproduces ${its} amount to the cent (the printed price is rounded)`);
  }
  if (header.index.accountNumber === undefined) {
    b.account(DEFAULT_ACCOUNT_KEY);
    b.note('The file names no account number: its rows belong to the default account (choose it with --account)');
  }
  return b.finish();
}

/** The table's rows, up to the footer (blank lines, legal text, "Date downloaded ..."). */
function dataRows(rows: readonly CsvRow[], header: Header<Col>, b: BatchBuilder): FidelityRow[] {
  const out: FidelityRow[] = [];
  let footer: CsvRow | undefined;
  for (const row of rows.slice(header.at + 1)) {
    if (isBlankRow(row)) {
      footer ??= row;
      continue;
    }
    const filled = filledCells(row);
    const looksLikeData = filled.length > 2 && parseUsDate(filled[0] ?? '') !== undefined;
    if (footer !== undefined || (!looksLikeData && filled.length <= 1)) {
      footer ??= row;
      if (looksLikeData) b.issues.push(issue('PARSE', `a data row after the end of the table (line ${footer.line})`, { file: b.file, row: row.line }));
      continue;
    }
    const r = readRow(new Fields(row, header, b.file, b.issues));
    if (r !== undefined) out.push(r);
  }
  return out;
}

function readRow(f: Fields<Col>): FidelityRow | undefined {
  const date = parseUsDate(f.text('runDate'));
  if (date === undefined) f.problem('BAD_DATE', 'runDate', `not a date (MM/DD/YYYY): "${f.text('runDate')}"`);
  const action = f.text('action').replace(/\s+/g, ' ');
  if (action === '') f.problem('MISSING_FIELD', 'action', 'the row has no action');
  const currency = f.text('currency').toUpperCase();
  if (currency !== '' && currency !== 'USD') f.problem('BAD_VALUE', 'currency', `amounts in ${currency}: only US dollars are booked`);
  const quantity = f.shares('quantity');
  const price = f.price('price');
  const amount = f.usd('amount');
  const fees = ((f.usd('commission') ?? 0) + (f.usd('fees') ?? 0)) as Usd;
  if (f.failed || date === undefined) return undefined;
  const account = f.text('accountNumber') || DEFAULT_ACCOUNT_KEY;
  return { f, date, account, action, booking: fidelityBooking(action), symbol: f.symbol('symbol'), quantity, price, fees, amount };
}

function keyParts(r: FidelityRow): string[] {
  const trade = r.booking?.kind === 'buy' || r.booking?.kind === 'sell' || r.booking?.kind === 'reinvest';
  return [
    formatDay(r.date),
    actionKeyPart(r.action),
    r.symbol,
    r.quantity === undefined ? '' : format('shares', trade ? Math.abs(r.quantity) : r.quantity),
    r.price === undefined ? '' : format('price', r.price),
    r.amount === undefined ? '' : format('usd', r.amount),
  ];
}

function bookRow(b: BatchBuilder, r: FidelityRow, key: string, order: number, counts: { pricedFromAmount: number }): void {
  const { f, booking, quantity, price, amount, fees } = r;
  const accountName = f.text('account');
  b.account(r.account, accountName, accountTypeFromName(accountName));
  const verb = verbPhrase(r.action).toUpperCase();
  if (booking === undefined) {
    f.problem('UNKNOWN_ACTION', 'action', `unknown Fidelity action "${r.action}": Lotsmith does not know how it changes cash or lots. If it only moves cash, book it by hand; otherwise book its effect on lots by hand (and tell us the action, so it can be added)`);
    return;
  }
  if (booking.kind === 'stop') {
    f.problem('UNSUPPORTED_ACTION', 'action', `${verb}: ${booking.why}`);
    return;
  }
  const origin = { id: key, date: r.date, account: r.account, file: b.file, row: f.line };
  switch (booking.kind) {
    case 'buy':
    case 'sell':
    case 'reinvest': {
      if (!tradable(f, r, verb)) return;
      if (CORE_MONEY_MARKETS.has(r.symbol)) return b.tally(verb, "not booked (the core money market: its shares are the account's cash)");
      const side = booking.kind === 'sell' ? 'sell' : 'buy';
      const t = tradeEvent(f, TRADE_COLUMNS, { ...origin, side, symbol: r.symbol, quantity, price, fees, amount });
      if (t === undefined) return;
      if (t.fromAmount) counts.pricedFromAmount++;
      b.event(t.event, r.action, f.at(), order);
      return b.tally(verb, booking.kind === 'reinvest' ? 'booked as buy (the purchase made with a dividend; its DIVIDEND RECEIVED row books the dividend)' : `booked as ${side}`);
    }
    case 'sweep':
      return b.tally(verb, "not booked (a move between cash and the core money market, which is the account's cash)");
    case 'income':
    case 'interest':
    case 'cash':
    case 'fee':
    case 'cashInLieu': {
      if (booking.kind === 'cash' && quantity !== undefined && quantity !== 0 && r.symbol !== '') {
        return f.problem('UNSUPPORTED_ACTION', 'action', `${verb} of ${format('shares', quantity)} shares of ${r.symbol}: ${FIDELITY_SHARES_MOVED}`);
      }
      if (amount === undefined) return f.problem('MISSING_FIELD', 'amount', `a ${verb} row needs an amount`);
      const booked = bookCash(booking.kind, origin, amount, r.symbol, booking.kind === 'income' && booking.capitalGain === true);
      if (booked.event !== undefined) b.event(booked.event, r.action, f.at(), order);
      return b.tally(verb, booked.how);
    }
  }
}

function tradable(f: Fields<Col>, r: FidelityRow, verb: string): boolean {
  if (r.symbol === '') {
    f.problem('MISSING_FIELD', 'symbol', `a ${verb} row needs a symbol`);
    return false;
  }
  if (isOptionSymbol(r.symbol)) {
    f.problem('UNSUPPORTED_ACTION', 'symbol', `${verb} of the option ${r.symbol}: ${OPTIONS_WHY}`);
    return false;
  }
  if (isCusip(r.symbol)) {
    f.problem('UNSUPPORTED_ACTION', 'symbol', `${verb} of ${r.symbol}: ${BONDS_WHY}`);
    return false;
  }
  return true;
}
