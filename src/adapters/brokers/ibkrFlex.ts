/**
 * Interactive Brokers Flex Query XML (Activity or Trade Confirmation flex), read with
 * fast-xml-parser. Each FlexStatement is one account (its accountId is the account key); every
 * field is an attribute, and which attributes appear depends on the user's query.
 *
 * Sections: ibkrActivity.ts books Trades, CashTransactions, CorporateActions and Transfers.
 * OpenPositions here:
 *   - SUMMARY rows (or the sum of LOT rows when the query has no SUMMARY) become stated positions,
 *     with their cost basis when it is in US dollars, for reconciliation;
 *   - LOT rows become opening lots (transfer_in dated the statement's report date, acquired on
 *     openDateTime, holding period from holdingPeriodDateTime, basis costBasisMoney) only for a
 *     security with no execution in this statement. A security traded in the statement has its
 *     lots from those trades (and from earlier imports); booking its LOT rows as well would count
 *     them twice. An opening lot's key is its originating trade's (`ibkr:<originatingTransactionID>`),
 *     the key that trade has when another statement imports it, so the same lot is recognized.
 * Informational sections (AccountInformation, SecuritiesInfo, ConversionRates, FxTransactions, cash
 * and performance summaries...) are read for what they say about accounts and securities, or noted.
 */
import { fail, type Result } from '../../core/kernel/errors.js';
import type { Day } from '../../core/kernel/calendar.js';
import type { Shares, Usd } from '../../core/kernel/exact.js';
import { accountId, symbol as toSymbol, type AccountType, type Symbol } from '../../core/ledger/household.js';
import type { FileFormat, ImportBatch } from '../../app/importBatch.js';
import { BrokerBatch } from './brokerBatch.js';
import { bookCash, bookCorporateAction, bookTrade, bookTransfer, symbolOf, type FlexContext } from './ibkrActivity.js';
import { FlexFields } from './ibkrFields.js';
import { child, parseXml, type XmlElement } from './xmlDocument.js';

export const ibkrFlex: FileFormat = {
  id: 'ibkr-flex',
  custodian: 'ibkr',
  description: 'Interactive Brokers Flex Query XML: trades (EXECUTION), open positions (LOT), cash, corporate actions',
  sniff: (_name, text) => /<FlexQueryResponse[\s>]|<FlexStatements[\s>]/.test(text.slice(0, 4096)),
  parse: parseIbkrFlex,
};

const INFORMATIONAL = new Set([
  'AccountInformation', 'SecuritiesInfo', 'ConversionRates', 'FxTransactions', 'CashReport', 'EquitySummaryInBase',
  'ChangeInNAV', 'MTMPerformanceSummaryInBase', 'FIFOPerformanceSummaryInBase', 'MTDYTDPerformanceSummary', 'StmtFunds',
  'ChangeInPositionValues', 'PriorPeriodPositions', 'NetStockPositionSummary', 'UnbundledCommissionDetails',
  'ChangeInDividendAccruals', 'OpenDividendAccruals', 'InterestAccruals', 'TierInterestDetails', 'TransactionTaxes',
  'SLBActivities', 'SLBFees', 'HardToBorrowDetails', 'ComplexPositions', 'CFDCharges', 'RoutingCommissions',
  'ClientFees', 'ClientFeesDetail', 'DebitCardActivities', 'SalesTaxes', 'PendingExcercises', 'FdicInsuredDepositsByBank',
]);

export function parseIbkrFlex(file: string, text: string): Result<ImportBatch> {
  const doc = parseXml(text, file);
  if (!doc.ok) return doc;
  const root = doc.value;
  const b = new BrokerBatch('ibkr-flex', file);
  if (root.name !== 'FlexQueryResponse' && root.name !== 'FlexStatements') {
    return fail([{ code: 'PARSE', message: `the root element is <${root.name}>, not <FlexQueryResponse>`, at: b.at(root.line) }]);
  }
  const list = root.name === 'FlexStatements' ? root : child(root, 'FlexStatements');
  const statements = list === undefined ? [] : list.children.filter((c) => c.name === 'FlexStatement');
  if (statements.length === 0) {
    b.fail('PARSE', 'no FlexStatement in this file (a Flex error response, or an empty query)', root.line, 'FlexStatements');
    return b.build();
  }
  const fields = new FlexFields(b);
  for (const st of statements) statement(st, b, fields);
  return b.build();
}

