/** The `IndexSource` port over an index directory (indexDirectory.ts) and the ETF price directory holding the benchmark. */
import type { Result } from '../../core/kernel/errors.js';
import type { Symbol } from '../../core/ledger/household.js';
import type { PriceBook, PriceSeries } from '../../core/market/prices.js';
import type { IndexUniverse } from '../../core/direct/indexUniverse.js';
import type { IndexSource } from '../../app/ports.js';
import { loadIndexPrices, loadIndexUniverse } from './indexDirectory.js';
import { loadPriceBook } from './priceDirectory.js';

export function indexDirectorySource(indexDir: string, priceDir: string): IndexSource {
  return {
    universe(): Result<IndexUniverse> {
      const loaded = loadIndexUniverse(indexDir);
      return loaded.universe === undefined ? { ok: false, issues: loaded.issues } : { ok: true, value: loaded.universe };
    },
    prices(symbols: readonly Symbol[], benchmark: Symbol): Result<PriceBook> {
      const stocks = loadIndexPrices(indexDir, symbols);
      const bench = loadPriceBook(priceDir, { symbols: [benchmark] });
      const issues = [...stocks.issues, ...bench.issues];
      if (issues.length > 0) return { ok: false, issues };
      return { ok: true, value: { series: new Map<Symbol, PriceSeries>([...stocks.book.series, ...bench.book.series]), ambiguous: new Map() } };
    },
  };
}
