/**
 * The direct-index backtest's report directory: summary.md (readable), strategies.csv,
 * vintages.csv, accounts.csv, harvests.csv (what each direct harvest did to tracking error) and
 * results.json; and the summary printed by `lotsmith direct backtest`. The published anchors are
 * quoted with their sources so the reader can compare like with like (docs/direct-indexing.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDay } from '../../core/kernel/calendar.js';
import type { DirectAccountResult, DirectBacktestResults, StrategySummary } from '../../core/direct/directBacktest.js';
import { csv, json, table } from './text.js';

export interface RunFacts {
  readonly config: string;
  readonly indexDir: string;
  readonly pricesDir: string;
  readonly names: number | undefined;
  readonly seconds: { readonly setup: number; readonly run: number };
}

/** Published figures the run is compared with (sources in docs/direct-indexing.md). */
export const ANCHORS: readonly { readonly source: string; readonly claim: string; readonly url: string }[] = [
  {
    source: 'Chaudhuri, Burnham & Lo (2020), "An Empirical Evaluation of Tax-Loss-Harvesting Alpha", Financial Analysts Journal 76(3)',
    claim: 'direct-indexed S&P 500 (simulated, 1926-2018): tax alpha about 1.08 %/yr; 0.82 %/yr with wash-sale constraints',
    url: 'https://doi.org/10.1080/0015198X.2020.1760064',
  },
  {
    source: "Wealthfront, Tax-Optimized Direct Indexing (stock-level TLH) and its white paper",
    claim: 'stock-level plus daily ETF harvesting: at least 2.03 %/yr hypothetical after-tax benefit (2000-2014 study, risk score 7, $500k initial and $50k quarterly deposits)',
    url: 'https://www.wealthfront.com/tax-optimized-direct-indexing',
  },
  {
    source: 'Aperio Group, Active Tax Management overview',
    claim: 'modeled after-tax excess return of 1.03 %-2.40 %/yr over 10 years versus a comparable index fund or ETF, before fees (older page: 0.80 %-1.75 %)',
    url: 'https://www.aperiogroup.com/strategies-products/active-tax-management/overview-benefits',
  },
];

const pct = (x: number, digits = 2): string => `${(x * 100).toFixed(digits)} %`;
const r6 = (x: number): number => Number(x.toFixed(6));

function strategyRows(s: readonly StrategySummary[]): (string | number)[][] {
  return s.map((x) => [
    x.id,
    x.baseline ?? '-',
    x.accounts,
    pct(x.harvestingYield),
    pct(x.afterTaxAlpha),
    pct(x.afterTaxAlphaKept),
    pct(x.economicValue),
    pct(x.economicValueKept),
    pct(x.taxSavedPerYear),
    pct(x.lossValuePerYear),
    pct(x.trackingError),
    pct(x.activeReturn),
    pct(x.turnover, 1),
    x.lots.toFixed(0),
    `${x.washSales} (${x.verified} verified)`,
  ]);
}

const HEAD = ['strategy', 'against', 'accounts', 'harvesting yield', 'after-tax alpha (liq.)', 'alpha (kept)', 'econ. value (liq.)', 'econ. value (kept)', 'tax saved / yr', 'loss value / yr (full use)', 'realized TE vs benchmark', 'active return vs benchmark', 'turnover / yr', 'lots at end', 'wash sales'];

/** What the accounts hold: the direct index alone, or a mixed allocation the comparator holds with a fund for the index. */
function comparatorText(r: DirectBacktestResults): string {
  if (r.allocation === undefined) return `ETF comparator 100 % ${r.etfFunds.join(' / ')}`;
  const mix = Object.entries(r.allocation.targets)
    .map(([id, w]) => `${id} ${pct(w)}`)
    .join(', ');
  return `every account ${mix} in one account; ETF comparator the same with ${r.allocation.etfClass} for the direct index (${r.etfFunds.join(' / ')})`;
}

