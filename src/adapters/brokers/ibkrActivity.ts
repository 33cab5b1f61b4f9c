/**
 * The activity sections of an IBKR Flex statement -> ledger events:
 *
 *   Trades            Trade rows at levelOfDetail EXECUTION only (ORDER, SYMBOL_SUMMARY and
 *                     ASSET_SUMMARY rows repeat the executions and would count them twice);
 *                     STK and FUND -> buy / sell at tradePrice with -ibCommission (and taxes) as fees,
 *                     the price fitted so the cash equals netCash; CASH (forex) rows are conversions
 *                     between currencies, counted and not booked; options, futures, bonds, exercises,
 *                     assignments and cancellations -> located issues
 *   CashTransactions  DETAIL rows: Dividends / Payment In Lieu -> dividend, Withholding Tax -> fee,
 *                     Deposits & Withdrawals -> deposit / withdrawal, interest and other fees by sign
 *   CorporateActions  DETAIL rows: splits (ratio from "SPLIT n FOR m", checked against the old and
 *                     new quantities) -> split in that account; a CUSIP/ISIN change that keeps the
 *                     symbol -> nothing to book; anything else -> located issue
 *   Transfers         cash -> deposit / withdrawal; shares out -> transfer_out; shares in -> booked
 *                     from the OpenPositions lots when the file has them, else a located issue
 *
 * Amounts in another currency are converted to US dollars at the row's fxRateToBase when the
 * account's base currency is USD (IBKR's own rate of the trade date); otherwise they are refused.
 */
import type { Day } from '../../core/kernel/calendar.js';
import type { Price, Shares, Usd } from '../../core/kernel/exact.js';
import { accountId, symbol as toSymbol, type Symbol } from '../../core/ledger/household.js';
import type { BrokerBatch } from './brokerBatch.js';
import { cusipOfIsin, isCusip, tradeAmounts } from './brokerNumbers.js';
import { priceToUsd, toUsd, type FlexFields } from './ibkrFields.js';
import type { XmlElement } from './xmlDocument.js';

export interface FlexContext {
  readonly b: BrokerBatch;
  readonly fields: FlexFields;
  readonly account: string;
  /** The account's base currency, when the statement shows it. */
  readonly base: string | undefined;
  /** Symbols with an execution in this statement (their open lots come from those trades). */
  readonly traded: Set<string>;
  /** Symbols whose OpenPositions hold LOT rows (a transfer in is booked from them). */
  readonly lotSymbols: Set<string>;
}

const BOOKED_ASSETS = new Set(['STK', 'FUND']);

/** IBKR writes class B shares as "BRK B"; the ledger's symbols carry no spaces. */
export function symbolOf(ctx: FlexContext, el: XmlElement): Symbol | undefined {
  const raw = ctx.fields.text(el, 'symbol', true);
  if (raw === undefined) return undefined;
  const s = toSymbol(raw.replace(/\s+/g, '.'));
  const cusip = el.attrs['cusip'] !== undefined && isCusip(el.attrs['cusip']) ? el.attrs['cusip'] : cusipOfIsin(el.attrs['isin'] ?? '');
  ctx.b.addSecurity({ symbol: s, ...(cusip !== undefined ? { cusip } : {}) });
  return s;
}

/** The rate that turns this row's amounts into US dollars: none needed, a rate, or a refusal. */
export function usdRate(ctx: FlexContext, el: XmlElement, what: string): { rate: Price | undefined } | undefined {
  const currency = (el.attrs['currency'] ?? 'USD').toUpperCase();
  if (currency === 'USD' || currency === '') return { rate: undefined };
  const rate = ctx.base === 'USD' ? ctx.fields.number('price', el, 'fxRateToBase', false) : undefined;
  if (rate === undefined || rate <= 0) {
    ctx.b.fail('BAD_VALUE', `${what} in ${currency} cannot be booked: the account's base currency is ${ctx.base ?? 'not shown'} and Lotsmith books US dollars (with a USD base currency, fxRateToBase converts it)`, el.line, 'currency');
    return undefined;
  }
  ctx.b.count(`${what}s in ${currency} converted to US dollars at IBKR's fxRateToBase`);
  return { rate };
}

function key(ctx: FlexContext, el: XmlElement, fallback: string): string {
  const id = el.attrs['transactionID']?.trim();
  return id !== undefined && id !== '' && id !== '0' ? `ibkr:${id}` : `ibkr:${ctx.account}:${fallback}`;
}

