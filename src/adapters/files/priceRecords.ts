/**
 * A price directory's rows as the book keeps closes (`PriceRecord`): each day's close and dividend
 * in that day's own share units (as traded), and the split that day. What `npm start` and the HTTP
 * tests put in the book before running the day.
 */
import type { PriceRecord } from '../../app/runPorts.js';
import type { Day } from '../../core/kernel/calendar.js';
import { exact } from '../../core/kernel/exact.js';
import type { PriceBook } from '../../core/market/prices.js';
import { asTraded } from '../../core/market/shareUnits.js';

export function priceRecords(book: PriceBook, from: Day, to?: Day): PriceRecord[] {
  const out: PriceRecord[] = [];
  for (const s of book.series.values()) {
    const traded = asTraded(s.close, s.dividend, s.split);
    for (let i = 0; i < s.days.length; i++) {
      const day = s.days[i] as Day;
      if (day < from || (to !== undefined && day > to)) continue;
      const c = traded.close[i] as number;
      if (!Number.isFinite(c) || c <= 0) continue;
      const close = exact('price', Math.round(c * 1e6) / 1e6);
      const d = traded.dividend[i] as number;
      const dividend = exact('price', Number.isFinite(d) ? Math.round(d * 1e6) / 1e6 : 0);
      if (!close.ok || !dividend.ok) continue;
      const split = s.split[i] as number;
      out.push({ symbol: s.symbol, date: day, close: close.value, dividend: dividend.value, split: Number.isFinite(split) && split > 0 ? String(split) : '1' });
    }
  }
  return out;
}
