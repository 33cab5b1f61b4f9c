/**
 * OFX investment transactions (INVTRANLIST) -> ledger events, one rule per element:
 *
 *   BUYSTOCK/BUYMF/BUYOTHER      buy (Fidelity's BUYSTOCK "REINVESTMENT" too: its dividend is a separate INCOME)
 *   SELLSTOCK/SELLMF/SELLOTHER   sell (Fidelity's "IN LIEU OF FRX SHARE" is the sale of a fraction)
 *   REINVEST                     dividend_reinvest (the income and the purchase in one element)
 *   INCOME DIV/CGLONG/CGSHORT    dividend;  INCOME INTEREST/MISC -> deposit (cash income, no security)
 *   INVEXPENSE, MARGININTEREST   fee
 *   INVBANKTRAN                  deposit / withdrawal by sign of TRNAMT; TRNTYPE FEE/SRVCHG -> fee
 *   TRANSFER OUT "Investment Expense"  a redemption of shares to pay a fee (Vanguard 401(k)): sell + fee
 *   TRANSFER OUT                 transfer_out (shares leave the household, lots by the account's method)
 *   TRANSFER IN                  transfer_in only with AVGCOSTBASIS and DTPURCHASE, or at its price into a
 *                                tax-advantaged account (basis has no tax effect there); else a located issue
 *   SPLIT                        split NUMERATOR-for-DENOMINATOR in this account
 *   JRNLSEC/JRNLFUND             moves between cash/margin sub-accounts of one account: no effect, counted
 *   options, debt, short sales, RETOFCAP, foreign currency  located issues (not booked)
 *
 * Amounts: a trade is booked from its TOTAL (the cash that moved) with COMMISSION+FEES+TAXES+LOAD
 * as fees, at the price that reproduces TOTAL to the cent (brokerNumbers.tradeAmounts).
 */
import type { Day } from '../../core/kernel/calendar.js';
import { usdOf, type Price, type Shares, type Usd } from '../../core/kernel/exact.js';
import { accountId } from '../../core/ledger/household.js';
import { tradeAmounts } from './brokerNumbers.js';
import type { OfxSecurity, StatementContext } from './ofxFields.js';
import { child, type XmlElement } from './xmlDocument.js';

const BUYS = new Set(['BUYSTOCK', 'BUYMF', 'BUYOTHER']);
const SELLS = new Set(['SELLSTOCK', 'SELLMF', 'SELLOTHER']);
const OPTIONS = new Set(['BUYOPT', 'SELLOPT', 'CLOSUREOPT']);
const DEBT = new Set(['BUYDEBT', 'SELLDEBT']);

export function bookTransaction(ctx: StatementContext, el: XmlElement): void {
  const name = el.name;
  if (name === 'DTSTART' || name === 'DTEND') return;
  if (BUYS.has(name) || SELLS.has(name)) return trade(ctx, el);
  if (OPTIONS.has(name)) return unsupported(ctx, el, 'options are not booked by Lotsmith; import this account without its option trades or book them by hand');
  if (DEBT.has(name)) return unsupported(ctx, el, 'bonds and other debt are not booked by Lotsmith (only shares of stocks and funds)');
  switch (name) {
    case 'REINVEST':
      return reinvest(ctx, el);
    case 'INCOME':
      return income(ctx, el);
    case 'INVEXPENSE':
    case 'MARGININTEREST':
      return expense(ctx, el);
    case 'INVBANKTRAN':
      return bank(ctx, el);
    case 'TRANSFER':
      return transfer(ctx, el);
    case 'SPLIT':
      return split(ctx, el);
    case 'JRNLSEC':
    case 'JRNLFUND':
      ctx.b.count(`${name} rows (moves between sub-accounts of one account) with no effect on lots or cash`);
      return;
    case 'RETOFCAP':
      return unsupported(ctx, el, 'a return of capital lowers the basis of the lots held, which Lotsmith cannot book from OFX; adjust the lots by hand');
    default:
      ctx.b.fail('UNKNOWN_ACTION', `unknown investment transaction <${name}>`, el.line, name);
  }
}

function unsupported(ctx: StatementContext, el: XmlElement, why: string): void {
  ctx.b.fail('UNKNOWN_ACTION', `<${el.name}> not booked: ${why}`, el.line, el.name);
}