export function bookTrade(ctx: FlexContext, el: XmlElement): void {
  const asset = (el.attrs['assetCategory'] ?? 'STK').toUpperCase();
  if (asset === 'CASH') return ctx.b.count('forex conversions (assetCategory CASH) not booked: the ledger keeps US-dollar cash');
  if (!BOOKED_ASSETS.has(asset)) {
    return void ctx.b.fail('UNKNOWN_ACTION', `${asset} trade of ${el.attrs['symbol'] ?? '?'} not booked: Lotsmith books stocks and funds, not options, futures or bonds`, el.line, 'assetCategory');
  }
  const side = (el.attrs['buySell'] ?? '').trim().toUpperCase();
  const type = el.attrs['transactionType'] ?? '';
  if (/^(Exercise|Assignment|Expiration)$/i.test(type)) {
    return void ctx.b.fail('UNKNOWN_ACTION', `${type} of an option delivering ${el.attrs['symbol'] ?? '?'}: its basis includes the option premium, which Lotsmith does not book`, el.line, 'transactionType');
  }
  if (side !== 'BUY' && side !== 'SELL') {
    return void ctx.b.fail('UNKNOWN_ACTION', side.includes('(CA.)') ? `cancelled trade "${el.attrs['buySell']}": book the corrected trade by hand or re-run the query after the correction` : `unknown buySell "${el.attrs['buySell'] ?? ''}"`, el.line, 'buySell');
  }
  const sym = symbolOf(ctx, el);
  const date = ctx.fields.day(el, ['tradeDate', 'dateTime'], true);
  const quantity = ctx.fields.number('shares', el, 'quantity', true);
  const stated = ctx.fields.number('price', el, 'tradePrice', true);
  const commission = ctx.fields.number('usd', el, 'ibCommission', false) ?? 0;
  const taxes = ctx.fields.number('usd', el, 'taxes', false) ?? 0;
  const net = ctx.fields.number('usd', el, 'netCash', false);
  const conv = usdRate(ctx, el, 'trade');
  const commissionCurrency = (el.attrs['ibCommissionCurrency'] ?? '').toUpperCase();
  const currency = (el.attrs['currency'] ?? 'USD').toUpperCase();
  if (commissionCurrency !== '' && commissionCurrency !== currency && commission !== 0) {
    return void ctx.b.fail('BAD_VALUE', `commission in ${commissionCurrency} on a trade in ${currency} cannot be booked exactly`, el.line, 'ibCommissionCurrency');
  }
  if (sym === undefined || date === undefined || quantity === undefined || stated === undefined || conv === undefined) return;
  if (quantity === 0 || (side === 'BUY') !== quantity > 0) {
    return void ctx.b.fail('BAD_VALUE', `quantity ${quantity / 1e6} does not fit buySell ${side}`, el.line, 'quantity');
  }
  ctx.traded.add(sym);
  const shares = Math.abs(quantity) as Shares;
  const fees = toUsd((Math.max(0, -commission) + Math.abs(taxes)) as Usd, conv.rate) as Usd;
  const cash = net === undefined ? undefined : toUsd(Math.abs(net) as Usd, conv.rate);
  const amounts = tradeAmounts({ side: side === 'BUY' ? 'buy' : 'sell', shares, statedPrice: priceToUsd(stated, conv.rate), fees, ...(cash !== undefined ? { cash } : {}) });
  if (!amounts.ok) return void ctx.b.fail('BAD_VALUE', amounts.reason, el.line, 'netCash');
  const { price, fees: f, disagreement, unitemized } = amounts.value;
  const body = { date, account: accountId(ctx.account), symbol: sym, shares, price, fees: f };
  ctx.b.addEvent(key(ctx, el, `trade:${el.attrs['tradeID'] ?? ''}`), side === 'BUY' ? { kind: 'buy', ...body } : { kind: 'sell', ...body }, el.line, `${type || 'Trade'} ${side}`);
  ctx.b.count(`EXECUTION rows booked as ${side === 'BUY' ? 'buys' : 'sells'}`);
  if (disagreement !== undefined) ctx.b.note(`line ${el.line}: quantity x tradePrice misses netCash by $${(disagreement / 100).toFixed(2)}; booked from netCash`);
  if (unitemized !== undefined) ctx.b.note(`line ${el.line}: netCash is $${(unitemized / 100).toFixed(2)} short of quantity x tradePrice less commission; booked as a further fee`);
}

