/**
 * Interactive Brokers Flex attributes read into exact values: dates in the spellings a Flex query
 * can be set to, money in the row's currency or converted to US dollars at IBKR's own rate, each
 * failure a located issue (line, attribute).
 */
import { dayFromCivil, daysInMonth, type Day } from '../../core/kernel/calendar.js';
import { mulDivRound, type Exact, type Price, type Unit, type Usd } from '../../core/kernel/exact.js';
import type { BrokerBatch } from './brokerBatch.js';
import { brokerDecimal } from './brokerNumbers.js';
import type { XmlElement } from './xmlDocument.js';

/**
 * `20250807`, `2025-08-07`, optionally followed by a time (`;104523`, ` 01:25:14`, `, 19:45:00`).
 * Day-month orders (`08/07/2025`) are ambiguous and refused: set the query's date format to
 * yyyyMMdd or yyyy-MM-dd.
 */
export function ibkrDay(text: string): Day | undefined {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})(?:[;T ,]+\d{1,2}:?\d{2}:?\d{2})?$/.exec(text.trim());
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return dayFromCivil(year, month, day);
}

/** Values IBKR writes for "no value". */
export function isEmpty(v: string | undefined): boolean {
  return v === undefined || v === '' || v === '--' || v === '-' || v === 'N/A' || v === 'MULTI';
}

export class FlexFields {
  constructor(private readonly b: BrokerBatch) {}

  text(el: XmlElement, name: string, required: boolean): string | undefined {
    const v = el.attrs[name]?.trim();
    if (isEmpty(v)) {
      if (required) this.b.fail('MISSING_FIELD', `${el.name} has no ${name}`, el.line, name);
      return undefined;
    }
    return v;
  }

  number<U extends Unit>(unit: U, el: XmlElement, name: string, required: boolean): Exact<U> | undefined {
    const raw = this.text(el, name, required);
    if (raw === undefined) return undefined;
    const parsed = brokerDecimal(unit, raw.replace(/,/g, ''));
    if (!parsed.ok) {
      this.b.fail('BAD_NUMBER', parsed.reason, el.line, name);
      return undefined;
    }
    return parsed.value;
  }

  day(el: XmlElement, names: readonly string[], required: boolean): Day | undefined {
    for (const name of names) {
      const raw = this.text(el, name, false);
      if (raw === undefined) continue;
      const d = ibkrDay(raw);
      if (d === undefined) {
        this.b.fail('BAD_DATE', `not a Flex date (yyyyMMdd or yyyy-MM-dd, optionally with a time): "${raw}"; set the Flex query's date format to yyyyMMdd`, el.line, name);
      }
      return d;
    }
    if (required) this.b.fail('MISSING_FIELD', `${el.name} has no ${names.join(' or ')}`, el.line, names[0]);
    return undefined;
  }
}

/**
 * Converts an amount of the row's currency to US dollars at `rate` (IBKR's fxRateToBase when the
 * base currency is USD), rounded to the cent; amounts already in USD pass unchanged.
 */
export function toUsd(amount: Exact<'usd'>, rate: Price | undefined): Usd | undefined {
  if (rate === undefined) return amount as Usd;
  return mulDivRound(amount, rate, 100_000_000) as Usd;
}

export function priceToUsd(p: Price, rate: Price | undefined): Price {
  return rate === undefined ? p : (mulDivRound(p, rate, 100_000_000) as Price);
}
