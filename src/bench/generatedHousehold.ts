/**
 * A large household for benchmarks, traded on real prices: `accounts` accounts (a quarter of them
 * IRAs and Roths, a third the spouse's) contribute every week into a fund mix, reinvest every
 * dividend on its real ex-date at the real close, and trim one fund each month (partial FIFO
 * sells, many at a loss and washed by the next contribution). The trades are generated; every
 * price and dividend comes from the price directory. Output is the CSV case format.
 */
import type { Day } from '../core/kernel/calendar.js';
import { civilFromDay, formatDay } from '../core/kernel/calendar.js';
import type { PriceBook, PriceSeries } from '../core/market/prices.js';
import { prng } from '../core/kernel/random.js';

export interface HouseholdSpec {
  readonly accounts: number;
  readonly funds: readonly string[];
  readonly from: Day;
  readonly to: Day;
  /** Contributions per account per week (1 = weekly). */
  readonly contributionsPerWeek: number;
  readonly seed: number;
}

export interface GeneratedHousehold {
  readonly accountsCsv: string;
  readonly transactionsCsv: string;
  readonly events: number;
}

const ACCOUNT_TYPES = ['taxable', 'taxable', 'traditional_ira', 'taxable', 'roth_ira', 'taxable', 'taxable', '401k'] as const;

const price4 = (x: number): string => String(Math.round(x * 1e4) / 1e4);

export function generateHousehold(book: PriceBook, spec: HouseholdSpec): GeneratedHousehold {
  const rand = prng(spec.seed);
  const series = spec.funds.map((f) => {
    const s = book.series.get(f as never);
    if (s === undefined) throw new Error(`no prices for ${f}`);
    return s;
  });
  const calendar = tradingDays(series[0] as PriceSeries, spec.from, spec.to);
  const cursor = series.map(() => 0);
  const held = Array.from({ length: spec.accounts }, () => new Float64Array(spec.funds.length));
  const weights = Array.from({ length: spec.accounts }, () => spec.funds.map(() => 0.2 + rand()));
  const weekly = Array.from({ length: spec.accounts }, () => 200 + Math.floor(rand() * 1800));
  const accountsCsv = ['id,type,owner'];
  for (let a = 0; a < spec.accounts; a++) {
    accountsCsv.push(`a${a},${ACCOUNT_TYPES[a % ACCOUNT_TYPES.length]},${a % 3 === 2 ? 'spouse' : 'self'}`);
  }
  const rows: string[] = ['date,account,action,symbol,shares,price,fees,lot_method,lots,amount'];
  let lastMonth = -1;
  let week = -1;
  calendar.forEach((day, t) => {
    const date = formatDay(day);
    const closes = series.map((s, f) => {
      let i = cursor[f] as number;
      while (i + 1 < s.days.length && (s.days[i + 1] as number) <= day) i++;
      cursor[f] = i;
      return s.days[i] === day ? { close: s.close[i] as number, dividend: s.dividend[i] as number } : undefined;
    });
    const { month } = civilFromDay(day);
    const newWeek = Math.floor((day + 3) / 7);
    const contributionSlots = newWeek !== week ? spec.contributionsPerWeek : 0;
    week = newWeek;
    for (let a = 0; a < spec.accounts; a++) {
      const h = held[a] as Float64Array;
      for (let k = 0; k < contributionSlots; k++) {
        const w = weights[a] as number[];
        const total = w.reduce((s, x) => s + x, 0);
        rows.push(`${date},a${a},deposit,,,,,,,${weekly[a]}.00`);
        closes.forEach((c, f) => {
          if (c === undefined || !(c.close > 0)) return;
          const shares = Math.floor((((weekly[a] as number) * (w[f] as number)) / total / c.close) * 1e4) / 1e4;
          if (shares <= 0) return;
          rows.push(`${date},a${a},buy,${spec.funds[f]},${shares},${price4(c.close)},0,,,`);
          h[f] = (h[f] as number) + shares;
        });
      }
      closes.forEach((c, f) => {
        if (c === undefined || !(c.dividend > 0) || (h[f] as number) <= 0) return;
        const shares = Math.floor((((h[f] as number) * c.dividend) / c.close) * 1e4) / 1e4;
        if (shares <= 0) return;
        rows.push(`${date},a${a},dividend_reinvest,${spec.funds[f]},${shares},${price4(c.close)},0,,,`);
        h[f] = (h[f] as number) + shares;
      });
      if (month !== lastMonth && t > 0 && a % 4 === month % 4) {
        const f = (month + a) % spec.funds.length;
        const c = closes[f];
        const shares = Math.floor((h[f] as number) * 0.03 * 1e4) / 1e4;
        if (c !== undefined && c.close > 0 && shares > 0) {
          rows.push(`${date},a${a},sell,${spec.funds[f]},${shares},${price4(c.close)},0,,,`);
          h[f] = Math.round(((h[f] as number) - shares) * 1e4) / 1e4;
        }
      }
    }
    lastMonth = month;
  });
  return { accountsCsv: accountsCsv.join('\n') + '\n', transactionsCsv: rows.join('\n') + '\n', events: rows.length - 1 };
}

/**
 * The same household as a JSON case file, as a user writes one: an id per event, decimal strings,
 * camelCase keys, one event per line.
 */
export function toCaseJson(g: GeneratedHousehold): string {
  const accounts = g.accountsCsv.trim().split('\n').slice(1).map((line) => {
    const [id, type, owner] = line.split(',');
    return JSON.stringify({ id, type, owner });
  });
  const lines = g.transactionsCsv.trim().split('\n');
  const header = (lines[0] as string).split(',').map((h) => h.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()));
  const events = lines.slice(1).map((line, i) => {
    const event: Record<string, string> = { id: `e${i + 1}` };
    line.split(',').forEach((cell, k) => {
      if (cell !== '') event[header[k] as string] = cell;
    });
    return JSON.stringify(event);
  });
  return `{"accounts": [\n${accounts.join(',\n')}\n],\n"events": [\n${events.join(',\n')}\n]}\n`;
}

function tradingDays(s: PriceSeries, from: Day, to: Day): Day[] {
  const out: Day[] = [];
  for (let i = 0; i < s.days.length; i++) {
    const d = s.days[i] as Day;
    if (d >= from && d <= to && Number.isFinite(s.close[i])) out.push(d);
  }
  return out;
}
