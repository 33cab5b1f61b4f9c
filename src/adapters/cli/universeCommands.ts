/**
 * `lotsmith universe`: prints the asset classes, their primary and alternate ETFs, the risk-score
 * mapping and the result of checkUniverse; when prices are found it recomputes each pair's
 * monthly-return correlation and each class's volatility and shows them beside the file's values.
 *
 * Example: `lotsmith universe --through 2024-12-31` prints "VTI/SCHB  0.9997  0.9997  179" (file,
 * data, months). Exit 1 when the check finds problems or a price file is bad, 2 on bad flags.
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { formatDay, type Day } from '../../core/kernel/calendar.js';
import { describeIssue, type Issue } from '../../core/kernel/errors.js';
import { formatMonth, type PriceBook } from '../../core/market/prices.js';
import { checkUniverse, kindShare, lastSharedIndexDay, measureClass, type MeasuredClass, type MeasuredPair, type Universe, type UniverseSecurity } from '../../core/securities/universe.js';
import { DEFAULT_UNIVERSE_FILE, readUniverse, universeIssuesIn } from '../files/universeFile.js';
import { loadPriceBook, PACKAGE_ROOT, resolvePriceDir } from '../files/priceDirectory.js';
import { json, table } from '../render/text.js';
import { InputError, type CliIo } from './io.js';
import { dayOption, formatOption } from './options.js';

interface Prices {
  readonly dir: string;
  readonly book: PriceBook;
}

const ROLES = ['primary', 'secondary', 'tertiary'];
const pct = (v: number, digits = 2): string => `${(v * 100).toFixed(digits)} %`;
const corr = (v: number | undefined): string => (v === undefined ? '-' : v.toFixed(4));

export function registerUniverseCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('universe')
    .description('asset classes with primary and alternate ETFs, the risk-score mapping, and correlations recomputed from prices')
    .option('--file <file>', 'universe JSON file (default: data/universe.json shipped with Lotsmith)')
    .option('--prices <dir>', `price directory (default: $LOTSMITH_PRICES, then ../shared/data/prices)`)
    .option('--through <date>', 'last day of the statistics window (default: the file\'s statisticsThrough)')
    .option('-f, --format <format>', 'table | json', 'table')
    .action((o: { file?: string; prices?: string; through?: string; format: string }) => {
      const format = formatOption(o.format, ['table', 'json'] as const, 'table');
      const file = o.file ?? DEFAULT_UNIVERSE_FILE;
      const read = readUniverse(file);
      if (!read.ok) {
        printProblems(io, 'universe file', read.issues);
        return setExit(1);
      }
      const universe = read.value;
      const through = dayOption('through', o.through) ?? universe.statisticsThrough;
      const { prices, bad } = findPrices(io, universe, o.prices);
      const measured = universe.classes.map((c) => measureClass(c, prices?.book ?? { series: new Map(), ambiguous: new Map() }, through));
      const problems = universeIssuesIn(file, checkUniverse(universe));
      io.out(format === 'json' ? universeJson(file, prices, through, universe, measured, problems) : universeTable(file, prices, through, universe, measured));
      printProblems(io, 'bad price file', bad);
      printProblems(io, 'universe check', problems);
      if (bad.length > 0 || problems.length > 0) setExit(1);
    });
}

function printProblems(io: CliIo, what: string, issues: readonly Issue[]): void {
  if (issues.length === 0) return;
  for (const i of issues) io.err(`error: ${describeIssue(i)}\n`);
  io.err(`lotsmith: ${what}: ${issues.length} problem${issues.length === 1 ? '' : 's'}\n`);
}

/**
 * Prices are optional here: without them the file's own values are shown and a note says how to
 * supply them. Funds marked priceData: false may lack a file silently; others get a note.
 */
function findPrices(io: CliIo, universe: Universe, flag: string | undefined): { prices?: Prices; bad: readonly Issue[] } {
  const resolved = resolvePriceDir({ flag, env: io.env, cwd: io.cwd, packageRoot: PACKAGE_ROOT });
  if (!resolved.ok) {
    if (flag !== undefined) throw new InputError(`no price data.\n${resolved.message}`);
    io.err(`note: showing the file's statistics only.\n${resolved.message}\n`);
    return { bad: [] };
  }
  const expected = new Set(universe.classes.flatMap((c) => c.securities.filter((s) => s.priceData).map((s) => `${s.symbol}.csv`)));
  const symbols = universe.classes.flatMap((c) => c.securities.map((s) => s.symbol as string));
  const { book, issues } = loadPriceBook(resolved.dir, { symbols });
  const missing = (i: Issue): boolean => i.code === 'UNKNOWN_SECURITY';
  for (const i of issues.filter(missing)) if (expected.has(basename(i.at.file ?? ''))) io.err(`note: ${describeIssue(i)}\n`);
  return { prices: { dir: resolved.dir, book }, bad: issues.filter((i) => !missing(i)) };
}

