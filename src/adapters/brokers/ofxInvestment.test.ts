import { describe, expect, it } from 'vitest';
import { formatDay } from '../../core/kernel/calendar.js';
import { format } from '../../core/kernel/exact.js';
import { fixture, issuesOf, lines, openingHoldings, unwrap } from './brokerTesting.test-util.js';
import { ofxInvestment, parseOfxInvestment } from './ofxInvestment.js';

describe('OFX investment statements', () => {
  it('books a Vanguard 401(k) statement: contributions, a fee paid by redeeming shares, a reinvestment, a rollover in', () => {
    const batch = unwrap(parseOfxInvestment('vanguard-401k.ofx', fixture('vanguard-401k.ofx')));
    expect(batch.accounts).toEqual([{ key: '091234-01', custodian: 'vanguard', title: 'Vanguard 091234-01', type: '401k' }]);
    expect(batch.securities).toEqual([{ symbol: 'VTRTX' }]);
    expect(lines(batch)).toEqual([
      '2023-10-13 buy 091234-01 VTRTX 12.5 @ 120 fees 0.00 [ofx:091234-01:401K.20231013.1]',
      '2023-10-13 buy 091234-01 VTRTX 2.5 @ 120 fees 0.00 [ofx:091234-01:401K.20231013.2]',
      '2023-10-31 sell 091234-01 VTRTX 0.1 @ 118.5 fees 0.00 [ofx:091234-01:401K.20231031.9]',
      '2023-10-31 fee 091234-01 11.85 [ofx:091234-01:401K.20231031.9:fee]',
      '2023-12-20 dividend_reinvest 091234-01 VTRTX 0.2 @ 128.0488 fees 0.00 [ofx:091234-01:401K.20231220.3]',
      '2023-12-28 transfer_in 091234-01 VTRTX 10 basis 1300.00 acquired 2023-12-28 [ofx:091234-01:401K.20231228.4]',
    ]);
    expect(batch.events[0]?.brokerAction).toBe('BUYMF Contribution');
    expect(batch.events[0]?.source).toEqual({ file: 'vanguard-401k.ofx', row: 43 });
    const [pos] = batch.positions;
    expect(pos && [pos.accountKey, pos.symbol, formatDay(pos.asOf), format('shares', pos.shares), pos.costBasis]).toEqual(['091234-01', 'VTRTX', '2023-12-31', '25.1', undefined]);
    expect(openingHoldings(batch).get('091234-01|VTRTX')).toBe(0);
    expect(batch.notes).toContain('1 TRANSFER IN rows into a 401k account booked at their price on the transfer date (basis has no tax effect there)');
  });

  it('books a single-line Fidelity statement with zero-padded signed numbers and a malformed time zone', () => {
    const batch = unwrap(parseOfxInvestment('fidelity-brokerage.ofx', fixture('fidelity-brokerage.ofx')));
    expect(batch.accounts).toEqual([{ key: 'Z12345678', custodian: 'fidelity', title: 'fidelity.com Z12345678' }]);
    expect(batch.securities).toEqual([{ symbol: 'VOO', cusip: '922908363' }]);
    expect(lines(batch)).toEqual([
      '2024-01-02 deposit Z12345678 5000.00 [ofx:Z12345678:Z1234567820240102C1]',
      '2024-01-05 buy Z12345678 VOO 10 @ 430.12345679 fees 0.00 [ofx:Z12345678:Z1234567820240105B1]',
      '2024-01-31 dividend Z12345678 VOO 15.88 [ofx:Z12345678:Z1234567820240131D1]',
      '2024-01-31 buy Z12345678 VOO 0.036 @ 441.11111111 fees 0.00 [ofx:Z12345678:Z1234567820240131R1]',
      '2024-02-15 sell Z12345678 VOO 4 @ 450 fees 1.02 [ofx:Z12345678:Z1234567820240215S1]',
      '2024-02-20 fee Z12345678 25.00 [ofx:Z12345678:Z1234567820240220F1]',
    ]);
    expect(openingHoldings(batch).get('Z12345678|VOO')).toBe(0);
    expect(batch.notes).toContain('1 BUYSTOCK rows (reinvestments) booked as buys');
  });

  it('reads OFX 2.x XML (E*TRADE): ISIN ids, foreign withholding as a fee, a split, the ticker from a position memo', () => {
    const batch = unwrap(parseOfxInvestment('etrade-v2.qfx', fixture('etrade-v2.qfx')));
    expect(batch.accounts).toEqual([{ key: 'XXXX-4321', custodian: 'etrade', title: 'ETRADE XXXX-4321' }]);
    expect(batch.securities).toEqual([{ symbol: 'V', cusip: '92826C839' }, { symbol: 'NSRGY', cusip: '641069406' }]);
    expect(lines(batch)).toEqual([
      '2023-07-14 buy XXXX-4321 V 3 @ 242.21 fees 0.00 [ofx:XXXX-4321:230714_B_0]',
      '2023-07-20 dividend XXXX-4321 NSRGY 40.00 [ofx:XXXX-4321:230720_DIV_1]',
      '2023-07-20 fee XXXX-4321 14.00 [ofx:XXXX-4321:230720_DIV_2]',
      '2023-07-25 split XXXX-4321 V 2 for 1 [ofx:XXXX-4321:230725_SPL_1]',
    ]);
  });

  it('gives the same keys when an overlapping statement is imported again', () => {
    const a = unwrap(parseOfxInvestment('a.ofx', fixture('fidelity-brokerage.ofx')));
    const b = unwrap(parseOfxInvestment('b.ofx', fixture('fidelity-brokerage.ofx').replace(/<BUYSTOCK>.*?<\/BUYSTOCK>/, '')));
    const keysA = new Set(a.events.map((e) => e.key));
    expect(b.events.every((e) => keysA.has(e.key))).toBe(true);
    expect(b.events.length).toBe(a.events.length - 1);
  });

  it('refuses a transfer in without basis, pointing at the row and asking for a lot report; books one with AVGCOSTBASIS and DTPURCHASE', () => {
    const text = fixture('transfer-in-no-basis.ofx');
    expect(issuesOf(parseOfxInvestment('transfer-in-no-basis.ofx', text))).toEqual([
      'transfer-in-no-basis.ofx, row 9, field TRANSFER: TRANSFER IN of 25 shares of 922908363 carries no cost basis or acquisition date (OFX transfers do not), so its lots cannot be booked; import the lots from a lot report of this account (unrealized lot details with open dates and basis) instead [MISSING_FIELD]',
    ]);
    const second = unwrap(parseOfxInvestment('t.ofx', text.replace(/<TRANSFER><INVTRAN><FITID>T1.*?<\/TRANSFER>\n/s, '')));
    expect(lines(second)).toEqual(['2018-06-16 transfer_in 555 922908363 5 basis 1052.50 acquired 2015-03-02 [ofx:555:T2]']);
  });

  it('refuses options with a located issue', () => {
    expect(issuesOf(parseOfxInvestment('options.ofx', fixture('options.ofx')))).toEqual([
      'options.ofx, row 9, field BUYOPT: <BUYOPT> not booked: options are not booked by Lotsmith; import this account without its option trades or book them by hand [UNKNOWN_ACTION]',
    ]);
  });

  it('reports every malformed value with its line and element', () => {
    expect(issuesOf(parseOfxInvestment('malformed.ofx', fixture('malformed.ofx')))).toEqual([
      'malformed.ofx, row 11, field UNITS: not a number: "1O" [BAD_NUMBER]',
      'malformed.ofx, row 13, field DTTRADE: not an OFX date (YYYYMMDD[HHMMSS[.XXX]][TZ]): "20201331" [BAD_DATE]',
    ]);
    expect(issuesOf(parseOfxInvestment('truncated.ofx', fixture('truncated.ofx')))).toEqual([
      'truncated.ofx, row 10, field INVBUY: element <INVBUY> opened on line 9 is not closed before the end of the file (is the file cut short?) [PARSE]',
    ]);
  });

  it('says a bank statement is not an investment statement', () => {
    const bank = 'OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1</STMTTRNRS></BANKMSGSRSV1></OFX>';
    expect(issuesOf(parseOfxInvestment('bank.ofx', bank))).toEqual([
      'bank.ofx, row 4, field INVSTMTMSGSRSV1: no investment statement (INVSTMTRS) in this OFX file: bank and credit-card statements hold no securities [PARSE]',
    ]);
  });

  it('sniffs OFX by content, in either syntax', () => {
    expect(ofxInvestment.sniff('x.txt', fixture('vanguard-401k.ofx'))).toBe(true);
    expect(ofxInvestment.sniff('x.txt', fixture('etrade-v2.qfx'))).toBe(true);
    expect(ofxInvestment.sniff('x.ofx', 'Date,Action,Symbol\n')).toBe(false);
  });
});