function statement(st: XmlElement, b: BrokerBatch, fields: FlexFields): void {
  const account = fields.text(st, 'accountId', true);
  if (account === undefined) return;
  const info = child(st, 'AccountInformation');
  const type = accountTypeOf(info);
  const alias = info?.attrs['acctAlias']?.trim() || undefined;
  b.addAccount({ key: account, custodian: 'ibkr', ...(alias !== undefined ? { title: alias } : {}), ...(type !== undefined ? { type } : {}) });
  const reportDay = fields.day(st, ['toDate', 'whenGenerated'], true);
  const ctx: FlexContext = { b, fields, account, base: baseCurrency(st, info), traded: new Set(), lotSymbols: new Set() };
  const open = child(st, 'OpenPositions');
  for (const row of open?.children ?? []) if (levelOf(row) === 'LOT') ctx.lotSymbols.add((row.attrs['symbol'] ?? '').replace(/\s+/g, '.'));
  const sections = new Set(st.children.map((c) => c.name));
  const trades = child(st, 'Trades') ?? child(st, 'TradeConfirms');
  for (const row of trades?.children ?? []) {
    if ((row.name === 'Trade' || row.name === 'TradeConfirm') && (levelOf(row) === 'EXECUTION' || levelOf(row) === '')) {
      if (mine(row, account)) bookTrade(ctx, row);
    } else b.count('Trades rows at ORDER, SYMBOL_SUMMARY, ASSET_SUMMARY or CLOSED_LOT level not booked (they repeat the EXECUTION rows)');
  }
  for (const row of child(st, 'CashTransactions')?.children ?? []) {
    if (detail(row) && mine(row, account)) bookCash(ctx, row);
  }
  for (const rows of corporateActions(child(st, 'CorporateActions'), account)) bookCorporateAction(ctx, rows);
  for (const row of child(st, 'Transfers')?.children ?? []) if (detail(row) && mine(row, account)) bookTransfer(ctx, row);
  const eae = child(st, 'OptionEAE');
  if (eae !== undefined && eae.children.length > 0) {
    b.fail('UNKNOWN_ACTION', 'option exercises, assignments and expirations are not booked by Lotsmith', (eae.children[0] as XmlElement).line, 'OptionEAE');
  }
  if (open !== undefined && reportDay !== undefined) openPositions(ctx, open, reportDay);
  for (const name of sections) {
    if (name === 'Trades' || name === 'TradeConfirms' || name === 'CashTransactions' || name === 'CorporateActions' || name === 'Transfers' || name === 'OptionEAE' || name === 'OpenPositions') continue;
    if (!INFORMATIONAL.has(name)) b.note(`section ${name} of statement ${account} not read (no rule books it)`);
  }
}

function levelOf(row: XmlElement): string {
  return (row.attrs['levelOfDetail'] ?? '').trim().toUpperCase();
}

/** DETAIL rows (or rows of a query without levels); SUMMARY rows repeat them. */
function detail(row: XmlElement): boolean {
  const level = levelOf(row);
  return level === '' || level === 'DETAIL' || level === 'TRANSACTION';
}

/** Rows of this statement's account (summary rows say accountId "-"). */
function mine(row: XmlElement, account: string): boolean {
  const a = row.attrs['accountId'];
  return a === undefined || a === account;
}

function accountTypeOf(info: XmlElement | undefined): AccountType | undefined {
  const t = `${info?.attrs['accountType'] ?? ''} ${info?.attrs['customerType'] ?? ''}`;
  if (/roth/i.test(t)) return 'roth_ira';
  if (/\bIRA\b/i.test(t)) return 'traditional_ira';
  return undefined;
}

/** AccountInformation's currency, else the one currency that rows convert to the base at rate 1. */
function baseCurrency(st: XmlElement, info: XmlElement | undefined): string | undefined {
  const stated = info?.attrs['currency']?.trim().toUpperCase();
  if (stated !== undefined && stated !== '') return stated;
  const atPar = new Set<string>();
  const notPar = new Set<string>();
  for (const section of st.children) {
    for (const row of section.children) {
      const cur = row.attrs['currency']?.toUpperCase();
      const rate = row.attrs['fxRateToBase'];
      if (cur === undefined || cur === '' || rate === undefined || rate === '') continue;
      (Number(rate) === 1 ? atPar : notPar).add(cur);
    }
  }
  if (notPar.has('USD')) return [...atPar][0];
  return atPar.size === 1 ? [...atPar][0] : atPar.has('USD') ? 'USD' : undefined;
}