interface Common {
  readonly key: string;
  readonly date: Day;
  readonly memo: string | undefined;
}

/** FITID, trade date and memo of an INVTRAN aggregate. */
function invtran(ctx: StatementContext, owner: XmlElement): Common | undefined {
  const tran = child(owner, 'INVTRAN');
  if (tran === undefined) {
    ctx.b.fail('MISSING_FIELD', `${owner.name} has no INVTRAN`, owner.line, 'INVTRAN');
    return undefined;
  }
  const fitid = ctx.fields.text(tran, 'FITID', true);
  const date = ctx.fields.day(tran, 'DTTRADE', true);
  if (fitid === undefined || date === undefined) return undefined;
  return { key: `ofx:${ctx.account}:${fitid}`, date, memo: ctx.fields.text(tran, 'MEMO', false) };
}

function action(el: XmlElement, memo: string | undefined): string {
  return memo === undefined ? el.name : `${el.name} ${memo.trim()}`;
}

/** The security of a transaction, refused when it is an option or a bond. */
function tradedSecurity(ctx: StatementContext, holder: XmlElement, el: XmlElement): OfxSecurity | undefined {
  const sec = ctx.security(child(holder, 'SECID'), holder);
  if (sec === undefined) return undefined;
  if (sec.kind === 'opt') return void unsupported(ctx, el, `${sec.symbol} is an option; options are not booked by Lotsmith`);
  if (sec.kind === 'debt') return void unsupported(ctx, el, `${sec.symbol} is a bond; debt is not booked by Lotsmith`);
  return sec;
}

function sumFees(ctx: StatementContext, el: XmlElement, names: readonly string[]): number {
  let fees = 0;
  for (const n of names) fees += ctx.fields.number('usd', el, n, false) ?? 0;
  return fees;
}

function trade(ctx: StatementContext, el: XmlElement): void {
  const buy = BUYS.has(el.name);
  const inner = child(el, buy ? 'INVBUY' : 'INVSELL');
  if (inner === undefined) return void ctx.b.fail('MISSING_FIELD', `${el.name} has no ${buy ? 'INVBUY' : 'INVSELL'}`, el.line);
  const kind = ctx.fields.text(el, buy ? 'BUYTYPE' : 'SELLTYPE', false)?.trim().toUpperCase();
  if (kind === 'BUYTOCOVER' || kind === 'SELLSHORT') return unsupported(ctx, el, 'short sales are not booked by Lotsmith');
  const common = invtran(ctx, inner);
  const sec = tradedSecurity(ctx, inner, el);
  const units = ctx.fields.number('shares', inner, 'UNITS', true);
  const stated = ctx.fields.number('price', inner, 'UNITPRICE', false);
  const total = ctx.fields.number('usd', inner, 'TOTAL', false);
  const fees = sumFees(ctx, inner, ['COMMISSION', 'FEES', 'TAXES', 'LOAD', 'PENALTY']);
  const withheld = buy ? 0 : sumFees(ctx, inner, ['WITHHOLDING', 'STATEWITHHOLDING']);
  const foreign = ctx.fields.foreignCurrency(inner) ?? ctx.fields.foreignCurrency(el);
  if (foreign !== undefined) return unsupported(ctx, el, `amounts are in ${foreign}; only US-dollar trades are booked`);
  if (common === undefined || sec === undefined || units === undefined) return;
  if (units === 0 || (buy && units < 0)) return void ctx.b.fail('BAD_VALUE', `UNITS of a ${buy ? 'purchase' : 'sale'} must be ${buy ? 'positive' : 'non-zero'}`, (child(inner, 'UNITS') as XmlElement).line, 'UNITS');
  const shares = Math.abs(units) as Shares;
  const cash = total === undefined ? undefined : ((Math.abs(total) + withheld) as Usd);
  const amounts = tradeAmounts({ side: buy ? 'buy' : 'sell', shares, fees: Math.max(0, fees) as Usd, ...(stated !== undefined ? { statedPrice: stated } : {}), ...(cash !== undefined ? { cash } : {}) });
  if (!amounts.ok) return void ctx.b.fail('BAD_VALUE', amounts.reason, (child(inner, 'TOTAL') ?? inner).line, 'TOTAL');
  const { price, fees: f, disagreement, unitemized } = amounts.value;
  const account = accountId(ctx.account);
  const brokerAction = action(el, common.memo);
  ctx.b.addEvent(common.key, { kind: buy ? 'buy' : 'sell', date: common.date, account, symbol: sec.symbol, shares, price, fees: f }, el.line, brokerAction);
  if (withheld > 0) ctx.b.addEvent(`${common.key}:withholding`, { kind: 'fee', date: common.date, account, amount: withheld as Usd }, el.line, brokerAction);
  const memo = (common.memo ?? '').toUpperCase();
  ctx.b.count(`${el.name} rows${memo.includes('REINVEST') ? ' (reinvestments)' : memo.includes('IN LIEU') ? ' (cash in lieu of a fraction)' : ''} booked as ${buy ? 'buys' : 'sells'}`);
  if (disagreement !== undefined) ctx.b.note(`line ${el.line}: UNITS x UNITPRICE misses TOTAL by $${(disagreement / 100).toFixed(2)}; booked from TOTAL (the cash that moved)`);
  if (unitemized !== undefined) ctx.b.note(`line ${el.line}: TOTAL is $${(unitemized / 100).toFixed(2)} short of UNITS x UNITPRICE less the fees given; booked as a further fee`);
}

