import type { Symbol } from '../ledger/household.js';
import { dayTargets } from '../harvest/allocation.js';
import type { Targets } from '../harvest/state.js';
import type { Brokerage } from './brokerage.js';
import type { MarketData } from './marketData.js';

/** Per asset class of the universe: its id and its funds' indices in the market data. */
export type ClassFunds = readonly { readonly id: string; readonly symbols: readonly number[] }[];

/**
 * The asset classes an account is phasing in (allocation.ts): a class whose funds had no price
 * when the account was funded, or stopped having one, enters the day a fund of it trades again,
 * and leaves once its weight is within the drift band of its day target.
 */
export class PhaseIn {
  private readonly priced: Uint8Array;
  private readonly phasing = new Set<string>();

  constructor(
    private readonly classes: ClassFunds,
    private readonly data: MarketData,
    private readonly targets: Targets,
    private readonly band: number,
    start: number,
  ) {
    this.priced = Uint8Array.from(classes, (c) => (this.pricedOn(c.symbols, start) ? 1 : 0));
  }

  private pricedOn(symbols: readonly number[], t: number): boolean {
    for (const i of symbols) if (!Number.isNaN((this.data.close[i] as Float64Array)[t] as number)) return true;
    return false;
  }

  /** The classes phasing in on day t, after the day's deposits and dividends (undefined: none). */
  update(t: number, broker: Brokerage): ReadonlySet<string> | undefined {
    for (let k = 0; k < this.classes.length; k++) {
      const c = this.classes[k] as ClassFunds[number];
      const priced = this.pricedOn(c.symbols, t);
      if (priced && this.priced[k] === 0 && (this.targets.get(c.id) ?? 0) > 0) this.phasing.add(c.id);
      this.priced[k] = priced ? 1 : 0;
    }
    if (this.phasing.size === 0) return undefined;
    const values = new Map<string, number>();
    let total = broker.cash / 100;
    this.classes.forEach((c, k) => {
      if (this.priced[k] === 0) return;
      let v = 0;
      for (const i of c.symbols) {
        const close = (this.data.close[i] as Float64Array)[t] as number;
        if (!Number.isNaN(close)) v += ((broker.held.get(this.data.symbols[i] as Symbol) ?? 0) * close) / 1e6;
      }
      values.set(c.id, v);
      total += v;
    });
    const weights = dayTargets(this.targets, (id) => values.has(id), undefined, 'invest');
    for (const id of [...this.phasing]) {
      const w = weights.get(id);
      if (w === undefined) continue;
      if (total > 0 && (values.get(id) ?? 0) / total >= w - this.band) this.phasing.delete(id);
    }
    return this.phasing.size === 0 ? undefined : new Set(this.phasing);
  }
}

