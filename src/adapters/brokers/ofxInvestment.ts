/**
 * OFX/QFX investment statements (Vanguard, Fidelity, E*TRADE, any custodian's "Quicken download"):
 * OFX 1.x SGML or 2.x XML, one or more INVSTMTRS per file, each an account.
 *
 * Why no OFX package from npm: the ones published (ofx-js, node-ofx-parser, ofx-data-extractor)
 * turn SGML into XML with regular expressions that drop line positions, handle banking and credit
 * card statements rather than investment ones, and are thinly maintained. Here a small, tested
 * normalizer (ofxSgml.ts) makes both syntaxes well-formed XML line for line, and fast-xml-parser —
 * the kept XML parser the IBKR importer uses too — reads it, so every issue names its line.
 *
 *   accounts    INVACCTFROM/ACCTID; '401k' when the statement has INV401K/INV401KBAL or 401(k)
 *               sources, an IRA type when USPRODUCTTYPE says so; otherwise the file is silent
 *   securities  SECLIST: SECID -> TICKER (and CUSIP when the id is a valid CUSIP; Vanguard's
 *               internal ids labelled CUSIP are not); a SECID missing from SECLIST is booked under
 *               its own id
 *   positions   INVPOSLIST POSSTOCK/POSMF/POSOTHER -> stated positions (units only: OFX gives no basis)
 *   events      ofxTransactions.ts; keys `ofx:<ACCTID>:<FITID>`, stable across overlapping statements
 *
 * OFX carries no lots: trades have no acquisition dates, transfers in have no basis. Pair an OFX
 * history with a lot report for the holdings it starts from.
 */
import { fail, type Result } from '../../core/kernel/errors.js';
import type { Day } from '../../core/kernel/calendar.js';
import type { Shares } from '../../core/kernel/exact.js';
import { symbol as toSymbol, type AccountType } from '../../core/ledger/household.js';
import type { FileFormat, ImportBatch } from '../../app/importBatch.js';
import { BrokerBatch } from './brokerBatch.js';
import { isCusip, cusipOfIsin } from './brokerNumbers.js';
import { OfxFields, type OfxSecurity, type SecurityKind, type StatementContext } from './ofxFields.js';
import { ofxToXml } from './ofxSgml.js';
import { bookTransaction } from './ofxTransactions.js';
import { child, descendants, leaf, parseXml, type XmlElement } from './xmlDocument.js';

export const ofxInvestment: FileFormat = {
  id: 'ofx-investment',
  custodian: 'ofx',
  description: 'OFX/QFX investment statement (Vanguard, Fidelity, E*TRADE...): trades, income, transfers, positions',
  sniff: (_name, text) => /OFXHEADER\s*[:=]|<OFX>/i.test(text.slice(0, 4096)),
  parse: parseOfxInvestment,
};

const INFO_KINDS: Readonly<Record<string, SecurityKind>> = { STOCKINFO: 'stock', MFINFO: 'mf', OPTINFO: 'opt', DEBTINFO: 'debt', OTHERINFO: 'other' };

export function parseOfxInvestment(file: string, text: string): Result<ImportBatch> {
  const normalized = ofxToXml(text, file);
  if (!normalized.ok) return normalized;
  const doc = parseXml(normalized.value.xml, file);
  if (!doc.ok) return doc;
  const root = doc.value;
  const b = new BrokerBatch('ofx-investment', file);
  if (root.name !== 'OFX') return fail([{ code: 'PARSE', message: `the root element is <${root.name}>, not <OFX>`, at: b.at(root.line) }]);
  const statements = descendants(root, 'INVSTMTRS');
  if (statements.length === 0) {
    b.fail('PARSE', 'no investment statement (INVSTMTRS) in this OFX file: bank and credit-card statements hold no securities', root.line, 'INVSTMTMSGSRSV1');
    return b.build();
  }
  for (const rs of descendants(root, 'INVSTMTTRNRS')) {
    const status = child(rs, 'STATUS');
    const code = status === undefined ? undefined : leaf(status, 'CODE');
    if (code !== undefined && code !== '0') b.fail('BAD_VALUE', `the statement response reports error ${code}: ${leaf(status as XmlElement, 'MESSAGE') ?? 'no message'}`, (status as XmlElement).line, 'STATUS');
  }
  const fields = new OfxFields(b);
  const table = securityTable(root, b);
  const org = descendants(root, 'FI').map((fi) => leaf(fi, 'ORG')).find((o) => o !== undefined);
  for (const st of statements) statement(st, b, fields, table, org);
  if (fields.rounded > 0) b.note(`${fields.rounded} amounts stated with more decimals than cents or 1e-8 dollar per share were rounded half away from zero`);
  return b.build();
}