function reinvest(ctx: StatementContext, el: XmlElement): void {
  const common = invtran(ctx, el);
  const sec = tradedSecurity(ctx, el, el);
  const units = ctx.fields.number('shares', el, 'UNITS', true);
  const stated = ctx.fields.number('price', el, 'UNITPRICE', false);
  const total = ctx.fields.number('usd', el, 'TOTAL', false);
  const fees = sumFees(ctx, el, ['COMMISSION', 'FEES', 'TAXES', 'LOAD']);
  const foreign = ctx.fields.foreignCurrency(el);
  if (foreign !== undefined) return unsupported(ctx, el, `amounts are in ${foreign}; only US-dollar trades are booked`);
  if (common === undefined || sec === undefined || units === undefined) return;
  if (units <= 0) return void ctx.b.fail('BAD_VALUE', 'UNITS of a reinvestment must be positive', (child(el, 'UNITS') as XmlElement).line, 'UNITS');
  const amounts = tradeAmounts({ side: 'buy', shares: units, fees: Math.max(0, fees) as Usd, ...(stated !== undefined ? { statedPrice: stated } : {}), ...(total !== undefined ? { cash: Math.abs(total) as Usd } : {}) });
  if (!amounts.ok) return void ctx.b.fail('BAD_VALUE', amounts.reason, (child(el, 'TOTAL') ?? el).line, 'TOTAL');
  const { price, fees: f } = amounts.value;
  ctx.b.addEvent(common.key, { kind: 'dividend_reinvest', date: common.date, account: accountId(ctx.account), symbol: sec.symbol, shares: units, price, fees: f }, el.line, action(el, common.memo));
  ctx.b.count(`REINVEST rows (${ctx.fields.text(el, 'INCOMETYPE', false) ?? 'DIV'}) booked as reinvested dividends`);
}

function income(ctx: StatementContext, el: XmlElement): void {
  const common = invtran(ctx, el);
  const type = (ctx.fields.text(el, 'INCOMETYPE', true) ?? '').trim().toUpperCase();
  const total = ctx.fields.number('usd', el, 'TOTAL', true);
  const foreign = ctx.fields.foreignCurrency(el);
  if (foreign !== undefined) return unsupported(ctx, el, `amounts are in ${foreign}; only US dollars are booked`);
  const dividend = type === 'DIV' || type === 'CGLONG' || type === 'CGSHORT';
  if (!dividend && type !== 'INTEREST' && type !== 'MISC' && type !== '') {
    return void ctx.b.fail('UNKNOWN_ACTION', `unknown INCOMETYPE "${type}"`, (child(el, 'INCOMETYPE') as XmlElement).line, 'INCOMETYPE');
  }
  const sec = dividend ? tradedSecurity(ctx, el, el) : undefined;
  if (common === undefined || total === undefined || type === '' || (dividend && sec === undefined)) return;
  const account = accountId(ctx.account);
  const brokerAction = action(el, common.memo);
  if (total === 0) return ctx.b.count('INCOME rows of $0.00 with nothing to book');
  if (total < 0) {
    ctx.b.addEvent(common.key, { kind: 'withdrawal', date: common.date, account, amount: -total as Usd }, el.line, brokerAction);
    return ctx.b.count(`negative INCOME rows (reversals) booked as withdrawals; income already booked is not reduced`);
  }
  if (dividend && sec !== undefined) {
    ctx.b.addEvent(common.key, { kind: 'dividend', date: common.date, account, symbol: sec.symbol, amount: total }, el.line, brokerAction);
    return ctx.b.count(`INCOME ${type} rows booked as dividends`);
  }
  ctx.b.addEvent(common.key, { kind: 'deposit', date: common.date, account, amount: total }, el.line, brokerAction);
  ctx.b.count(`INCOME ${type} rows (cash income) booked as deposits`);
}

