/**
 * `npm run bench [-- suite ...] [--quick]`: runs the benchmark suites and prints their figures.
 * Suites: ledger. Prices come from --prices, $LOTWISE_PRICES or ../shared/data/prices.
 */
import { loadPriceBook, PACKAGE_ROOT, resolvePriceDir } from '../adapters/prices/priceDirectory.js';
import { runLedgerBench } from './ledgerBench.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const flagAt = args.indexOf('--prices');
const suites = args.filter((a, i) => !a.startsWith('--') && (flagAt < 0 || i !== flagAt + 1));
const want = (s: string): boolean => suites.length === 0 || suites.includes(s);

const dir = resolvePriceDir({ flag: flagAt >= 0 ? args[flagAt + 1] : undefined, env: process.env, cwd: process.cwd(), packageRoot: PACKAGE_ROOT });
if (!dir.ok) {
  process.stderr.write(`${dir.message}\n`);
  process.exit(1);
}
const { book: prices, issues } = loadPriceBook(dir.dir);
if (issues.length > 0) process.stderr.write(`warning: ${issues.length} price file problems (first: ${issues[0]?.message})\n`);
process.stdout.write(`Lotwise benchmarks — Node ${process.version}, prices from ${dir.dir}\n`);

if (want('ledger')) runLedgerBench(prices, quick);
