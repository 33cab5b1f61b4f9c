/**
 * Daily closes kept in the book (as traded: a lot and its day's close in the same share units), so
 * every worker of a daily run prices from the same data wherever it runs. `bookMarket` is the
 * `MarketSource` over them: each symbol's close on the trading day on or before the date (at most
 * a week back, as for price directories), never a later one, and the splits the closes show. As
 * for a price directory, the last trading day's closes stand for a weekend or holiday after it,
 * but not for a trading day whose closes the book does not have yet (NO_CLOSES).
 */
import { sql } from 'drizzle-orm';
import type { MarketDay, MarketSource } from '../../app/ports.js';
import type { PriceRecord, PriceStore } from '../../app/runPorts.js';
import { addDays, formatDay, type Day } from '../../core/kernel/calendar.js';
import { issue, type Result } from '../../core/kernel/errors.js';
import { DEFAULT_MAX_STALE_DAYS } from '../../core/market/prices.js';
import type { SplitRow } from '../../core/market/shareUnits.js';
import { standsFor, weekdayName } from '../../core/market/tradingCalendar.js';
import { symbol, type Symbol } from '../../core/ledger/household.js';
import type { Database, Db } from './database.js';
import { insertRows, type Executor } from './bulk.js';
import { dayOf, dayText, text } from './rows.js';

export function priceStore(database: Database): PriceStore {
  const db = database.db;
  return {
    async put(records: readonly PriceRecord[]) {
      for (let i = 0; i < records.length; i += 20_000) {
        const part = records.slice(i, i + 20_000);
        await db.transaction(async (tx) => {
          await (tx as unknown as Db).execute(sql`create temp table if not exists price_load (symbol text, date date, close numeric, dividend numeric, split numeric) on commit drop`);
          await insertRows(tx as unknown as Executor, 'price_load', {}, [
            { name: 'symbol', type: 'text', get: (r: PriceRecord) => r.symbol },
            { name: 'date', type: 'date', get: (r: PriceRecord) => dayText(r.date) },
            { name: 'close', type: 'numeric', get: (r: PriceRecord) => text('price', r.close) },
            { name: 'dividend', type: 'numeric', get: (r: PriceRecord) => text('price', r.dividend) },
            { name: 'split', type: 'numeric', get: (r: PriceRecord) => r.split },
          ], part);
          await (tx as unknown as Db).execute(sql`
            insert into prices (symbol, date, close, dividend, split)
            select symbol, date, close, dividend, split from price_load
            on conflict (symbol, date) do update set close = excluded.close, dividend = excluded.dividend, split = excluded.split`);
        });
      }
      return records.length;
    },
    async latestDate(onOrBefore?: Day) {
      const rows = (await db.execute(
        onOrBefore === undefined ? sql`select max(date)::text as d from prices` : sql`select max(date)::text as d from prices where date <= ${dayText(onOrBefore)}`,
      )) as unknown as { rows: { d: string | null }[] };
      const d = rows.rows[0]?.d ?? null;
      return d === null ? undefined : dayOf(d);
    },
  };
}

export function bookMarket(database: Database): MarketSource {
  const db = database.db;
  const days = new Map<Day, Promise<{ closes: Map<Symbol, number>; tradingDay: Day | undefined; continues: boolean; splits: Map<Symbol, SplitRow[]> }>>();
  const load = async (date: Day) => {
    const rows = (await db.execute(sql`
      select distinct on (symbol) symbol, date::text as date, close::text as close
      from prices where date between ${dayText(addDays(date, -DEFAULT_MAX_STALE_DAYS))} and ${dayText(date)}
      order by symbol, date desc`)) as unknown as { rows: { symbol: string; date: string; close: string }[] };
    const closes = new Map<Symbol, number>();
    let tradingDay: Day | undefined;
    for (const r of rows.rows) {
      const d = dayOf(r.date);
      if (tradingDay === undefined || d > tradingDay) tradingDay = d;
    }
    // Only closes of the trading day itself: a symbol that did not trade then has no close today.
    for (const r of rows.rows) if (dayOf(r.date) === tradingDay) closes.set(symbol(r.symbol), Number(r.close));
    const later = (await db.execute(sql`select exists (select 1 from prices where date > ${dayText(date)}) as later`)) as unknown as { rows: { later: boolean }[] };
    const splitRows = (await db.execute(sql`select symbol, date::text as date, split::text as split from prices where split <> 1 order by symbol, date`)) as unknown as {
      rows: { symbol: string; date: string; split: string }[];
    };
    const splits = new Map<Symbol, SplitRow[]>();
    for (const r of splitRows.rows) {
      const s = symbol(r.symbol);
      splits.set(s, [...(splits.get(s) ?? []), { day: dayOf(r.date), ratio: Number(r.split) }]);
    }
    return { closes, tradingDay, continues: later.rows[0]?.later === true, splits };
  };
  return {
    async marketOn(date: Day, symbols: readonly Symbol[]): Promise<Result<MarketDay>> {
      let found = days.get(date);
      if (found === undefined) days.set(date, (found = load(date)));
      const { closes, tradingDay, continues, splits } = await found;
      const named = (d: Day): string => `${weekdayName(d)} ${formatDay(d)}`;
      if (tradingDay === undefined) {
        return { ok: false, issues: [issue('NO_CLOSES', `the book has no closes for ${named(date)} or the week before: import them with "lotsmith prices import"`, { field: 'date' })] };
      }
      if (!standsFor(tradingDay, date, continues)) {
        return { ok: false, issues: [issue('NO_CLOSES', `the book has no closes for ${named(date)} (its latest are ${named(tradingDay)}'s): import them with "lotsmith prices import"`, { field: 'date' })] };
      }
      const held = new Map(symbols.map((s) => [s, splits.get(s) ?? []] as const));
      return { ok: true, value: { view: { date, close: (s) => closes.get(s) }, tradingDay, missing: symbols.filter((s) => !closes.has(s)), splits: held } };
    },
  };
}
