/**
 * Honest calibration: the policy's market parameters may only come from data before the
 * out-of-sample period. The universe file measures each class's volatility over 2010-2024, which
 * would let a backtest of 2019-2024 peek at its own future; here it is re-measured from the
 * class's first fund with a total-return series (primary first) up to the day before the split.
 * Expected returns stay as the file gives them: they are published capital-market assumptions, not
 * fitted to these prices. Spreads are quoted figures, not fitted either.
 */
import { addDays, formatDay, type Day } from '../kernel/calendar.js';
import { annualizedVolatility, type PriceBook } from '../market/prices.js';
import type { AssetClass, Universe } from '../securities/universe.js';

export interface CalibrationRow {
  readonly assetClass: string;
  readonly symbol: string;
  readonly fileVolatility: number;
  readonly volatility: number;
  readonly from: Day;
  readonly through: Day;
}

export function calibrateVolatility(universe: Universe, book: PriceBook, split: Day): { universe: Universe; rows: CalibrationRow[] } {
  const through = addDays(split, -1);
  const rows: CalibrationRow[] = [];
  const classes = universe.classes.map((cls): AssetClass => {
    for (const s of cls.securities) {
      const series = book.series.get(s.symbol);
      const v = series === undefined ? undefined : annualizedVolatility(series, { through });
      if (v === undefined || v.returns < 250) continue;
      rows.push({ assetClass: cls.id, symbol: s.symbol, fileVolatility: cls.volatility.value, volatility: v.value, from: v.from, through: v.through });
      return { ...cls, volatility: { value: Number(v.value.toFixed(4)), source: `${s.symbol} adj_close daily log returns through ${formatDay(v.through)}, annualized (backtest calibration)` } };
    }
    return cls;
  });
  return { universe: { ...universe, classes, statisticsThrough: through }, rows };
}