interface SecurityTable {
  readonly byId: Map<string, OfxSecurity>;
  readonly used: Set<string>;
}

function securityTable(root: XmlElement, b: BrokerBatch): SecurityTable {
  const byId = new Map<string, OfxSecurity>();
  const lines = new Map<string, number>();
  for (const list of descendants(root, 'SECLIST')) {
    for (const info of list.children) {
      const kind = INFO_KINDS[info.name];
      const sec = child(info, 'SECINFO');
      const secid = sec === undefined ? undefined : child(sec, 'SECID');
      if (kind === undefined || sec === undefined || secid === undefined) continue;
      const id = leaf(secid, 'UNIQUEID');
      if (id === undefined) continue;
      const type = (leaf(secid, 'UNIQUEIDTYPE') ?? '').toUpperCase();
      const ticker = leaf(sec, 'TICKER')?.trim().toUpperCase();
      const name = leaf(sec, 'SECNAME');
      const entry: OfxSecurity = { symbol: toSymbol(ticker ?? id), kind, ...cusipOf(id, type), ...(name !== undefined ? { name } : {}) };
      const key = `${type}:${id}`;
      const known = byId.get(key);
      if (known !== undefined && known.symbol !== entry.symbol) {
        b.fail('BAD_VALUE', `SECLIST gives ${type} ${id} two tickers, ${known.symbol} (line ${lines.get(key)}) and ${entry.symbol}: the file cannot say which security its transactions name`, info.line, 'TICKER');
        continue;
      }
      byId.set(key, entry);
      lines.set(key, info.line);
    }
  }
  // E*TRADE leaves TICKER out of SECLIST at times and puts it in the position's MEMO.
  for (const inv of descendants(root, 'INVPOS')) {
    const secid = child(inv, 'SECID');
    const id = secid === undefined ? undefined : leaf(secid, 'UNIQUEID');
    const memo = leaf(inv, 'MEMO')?.trim();
    if (secid === undefined || id === undefined || memo === undefined || !/^[A-Z][A-Z0-9.-]{0,9}$/.test(memo)) continue;
    const type = (leaf(secid, 'UNIQUEIDTYPE') ?? '').toUpperCase();
    const key = `${type}:${id}`;
    const known = byId.get(key);
    if (known === undefined) byId.set(key, { symbol: toSymbol(memo), kind: 'stock', ...cusipOf(id, type) });
    else if (known.symbol === (id as string)) byId.set(key, { ...known, symbol: toSymbol(memo) });
  }
  return { byId, used: new Set() };
}

function cusipOf(id: string, type: string): { cusip?: string } {
  if (type === 'CUSIP' && isCusip(id)) return { cusip: id };
  if (type === 'ISIN') {
    const c = cusipOfIsin(id);
    if (c !== undefined) return { cusip: c };
  }
  return {};
}

function statement(st: XmlElement, b: BrokerBatch, fields: OfxFields, table: SecurityTable, org: string | undefined): void {
  const from = child(st, 'INVACCTFROM');
  const account = from === undefined ? undefined : leaf(from, 'ACCTID');
  if (account === undefined) return void b.fail('MISSING_FIELD', 'INVSTMTRS has no INVACCTFROM/ACCTID', st.line, 'ACCTID');
  const curdef = (leaf(st, 'CURDEF') ?? 'USD').toUpperCase();
  if (curdef !== 'USD') return void b.fail('BAD_VALUE', `the statement is in ${curdef}; Lotsmith books US-dollar statements only`, (child(st, 'CURDEF') as XmlElement).line, 'CURDEF');
  const asOf = fields.day(st, 'DTASOF', true);
  const brokerId = from === undefined ? undefined : leaf(from, 'BROKERID');
  const type = accountType(st);
  b.addAccount({
    key: account,
    custodian: custodianOf(`${brokerId ?? ''} ${org ?? ''}`, brokerId),
    ...(org !== undefined || brokerId !== undefined ? { title: `${org ?? brokerId} ${account}` } : {}),
    ...(type !== undefined ? { type } : {}),
  });
  const ctx: StatementContext = {
    b,
    fields,
    account,
    accountType: type,
    security: (secid, owner) => resolve(b, table, secid, owner),
  };
  const list = child(st, 'INVTRANLIST');
  if (list !== undefined) for (const el of list.children) bookTransaction(ctx, el);
  const positions = child(st, 'INVPOSLIST');
  if (positions !== undefined && asOf !== undefined) statePositions(ctx, positions, asOf);
}

