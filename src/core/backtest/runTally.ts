/**
 * One simulated account's running books, kept the same way by every day loop (the ETF backtest's
 * reference and fast loops, the direct index's): the year's row and realized gains, the loss
 * carryover, the advisory fee accrued daily on the closing value and charged when due, each
 * year's tax settled on its last trading day (paid from, or refunded into, the account when tax
 * flows are reinvested), and the daily log return net of the day's external flows.
 */
import type { Day } from '../kernel/calendar.js';
import type { Usd } from '../kernel/exact.js';
import type { TaxSituation } from '../harvest/state.js';
import { NO_CARRYOVER, type Carryover } from '../tax/capitalLoss.js';
import type { Brokerage, Realized } from './brokerage.js';
import { addRealized, blankYear, settleYear, type RunEnd, type YearRow } from './runParts.js';
import type { YearResult } from './simulation.js';

export class RunTally {
  row: YearRow = blankYear();
  ytd = { shortTerm: 0, longTerm: 0 };
  carry: Carryover = NO_CARRYOVER;
  /** The day's external flows in cents (deposits, transfers in, reinvested tax): not part of the return. */
  flow = 0;
  private year = -1;
  private feeAccrued = 0;
  private previousValue = 0;
  private logReturn = 0;
  private days = 0;
  private lastCarryIn: Carryover = NO_CARRYOVER;
  private readonly years: YearResult[] = [];
  private today: { readonly shortTerm: number; readonly longTerm: number; readonly carry: Carryover; readonly situation: TaxSituation } | undefined;

  constructor(
    private readonly situation: TaxSituation,
    private readonly taxFlows: 'external' | 'reinvest',
    private readonly feeRate: number,
  ) {}

  beginDay(t: number, year: number): void {
    if (year !== this.year) {
      this.year = year;
      this.row = blankYear();
      this.row.first = t;
      this.ytd = { shortTerm: 0, longTerm: 0 };
    }
    this.flow = 0;
  }

  deposit(broker: Brokerage, date: Day, cents: number): void {
    broker.deposit(date, cents as Usd);
    this.row.deposits += cents;
    this.flow += cents;
  }

  /** The accrued fee in cents on a day it is due, else 0. */
  feeDue(due: boolean): number {
    return due ? Math.round(this.feeAccrued * 100) : 0;
  }

  realized(r: Realized): void {
    addRealized(this.row, r);
    this.ytd = { shortTerm: this.ytd.shortTerm + r.shortTerm, longTerm: this.ytd.longTerm + r.longTerm };
  }

  /** The tax situation a decision sees: the client's other gains plus the year's realized ones, and the carryover in. */
  taxToday(): TaxSituation {
    // `carry` is replaced, never changed in place: the situation stands until it or a year's total changes.
    const kept = this.today;
    if (kept !== undefined && kept.shortTerm === this.ytd.shortTerm && kept.longTerm === this.ytd.longTerm && kept.carry === this.carry) return kept.situation;
    const base = this.situation.profile;
    const other = base.realized ?? { shortTerm: 0 as Usd, longTerm: 0 as Usd };
    const situation = {
      ...this.situation,
      profile: { ...base, realized: { shortTerm: (other.shortTerm + this.ytd.shortTerm) as Usd, longTerm: (other.longTerm + this.ytd.longTerm) as Usd }, carryoverIn: this.carry },
    };
    this.today = { shortTerm: this.ytd.shortTerm, longTerm: this.ytd.longTerm, carry: this.carry, situation };
    return situation;
  }

  chargeFee(broker: Brokerage, date: Day, feeDue: number): void {
    if (feeDue <= 0) return;
    const paid = broker.charge(date, feeDue as Usd, 'fee');
    this.row.fees += paid;
    this.feeAccrued -= paid / 100;
  }

  /** Settles the year when it ends, then values the account (after any tax flow) for the return and the fee. */
  closeDay(t: number, date: Day, broker: Brokerage, yearEnds: boolean, valueNow: () => number): void {
    if (yearEnds) {
      this.lastCarryIn = this.carry;
      const settled = settleYear(this.situation, this.ytd, this.carry);
      this.row.tax = settled.tax;
      this.row.carryoverOut = settled.carryoverOut;
      this.carry = settled.carryoverOut;
      if (this.taxFlows === 'reinvest' && settled.tax !== 0) {
        if (settled.tax < 0) broker.deposit(date, -settled.tax as Usd);
        else broker.charge(date, settled.tax as Usd, 'withdrawal');
        this.flow -= settled.tax;
      }
    }
    const value = valueNow();
    // The first day has no previous value, so it starts the return rather than adding to it.
    if (this.previousValue > 0) {
      this.logReturn += Math.log((value - this.flow / 100) / this.previousValue);
      this.days += 1;
    }
    this.previousValue = value;
    this.feeAccrued += (value * this.feeRate) / 252;
    this.row.averageBalance += (value - this.row.averageBalance) / (t - this.row.first + 1);
    if (yearEnds) {
      this.row.last = t;
      this.row.endValue = value;
      this.years.push({ ...this.row, year: this.year });
    }
  }

  end(): Pick<RunEnd, 'years' | 'ytd' | 'lastCarryIn' | 'finalValue' | 'logReturn' | 'days'> {
    return { years: this.years, ytd: this.ytd, lastCarryIn: this.lastCarryIn, finalValue: this.previousValue, logReturn: this.logReturn, days: this.days };
  }
}
