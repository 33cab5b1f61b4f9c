/**
 * Reading OFX leaf elements into exact values, each failure a located issue (line, element), and
 * the statement context the transaction rules share: the account, its type and the securities.
 */
import { dayFromCivil, daysInMonth, type Day } from '../../core/kernel/calendar.js';
import type { Exact, Unit } from '../../core/kernel/exact.js';
import type { AccountType, Symbol } from '../../core/ledger/household.js';
import type { BrokerBatch } from './brokerBatch.js';
import { brokerDecimal } from './brokerNumbers.js';
import { child, type XmlElement } from './xmlDocument.js';

export type SecurityKind = 'stock' | 'mf' | 'opt' | 'debt' | 'other';

export interface OfxSecurity {
  readonly symbol: Symbol;
  readonly kind: SecurityKind;
  readonly cusip?: string;
  readonly name?: string;
}

export interface StatementContext {
  readonly b: BrokerBatch;
  readonly fields: OfxFields;
  readonly account: string;
  readonly accountType: AccountType | undefined;
  /** The security a SECID aggregate names (recorded in the batch on first use), or undefined after an issue. */
  security(secid: XmlElement | undefined, owner: XmlElement): OfxSecurity | undefined;
}

/**
 * OFX dates: `YYYYMMDD[HHMMSS[.XXX]][[gmt offset[:tz name]]]`. The calendar day is the one written
 * (the custodian's local trade date); the zone, well-formed or not (`[-5:EST]`, `[-:EST]`), is not
 * used to move it.
 */
export function ofxDay(text: string): Day | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:\d{2}(?:\d{2}(?:\d{2}(?:[.,]\d+)?)?)?)?\s*(?:\[[^\]]*\]?)?$/.exec(text.trim());
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return dayFromCivil(year, month, day);
}

/** Leaf readers that report what is missing or malformed and where. */
export class OfxFields {
  /** Elements whose amounts had more decimals than the ledger keeps (rounded to the unit). */
  rounded = 0;

  constructor(private readonly b: BrokerBatch) {}

  text(el: XmlElement, name: string, required: boolean): string | undefined {
    const c = child(el, name);
    if (c === undefined || c.text === '') {
      if (required) this.b.fail('MISSING_FIELD', `${el.name} has no ${name}`, el.line, name);
      return undefined;
    }
    return c.text;
  }

  number<U extends Unit>(unit: U, el: XmlElement, name: string, required: boolean): Exact<U> | undefined {
    const raw = this.text(el, name, required);
    if (raw === undefined) return undefined;
    const parsed = brokerDecimal(unit, raw);
    if (!parsed.ok) {
      this.b.fail('BAD_NUMBER', parsed.reason, (child(el, name) as XmlElement).line, name);
      return undefined;
    }
    if (parsed.rounded) this.rounded++;
    return parsed.value;
  }

  day(el: XmlElement, name: string, required: boolean): Day | undefined {
    const raw = this.text(el, name, required);
    if (raw === undefined) return undefined;
    const d = ofxDay(raw);
    if (d === undefined) this.b.fail('BAD_DATE', `not an OFX date (YYYYMMDD[HHMMSS[.XXX]][TZ]): "${raw}"`, (child(el, name) as XmlElement).line, name);
    return d;
  }

  /** A currency other than US dollars at a rate other than 1: the amounts are not in USD. */
  foreignCurrency(el: XmlElement): string | undefined {
    const cur = child(el, 'CURRENCY');
    if (cur === undefined) return undefined;
    const sym = (this.text(cur, 'CURSYM', false) ?? 'USD').trim().toUpperCase();
    const rate = brokerDecimal('price', this.text(cur, 'CURRATE', false) ?? '1');
    if (sym === 'USD' || (rate.ok && rate.value === 100_000_000)) return undefined;
    return sym;
  }
}