function expense(ctx: StatementContext, el: XmlElement): void {
  const common = invtran(ctx, el);
  const total = ctx.fields.number('usd', el, 'TOTAL', true);
  const foreign = ctx.fields.foreignCurrency(el);
  if (foreign !== undefined) return unsupported(ctx, el, `amounts are in ${foreign}; only US dollars are booked`);
  if (common === undefined || total === undefined) return;
  if (total === 0) return ctx.b.count(`${el.name} rows of $0.00 with nothing to book`);
  ctx.b.addEvent(common.key, { kind: 'fee', date: common.date, account: accountId(ctx.account), amount: Math.abs(total) as Usd }, el.line, action(el, common.memo));
  ctx.b.count(`${el.name} rows booked as fees`);
}

function bank(ctx: StatementContext, el: XmlElement): void {
  const tr = child(el, 'STMTTRN');
  if (tr === undefined) return void ctx.b.fail('MISSING_FIELD', 'INVBANKTRAN has no STMTTRN', el.line, 'STMTTRN');
  const fitid = ctx.fields.text(tr, 'FITID', true);
  const date = ctx.fields.day(tr, 'DTPOSTED', true);
  const amount = ctx.fields.number('usd', tr, 'TRNAMT', true);
  const type = (ctx.fields.text(tr, 'TRNTYPE', false) ?? 'OTHER').trim().toUpperCase();
  const foreign = ctx.fields.foreignCurrency(tr);
  if (foreign !== undefined) return unsupported(ctx, el, `amounts are in ${foreign}; only US dollars are booked`);
  if (fitid === undefined || date === undefined || amount === undefined) return;
  if (amount === 0) return ctx.b.count('INVBANKTRAN rows of $0.00 with nothing to book');
  const kind = amount > 0 ? 'deposit' : type === 'FEE' || type === 'SRVCHG' ? 'fee' : 'withdrawal';
  const name = ctx.fields.text(tr, 'NAME', false) ?? ctx.fields.text(tr, 'MEMO', false);
  ctx.b.addEvent(`ofx:${ctx.account}:${fitid}`, { kind, date, account: accountId(ctx.account), amount: Math.abs(amount) as Usd }, el.line, `INVBANKTRAN ${type}${name === undefined ? '' : ` ${name}`}`);
  ctx.b.count(`INVBANKTRAN rows booked as ${kind}s`);
}