const DIVIDENDS = /^(Dividends|Payment In Lieu Of Dividends)$/i;
const CASH_BY_SIGN = /^(Broker Interest (Paid|Received)|Bond Interest (Paid|Received)|Other Fees|Commission Adjustments|Advisor Fees|Other Income)$/i;

export function bookCash(ctx: FlexContext, el: XmlElement): void {
  const type = (el.attrs['type'] ?? '').trim();
  const date = ctx.fields.day(el, ['dateTime', 'date', 'reportDate', 'settleDate'], true);
  const raw = ctx.fields.number('usd', el, 'amount', true);
  const conv = usdRate(ctx, el, 'cash transaction');
  if (date === undefined || raw === undefined || conv === undefined) return;
  const amount = toUsd(raw, conv.rate) as Usd;
  const account = accountId(ctx.account);
  const k = key(ctx, el, `cash:${el.attrs['dateTime'] ?? ''}:${type}:${el.attrs['amount'] ?? ''}:${el.attrs['symbol'] ?? ''}`);
  const action = `${type} ${el.attrs['description'] ?? ''}`.trim();
  if (amount === 0) return ctx.b.count('cash transactions of $0.00 with nothing to book');
  if (DIVIDENDS.test(type)) {
    const sym = symbolOf(ctx, el);
    if (sym === undefined) return;
    if (amount < 0) {
      ctx.b.addEvent(k, { kind: 'withdrawal', date, account, amount: -amount as Usd }, el.line, action);
      return ctx.b.count('dividend reversals booked as withdrawals (income already booked is not reduced)');
    }
    ctx.b.addEvent(k, { kind: 'dividend', date, account, symbol: sym, amount }, el.line, action);
    return ctx.b.count(`${type} rows booked as dividends`);
  }
  let kind: 'deposit' | 'withdrawal' | 'fee';
  if (/^Withholding Tax$/i.test(type)) kind = amount < 0 ? 'fee' : 'deposit';
  else if (/^Deposits?\s*(&|\/|and)\s*Withdrawals?$/i.test(type)) kind = amount < 0 ? 'withdrawal' : 'deposit';
  else if (CASH_BY_SIGN.test(type)) kind = amount < 0 ? 'fee' : 'deposit';
  else return void ctx.b.fail('UNKNOWN_ACTION', `unknown cash transaction type "${type}"`, el.line, 'type');
  ctx.b.addEvent(k, { kind, date, account, amount: Math.abs(amount) as Usd }, el.line, action);
  ctx.b.count(`${type} rows booked as ${kind}s`);
}

/** Corporate-action rows of one action (same actionID, or same date and description). */
export function bookCorporateAction(ctx: FlexContext, rows: readonly XmlElement[]): void {
  const first = rows[0] as XmlElement;
  const text = first.attrs['actionDescription'] ?? first.attrs['description'] ?? '';
  const type = (first.attrs['type'] ?? '').trim();
  const date = ctx.fields.day(first, ['dateTime', 'date', 'reportDate'], true);
  if (date === undefined) return;
  const ratio = /\bSPLIT\s+(\d+(?:\.\d+)?)\s+FOR\s+(\d+(?:\.\d+)?)/i.exec(text);
  if (ratio !== null && /^(FS|RS|SD|Stock Split|Forward Split|Reverse Split)?$/i.test(type)) return split(ctx, rows, text, date, ratio);
  if (/^IC$/i.test(type) || /CUSIP\/ISIN CHANGE/i.test(text)) {
    const [out, into] = pairOf(rows);
    if (out !== undefined && into !== undefined && baseSymbol(out.attrs['symbol']) === baseSymbol(into.attrs['symbol']) && Math.abs(Number(out.attrs['quantity'])) === Math.abs(Number(into.attrs['quantity']))) {
      return ctx.b.count('CUSIP/ISIN changes that keep the symbol: nothing to book');
    }
    return void ctx.b.fail('UNKNOWN_ACTION', `the security is renamed (${text.slice(0, 120)}): a change of symbol carrying the lots is not booked by Lotsmith; book it by hand as a transfer out and in with the same basis and dates`, first.line, 'type');
  }
  ctx.b.fail('UNKNOWN_ACTION', `corporate action ${type || '(no type)'} not booked: ${text.slice(0, 160)}`, first.line, 'type');
}