export function directSummaryText(r: DirectBacktestResults, facts: RunFacts): string {
  const ids = r.strategies.map((s) => s.id);
  const h = r.harvestRisk;
  const lines = [
    `Direct-index backtest ${formatDay(r.from)} .. ${formatDay(r.to)}: ${r.accounts} accounts, ${r.stocks} stocks with prices in ${facts.indexDir}, ${facts.names === undefined ? 'every candidate' : `${facts.names} names`} per account, benchmark ${r.benchmark} (total return); ${comparatorText(r)}.`,
    `${r.accountDays} account-days in ${facts.seconds.run.toFixed(0)} s (${(r.accountDays / Math.max(facts.seconds.run, 1e-9)).toFixed(0)} account-days/s; setup ${facts.seconds.setup.toFixed(0)} s); the direct loop ran decide on ${r.directDecideDays} of its ${r.directDays} account-days; ${r.models.periods} risk-model periods (ideal portfolio ex-ante TE ${pct(r.models.idealTrackingError)}, ${r.models.names.toFixed(0)} names); ${r.delisted} holdings sold when their prices stopped.`,
    '',
    table(HEAD, strategyRows(r.strategies), 2),
    '',
    `Direct harvests: ${h.harvestDays} harvest days, ${h.stocksSold} stocks sold; ex-ante TE ${pct(h.meanBefore)} before and ${pct(h.meanAfter)} after on average (max ${pct(h.maxAfter)}; budget ${pct(h.budget)} or the TE before when above it): ${h.beyondBudget} beyond the budget.`,
    '',
    'Harvesting Yield and after-tax alpha (liquidated) by vintage:',
    table(['vintage', 'accounts', ...ids.map((id) => `yield ${id}`), ...ids.filter((_, k) => k % 2 === 1).map((id) => `alpha ${id}`)], r.vintages.map((v) => [v.vintage, v.accounts, ...ids.map((id) => pct(v.yields[id] ?? 0)), ...ids.filter((_, k) => k % 2 === 1).map((id) => pct(v.afterTaxAlpha[id] ?? 0))]), 1),
    '',
    'Published anchors (not like for like: see docs/direct-indexing.md):',
    ...ANCHORS.map((a) => `- ${a.source}: ${a.claim} (${a.url})`),
  ];
  const mismatches = r.strategies.flatMap((s) => s.mismatches.map((m) => `${s.id}: ${m}`));
  if (mismatches.length > 0) lines.push('', 'Ledger mismatches:', ...mismatches);
  return lines.join('\n') + '\n';
}

export function writeDirectReport(dir: string, r: DirectBacktestResults, accounts: readonly DirectAccountResult[], facts: RunFacts): void {
  mkdirSync(dir, { recursive: true });
  const text = directSummaryText(r, facts);
  writeFileSync(join(dir, 'summary.md'), `# Direct-index backtest\n\nConfig: ${facts.config}\n\n\`\`\`text\n${text}\`\`\`\n`);
  writeFileSync(
    join(dir, 'strategies.csv'),
    csv(
      ['strategy', 'family', 'baseline', 'accounts', 'harvesting_yield', 'harvested_per_year', 'after_tax_alpha', 'after_tax_alpha_kept', 'economic_value', 'economic_value_kept', 'tax_saved_per_year', 'loss_value_per_year', 'tracking_error', 'active_return', 'turnover', 'lots', 'trades', 'verified', 'wash_sales', 'disallowed'],
      r.strategies.map((s) => [s.id, s.family, s.baseline ?? '', s.accounts, r6(s.harvestingYield), r6(s.harvestedPerYear), r6(s.afterTaxAlpha), r6(s.afterTaxAlphaKept), r6(s.economicValue), r6(s.economicValueKept), r6(s.taxSavedPerYear), r6(s.lossValuePerYear), r6(s.trackingError), r6(s.activeReturn), r6(s.turnover), r6(s.lots), s.trades, s.verified, s.washSales, s.disallowed]),
    ),
  );
  const ids = r.strategies.map((s) => s.id);
  writeFileSync(
    join(dir, 'vintages.csv'),
    csv(
      ['vintage', 'accounts', ...ids.map((id) => `yield_${id}`), ...ids.map((id) => `alpha_${id}`), ...ids.map((id) => `economic_value_${id}`)],
      r.vintages.map((v) => [v.vintage, v.accounts, ...ids.map((id) => r6(v.yields[id] ?? 0)), ...ids.map((id) => r6(v.afterTaxAlpha[id] ?? 0)), ...ids.map((id) => r6(v.economicValue[id] ?? 0))]),
    ),
  );
  writeFileSync(
    join(dir, 'accounts.csv'),
    csv(
      ['account', 'vintage', 'profile', 'strategy', 'final_value', 'harvested', 'tax', 'liquidation_tax', 'trades', 'decisions', 'tracking_error', 'active_return', 'turnover', 'lots', 'wash_sales'],
      accounts.flatMap((a) => {
        const runs = [...a.direct, ...a.etf.runs];
        return runs.map((run, k) => {
          const m = a.measures[k];
          const sum = (f: (y: (typeof run.years)[number]) => number): number => run.years.reduce((s, y) => s + f(y), 0) / 100;
          return [a.spec.id, a.spec.vintage, a.spec.profile, run.strategy, Math.round(run.finalValue * 100) / 100, sum((y) => y.harvestedShort + y.harvestedLong), sum((y) => y.tax), run.liquidationTax / 100, run.trades, run.decisions, r6(m?.trackingError ?? 0), r6(m?.activeReturn ?? 0), r6(m?.turnover ?? 0), m?.lots ?? 0, run.verification?.washSales ?? 0];
        });
      }),
    ),
  );
  writeFileSync(
    join(dir, 'harvests.csv'),
    csv(
      ['date', 'account', 'stocks', 'loss', 'te_before', 'te_after_sales', 'te_after', 'budget'],
      r.reports.map((h) => [formatDay(h.date), h.account, h.sold.length, h.sold.reduce((s, x) => s + x.loss, 0) / 100, r6(h.trackingError.before), r6(h.trackingError.afterSales), r6(h.trackingError.after), h.budget]),
    ),
  );
  const { reports: _reports, metrics: _metrics, ...rest } = r;
  writeFileSync(join(dir, 'results.json'), json({ ...rest, anchors: ANCHORS, run: facts }));
}