function transfer(ctx: StatementContext, el: XmlElement): void {
  const common = invtran(ctx, el);
  const sec = tradedSecurity(ctx, el, el);
  const units = ctx.fields.number('shares', el, 'UNITS', true);
  const direction = (ctx.fields.text(el, 'TFERACTION', true) ?? '').trim().toUpperCase();
  const postype = (ctx.fields.text(el, 'POSTYPE', false) ?? 'LONG').trim().toUpperCase();
  const price = ctx.fields.number('price', el, 'UNITPRICE', false);
  const avgCost = ctx.fields.number('price', el, 'AVGCOSTBASIS', false);
  const purchased = ctx.fields.day(el, 'DTPURCHASE', false);
  if (common === undefined || sec === undefined || units === undefined || direction === '') return;
  if (direction !== 'IN' && direction !== 'OUT') return void ctx.b.fail('BAD_VALUE', `TFERACTION must be IN or OUT, got "${direction}"`, (child(el, 'TFERACTION') as XmlElement).line, 'TFERACTION');
  if (postype === 'SHORT') return unsupported(ctx, el, 'short positions are not booked by Lotsmith');
  if (units === 0) return ctx.b.count('TRANSFER rows of 0 shares with nothing to book');
  const shares = Math.abs(units) as Shares;
  const account = accountId(ctx.account);
  const brokerAction = action(el, common.memo);
  if (direction === 'OUT') {
    if (/investment expense|\bfee\b/i.test(common.memo ?? '')) return expenseRedemption(ctx, el, common, sec, shares, price);
    ctx.b.addEvent(common.key, { kind: 'transfer_out', date: common.date, account, symbol: sec.symbol, shares }, el.line, brokerAction);
    return ctx.b.count('TRANSFER OUT rows booked as shares leaving the household (lots by the account method)');
  }
  if (avgCost !== undefined && purchased !== undefined) {
    ctx.b.addEvent(common.key, { kind: 'transfer_in', date: common.date, account, symbol: sec.symbol, shares, basis: usdOf(shares, avgCost), acquired: purchased }, el.line, brokerAction);
    return ctx.b.count('TRANSFER IN rows booked with their AVGCOSTBASIS and DTPURCHASE');
  }
  if (ctx.accountType !== undefined && ctx.accountType !== 'taxable' && price !== undefined && price > 0) {
    ctx.b.addEvent(common.key, { kind: 'transfer_in', date: common.date, account, symbol: sec.symbol, shares, basis: usdOf(shares, price), acquired: common.date }, el.line, brokerAction);
    return ctx.b.count(`TRANSFER IN rows into a ${ctx.accountType} account booked at their price on the transfer date (basis has no tax effect there)`);
  }
  ctx.b.fail(
    'MISSING_FIELD',
    `TRANSFER IN of ${shares / 1e6} shares of ${sec.symbol} carries no cost basis or acquisition date (OFX transfers do not), so its lots cannot be booked; import the lots from a lot report of this account (unrealized lot details with open dates and basis) instead`,
    el.line,
    'TRANSFER',
  );
}

/** Shares redeemed to pay a fee (Vanguard 401(k) "Investment Expense"): a sale, and the fee it paid. */
function expenseRedemption(ctx: StatementContext, el: XmlElement, common: Common, sec: OfxSecurity, shares: Shares, price: Price | undefined): void {
  if (price === undefined || price <= 0) {
    return void ctx.b.fail('MISSING_FIELD', 'a fee paid by redeeming shares needs UNITPRICE to book the sale', el.line, 'UNITPRICE');
  }
  const account = accountId(ctx.account);
  const brokerAction = action(el, common.memo);
  ctx.b.addEvent(common.key, { kind: 'sell', date: common.date, account, symbol: sec.symbol, shares, price, fees: 0 as Usd }, el.line, brokerAction);
  const amount = usdOf(shares, price);
  if (amount > 0) ctx.b.addEvent(`${common.key}:fee`, { kind: 'fee', date: common.date, account, amount }, el.line, brokerAction);
  ctx.b.count('TRANSFER OUT "Investment Expense" rows booked as a sale of the shares redeemed and the fee they paid');
}

function split(ctx: StatementContext, el: XmlElement): void {
  const common = invtran(ctx, el);
  const sec = tradedSecurity(ctx, el, el);
  const numerator = ctx.fields.text(el, 'NUMERATOR', true);
  const denominator = ctx.fields.text(el, 'DENOMINATOR', true);
  if (common === undefined || sec === undefined || numerator === undefined || denominator === undefined) return;
  const to = Number(numerator);
  const from = Number(denominator);
  if (!Number.isSafeInteger(to) || !Number.isSafeInteger(from) || to <= 0 || from <= 0) {
    return void ctx.b.fail('BAD_VALUE', `split ratio must be whole numbers, got ${numerator} for ${denominator}`, el.line, 'NUMERATOR');
  }
  ctx.b.addEvent(common.key, { kind: 'split', date: common.date, account: accountId(ctx.account), symbol: sec.symbol, from, to }, el.line, action(el, common.memo));
  ctx.b.count('SPLIT rows booked as splits');
}
