import { describe, expect, it } from 'vitest';
import { price, shares, usd } from '../../core/kernel/exact.js';
import { brokerDecimal, cusipOfIsin, isCusip, tradeAmounts } from './brokerNumbers.js';

describe('broker numbers', () => {
  it('reads zero-padded signed numbers, decimal commas, and rounds excess decimals half away from zero', () => {
    expect(brokerDecimal('shares', '+0000000000100.00000')).toEqual({ ok: true, value: shares('100'), rounded: false });
    expect(brokerDecimal('usd', '-00000000002571.4500')).toEqual({ ok: true, value: usd('-2571.45'), rounded: false });
    expect(brokerDecimal('price', '000000137.142857143')).toEqual({ ok: true, value: price('137.14285714'), rounded: true });
    expect(brokerDecimal('usd', '-93.20976')).toEqual({ ok: true, value: usd('-93.21'), rounded: true });
    expect(brokerDecimal('usd', '100,50')).toEqual({ ok: true, value: usd('100.50'), rounded: false });
    expect(brokerDecimal('usd', '0')).toEqual({ ok: true, value: 0, rounded: false });
    expect(brokerDecimal('usd', '1O').ok).toBe(false);
    expect(brokerDecimal('usd', '').ok).toBe(false);
  });

  it('books a trade from the cash that moved', () => {
    // Fidelity: 100 @ 25.635 + 7.95 commission = 2571.45 paid.
    expect(tradeAmounts({ side: 'buy', shares: shares('100'), statedPrice: price('25.635'), cash: usd('2571.45'), fees: usd('7.95') })).toEqual({ ok: true, value: { price: price('25.635'), fees: usd('7.95') } });
    // Three cents short of 8 x 137.16 - 7.95: an SEC fee the file did not itemize.
    expect(tradeAmounts({ side: 'sell', shares: shares('8'), statedPrice: price('137.16'), cash: usd('1089.30'), fees: usd('7.95') })).toEqual({ ok: true, value: { price: price('137.16'), fees: usd('7.98'), unitemized: usd('0.03') } });
    // A price of 0 (Vanguard's bug): the price comes from the total.
    expect(tradeAmounts({ side: 'buy', shares: shares('3'), statedPrice: price('0'), cash: usd('300'), fees: usd('0') })).toEqual({ ok: true, value: { price: price('100'), fees: usd('0') } });
    // Far off the stated price: booked from the total, and said so.
    expect(tradeAmounts({ side: 'buy', shares: shares('2'), statedPrice: price('10'), cash: usd('40'), fees: usd('0') })).toEqual({ ok: true, value: { price: price('20'), fees: usd('0'), disagreement: usd('20') } });
    expect(tradeAmounts({ side: 'buy', shares: shares('1'), cash: usd('5'), fees: usd('7') }).ok).toBe(false);
  });

  it('checks CUSIPs and finds them inside US and Canadian ISINs', () => {
    expect(isCusip('037833100')).toBe(true);
    expect(isCusip('922908363')).toBe(true);
    expect(isCusip('012345678')).toBe(false);
    expect(isCusip('VGI007743')).toBe(false);
    expect(cusipOfIsin('US0378331005')).toBe('037833100');
    expect(cusipOfIsin('DE0007164600')).toBeUndefined();
  });
});