/** What the statement says the account is: a 401(k) statement carries its 401(k) aggregates. */
function accountType(st: XmlElement): AccountType | undefined {
  if (child(st, 'INV401K') !== undefined || child(st, 'INV401KBAL') !== undefined || descendants(st, 'INV401KSOURCE').length > 0) return '401k';
  const product = descendants(st, 'USPRODUCTTYPE')[0]?.text.toUpperCase();
  if (product === '401K' || product === '403B') return '401k';
  if (product === 'IRA' || product === 'SARSEP' || product === 'SIMPLE') return 'traditional_ira';
  return undefined;
}

function custodianOf(text: string, brokerId: string | undefined): string {
  const t = text.toLowerCase();
  if (t.includes('vanguard')) return 'vanguard';
  if (t.includes('fidelity')) return 'fidelity';
  if (t.includes('etrade') || t.includes('e*trade') || t.includes('morgan stanley')) return 'etrade';
  if (t.includes('schwab')) return 'schwab';
  if (t.includes('ameritrade')) return 'tdameritrade';
  return brokerId?.toLowerCase() ?? 'ofx';
}

function resolve(b: BrokerBatch, table: SecurityTable, secid: XmlElement | undefined, owner: XmlElement): OfxSecurity | undefined {
  if (secid === undefined) return void b.fail('MISSING_FIELD', `${owner.name} has no SECID`, owner.line, 'SECID');
  const id = leaf(secid, 'UNIQUEID');
  if (id === undefined) return void b.fail('MISSING_FIELD', 'SECID has no UNIQUEID', secid.line, 'UNIQUEID');
  const type = (leaf(secid, 'UNIQUEIDTYPE') ?? '').toUpperCase();
  const key = `${type}:${id}`;
  let sec = table.byId.get(key);
  if (sec === undefined) {
    sec = { symbol: toSymbol(id), kind: 'other', ...cusipOf(id, type) };
    table.byId.set(key, sec);
    b.note(`${type || 'security'} ${id} is not in the file's SECLIST: booked under its id as the symbol`);
  }
  if (!table.used.has(key) && sec.kind !== 'opt' && sec.kind !== 'debt') {
    table.used.add(key);
    b.addSecurity({ symbol: sec.symbol, ...(sec.cusip !== undefined ? { cusip: sec.cusip } : {}) });
  }
  return sec;
}

function statePositions(ctx: StatementContext, list: XmlElement, asOf: Day): void {
  for (const pos of list.children) {
    const inv = child(pos, 'INVPOS');
    if (inv === undefined) continue;
    if (pos.name === 'POSOPT' || pos.name === 'POSDEBT') {
      ctx.b.count(`${pos.name} positions (options, bonds) not reconciled`);
      continue;
    }
    const sec = ctx.security(child(inv, 'SECID'), inv);
    const units = ctx.fields.number('shares', inv, 'UNITS', true);
    if (sec === undefined || units === undefined) continue;
    if (sec.kind === 'opt' || sec.kind === 'debt') {
      ctx.b.count('positions in options or bonds not reconciled');
      continue;
    }
    if ((leaf(inv, 'POSTYPE') ?? 'LONG').toUpperCase() === 'SHORT' || units < 0) {
      ctx.b.count('short positions not reconciled');
      continue;
    }
    ctx.b.addPosition({ accountKey: ctx.account, symbol: sec.symbol, asOf, shares: units as Shares, source: ctx.b.at(pos.line, pos.name) });
    ctx.b.count('positions stated (units, no basis) for reconciliation');
  }
}