function header(file: string, prices: Prices | undefined, through: Day): string {
  const source = prices === undefined ? 'no prices found: file values only' : `${prices.dir}, recomputed through ${formatDay(through)}`;
  return `Universe: ${file}\nPrices: ${source}\n`;
}

function coverage(security: UniverseSecurity, prices: Prices | undefined): string {
  const s = prices?.book.series.get(security.symbol);
  if (s === undefined) return prices === undefined ? '' : 'none';
  return `${s.source} from ${formatDay(s.days[0] as Day)}`;
}

function pairRow(p: MeasuredPair): string[] {
  const r = p.recorded;
  const m = p.measured;
  return [
    `${p.a}/${p.b}`,
    corr(r?.value),
    corr(m?.value),
    m === undefined ? String(r?.months ?? '-') : String(m.months),
    m === undefined ? (r ? `${r.from}..${r.to}` : '-') : `${formatMonth(m.firstMonth)}..${formatMonth(m.lastMonth)}`,
  ];
}

function classTable(m: MeasuredClass, prices: Prices | undefined): string {
  const c = m.cls;
  const vol = m.volatility === undefined ? '' : ` / ${pct(m.volatility.value)} (data)`;
  const lines = [`${c.name} [${c.id}, ${c.kind}]  expected return ${pct(c.expectedReturn.value)}  volatility ${pct(c.volatility.value)} (file)${vol}`];
  lines.push(
    table(
      ['Role', 'Symbol', 'Issuer', 'Index', 'ER', 'Half spread', 'Prices'],
      c.securities.map((s, i) => [ROLES[i] ?? `alternate ${i}`, s.symbol, s.issuer, s.index, pct(s.expenseRatioBps / 1e4), `${s.halfSpreadBps} bp`, coverage(s, prices)]),
    ),
  );
  lines.push(table(['Pair', 'Corr (file)', 'Corr (data)', 'Months', 'Period'], m.pairs.map(pairRow), 1));
  c.securities.forEach((a, i) =>
    c.securities.slice(i + 1).forEach((b) => {
      const until = lastSharedIndexDay(a, b);
      if (until !== undefined) lines.push(`  ${a.symbol} and ${b.symbol} tracked the same index through ${formatDay(until)}: not alternates before then.`);
    }),
  );
  return lines.join('\n');
}

function riskTable(u: Universe): string {
  return table(
    ['Risk', ...u.classes.map((c) => c.id), 'stocks'],
    u.riskScores.map((p) => [String(p.riskScore), ...u.classes.map((c) => pct(p.weights.get(c.id) ?? 0, 0)), pct(kindShare(u, p.weights, 'stocks'), 0)]),
    1,
  );
}

function universeTable(file: string, prices: Prices | undefined, through: Day, u: Universe, measured: readonly MeasuredClass[]): string {
  return [header(file, prices, through), ...measured.map((m) => classTable(m, prices) + '\n'), 'Risk score -> target weights (linear between points)', riskTable(u)].join('\n') + '\n';
}

function universeJson(file: string, prices: Prices | undefined, through: Day, u: Universe, measured: readonly MeasuredClass[], problems: readonly Issue[]): string {
  return json({
    file,
    prices: prices?.dir ?? null,
    through: formatDay(through),
    check: { ok: problems.length === 0, issues: problems.map(describeIssue) },
    classes: measured.map((m) => ({
      id: m.cls.id,
      name: m.cls.name,
      kind: m.cls.kind,
      expectedReturn: m.cls.expectedReturn,
      volatility: { file: m.cls.volatility.value, data: m.volatility?.value ?? null },
      securities: m.cls.securities.map((s) => ({
        ...s,
        formerIndexes: s.formerIndexes.map((f) => ({ index: f.index, until: formatDay(f.until) })),
        prices: m.sources.get(s.symbol) ?? null,
      })),
      correlations: m.pairs.map((p) => ({
        a: p.a,
        b: p.b,
        file: p.recorded?.value ?? null,
        data: p.measured?.value ?? null,
        months: p.measured?.months ?? p.recorded?.months ?? null,
        from: p.measured ? formatMonth(p.measured.firstMonth) : (p.recorded?.from ?? null),
        to: p.measured ? formatMonth(p.measured.lastMonth) : (p.recorded?.to ?? null),
      })),
    })),
    riskScores: u.riskScores.map((p) => ({ riskScore: p.riskScore, weights: Object.fromEntries(p.weights), stocks: kindShare(u, p.weights, 'stocks') })),
  });
}