function* corporateActions(section: XmlElement | undefined, account: string): Generator<XmlElement[]> {
  const groups = new Map<string, XmlElement[]>();
  for (const row of section?.children ?? []) {
    if (!detail(row) || !mine(row, account)) continue;
    const described = (row.attrs['actionDescription'] ?? row.attrs['description'] ?? '').replace(/\s*\([^()]*\)\s*$/, '');
    const id = row.attrs['actionID']?.trim() || `${row.attrs['dateTime'] ?? ''}|${described}`;
    const list = groups.get(id);
    if (list) list.push(row);
    else groups.set(id, [row]);
  }
  yield* groups.values();
}

function openPositions(ctx: FlexContext, section: XmlElement, reportDay: Day): void {
  const { b, fields } = ctx;
  const summarized = new Set<string>();
  const lotTotals = new Map<string, { shares: number; line: number; asOf: Day }>();
  for (const row of section.children) {
    if (!mine(row, ctx.account)) continue;
    const asset = (row.attrs['assetCategory'] ?? 'STK').toUpperCase();
    if (asset === 'CASH') continue;
    if (asset !== 'STK' && asset !== 'FUND') {
      b.fail('UNKNOWN_ACTION', `open ${asset} position in ${row.attrs['symbol'] ?? '?'} not booked: Lotsmith books stocks and funds, not options, futures or bonds`, row.line, 'assetCategory');
      continue;
    }
    const sym = symbolOf(ctx, row);
    const position = fields.number('shares', row, 'position', true);
    const asOf = fields.day(row, ['reportDate'], false) ?? reportDay;
    if (sym === undefined || position === undefined) continue;
    if (position < 0) {
      b.fail('UNKNOWN_ACTION', `short position in ${sym} not booked: Lotsmith books long positions`, row.line, 'position');
      continue;
    }
    const usd = (row.attrs['currency'] ?? 'USD').toUpperCase() === 'USD';
    if (levelOf(row) === 'LOT') {
      const t = lotTotals.get(sym) ?? { shares: 0, line: row.line, asOf };
      t.shares += position;
      lotTotals.set(sym, t);
      if (!ctx.traded.has(sym)) openingLot(ctx, row, sym, position as Shares, asOf, usd);
      continue;
    }
    summarized.add(sym);
    const basis = usd ? fields.number('usd', row, 'costBasisMoney', false) : undefined;
    b.addPosition({ accountKey: ctx.account, symbol: sym, asOf, shares: position as Shares, ...(basis !== undefined ? { costBasis: basis } : {}), source: b.at(row.line, 'OpenPosition') });
  }
  for (const [sym, t] of lotTotals) {
    if (summarized.has(sym)) continue;
    b.addPosition({ accountKey: ctx.account, symbol: toSymbol(sym), asOf: t.asOf, shares: t.shares as Shares, source: b.at(t.line, 'OpenPosition') });
  }
  if (lotTotals.size > 0 && [...lotTotals.keys()].some((s) => ctx.traded.has(s))) {
    b.note('open LOT rows of securities traded in this statement were not booked as opening lots: the trades book them (their totals are reconciled)');
  }
}

function openingLot(ctx: FlexContext, row: XmlElement, sym: Symbol, shares: Shares, asOf: Day, usd: boolean): void {
  const { b, fields } = ctx;
  if (!usd) {
    return void b.fail('BAD_VALUE', `open lot of ${sym} in ${row.attrs['currency']}: its US-dollar basis at the purchase date is not in the file`, row.line, 'currency');
  }
  const acquired = fields.day(row, ['openDateTime'], false);
  const heldFrom = fields.day(row, ['holdingPeriodDateTime'], false);
  const basis = fields.number('usd', row, 'costBasisMoney', true);
  if (acquired === undefined) {
    return void b.fail('MISSING_FIELD', `open lot of ${sym} has no openDateTime: add the open date time to the Flex query's Open Positions (LOT level) so the lot's acquisition date is known`, row.line, 'openDateTime');
  }
  if (basis === undefined) return;
  if (basis < 0) return void b.fail('BAD_VALUE', `open lot of ${sym} has a negative cost basis`, row.line, 'costBasisMoney');
  const origin = row.attrs['originatingTransactionID']?.trim();
  const base = origin !== undefined && origin !== '' && origin !== '0' ? `ibkr:${origin}` : `ibkr:${ctx.account}:lot:${sym}:${row.attrs['openDateTime']}`;
  const adjusted = heldFrom !== undefined && heldFrom < acquired ? { adjustedAcquired: heldFrom } : {};
  b.addEvent(base, { kind: 'transfer_in', date: asOf < acquired ? acquired : asOf, account: accountId(ctx.account), symbol: sym, shares, basis: basis as Usd, acquired, ...adjusted }, row.line, 'OpenPosition LOT');
  b.count('open LOT rows booked as opening lots (no trade for them in this statement)');
}