function baseSymbol(s: string | undefined): string {
  return (s ?? '').replace(/\.OLD$/i, '');
}

/** The row taking shares out (negative quantity) and the row putting them in. */
function pairOf(rows: readonly XmlElement[]): [XmlElement | undefined, XmlElement | undefined] {
  return [rows.find((r) => Number(r.attrs['quantity']) < 0), rows.find((r) => Number(r.attrs['quantity']) > 0)];
}

function split(ctx: FlexContext, rows: readonly XmlElement[], text: string, date: Day, ratio: RegExpExecArray): void {
  const first = rows[0] as XmlElement;
  const [to, from] = integerRatio(ratio[1] as string, ratio[2] as string);
  const named = /^\s*([^(\s]+)\(/.exec(text)?.[1];
  const sym = toSymbol((named ?? baseSymbol(first.attrs['symbol'])).replace(/\s+/g, '.'));
  const [out, into] = pairOf(rows);
  if (out !== undefined && into !== undefined) {
    const before = Math.abs(Number(out.attrs['quantity']));
    const after = Number(into.attrs['quantity']);
    if (Math.abs(before * to / from - after) > 1) {
      return void ctx.b.fail('BAD_VALUE', `split ${to} for ${from} of ${before} shares should give ${before * to / from}, the file gives ${after}`, into.line, 'quantity');
    }
  }
  ctx.b.addEvent(key(ctx, first, `split:${sym}:${first.attrs['dateTime'] ?? ''}`), { kind: 'split', date, account: accountId(ctx.account), symbol: sym, from, to }, first.line, text);
  ctx.b.count('corporate-action splits booked as splits');
}

function integerRatio(a: string, b: string): [number, number] {
  const scale = 10 ** Math.max((a.split('.')[1] ?? '').length, (b.split('.')[1] ?? '').length);
  let x = Math.round(Number(a) * scale);
  let y = Math.round(Number(b) * scale);
  for (let r = x % y, g = y; ; ) {
    if (r === 0) {
      x /= g;
      y /= g;
      break;
    }
    const t = g % r;
    g = r;
    r = t;
  }
  return [x, y];
}

export function bookTransfer(ctx: FlexContext, el: XmlElement): void {
  const asset = (el.attrs['assetCategory'] ?? '').toUpperCase();
  const direction = (el.attrs['direction'] ?? '').toUpperCase();
  const date = ctx.fields.day(el, ['date', 'dateTime', 'reportDate'], true);
  if (date === undefined) return;
  const account = accountId(ctx.account);
  if (asset === 'CASH' || asset === '') {
    const raw = ctx.fields.number('usd', el, 'cashTransfer', false) ?? ctx.fields.number('usd', el, 'amount', false);
    const conv = usdRate(ctx, el, 'cash transfer');
    if (raw === undefined || conv === undefined || raw === 0) return;
    const amount = toUsd(raw, conv.rate) as Usd;
    ctx.b.addEvent(key(ctx, el, `transfer:${date}:${raw}`), { kind: amount < 0 ? 'withdrawal' : 'deposit', date, account, amount: Math.abs(amount) as Usd }, el.line, `Transfer ${direction}`);
    return ctx.b.count('cash transfers booked as deposits or withdrawals');
  }
  if (!BOOKED_ASSETS.has(asset)) return void ctx.b.fail('UNKNOWN_ACTION', `${asset} transfer not booked: Lotsmith books stocks and funds`, el.line, 'assetCategory');
  const sym = symbolOf(ctx, el);
  const quantity = ctx.fields.number('shares', el, 'quantity', true);
  if (sym === undefined || quantity === undefined || quantity === 0) return;
  if (direction === 'OUT' || quantity < 0) {
    ctx.b.addEvent(key(ctx, el, `transfer:${sym}:${date}`), { kind: 'transfer_out', date, account, symbol: sym, shares: Math.abs(quantity) as Shares }, el.line, `Transfer ${direction}`);
    return ctx.b.count('share transfers out booked as shares leaving the household (lots by the account method)');
  }
  if (ctx.lotSymbols.has(sym) && !ctx.traded.has(sym)) return ctx.b.count('share transfers in booked from the open lots (OpenPositions LOT rows)');
  ctx.b.fail('MISSING_FIELD', `transfer in of ${quantity / 1e6} ${sym} carries no basis or acquisition dates: add Open Positions at LOT level to the Flex query, or import a lot report`, el.line, 'quantity');
}
