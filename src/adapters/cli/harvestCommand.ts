/**
 * `lotsmith harvest --input HOUSEHOLD --prices DIR --date D`: the daily run. Books the household
 * through D, prices it at D's closes (never later ones), and prints what the policy proposes:
 * orders, and for every lot at a loss in a taxable account the verdict with its numbers.
 */
import type { Command } from 'commander';
import { book } from '../../core/ledger/booking.js';
import type { Usd } from '../../core/kernel/exact.js';
import { decide } from '../../core/harvest/policy.js';
import { householdState } from '../../core/harvest/state.js';
import { accountId, type AccountId } from '../../core/ledger/household.js';
import { marketOn } from '../../core/market/prices.js';
import { marginalRates } from '../../core/tax/marginalRates.js';
import { yearOf } from '../../core/kernel/calendar.js';
import { exact } from '../../core/kernel/exact.js';
import { loadCase } from '../files/caseFile.js';
import { decodeHarvestInputs } from '../files/harvestInput.js';
import { loadFederalTable, loadStateTable, DEFAULT_TAX_YEAR } from '../files/taxInput.js';
import { loadUniverse } from '../files/universeFile.js';
import { loadPriceBook, PACKAGE_ROOT, resolvePriceDir } from '../files/priceDirectory.js';
import { harvestJson, harvestTable } from '../render/harvest.js';
import { reportIssues } from './caseCommands.js';
import { UsageError, type CliIo } from './io.js';
import { collect, dayOption, formatOption } from './options.js';

function withdrawals(items: readonly string[]): Map<AccountId, Usd> {
  const out = new Map<AccountId, Usd>();
  for (const item of items) {
    const m = /^([^=]+)=(.+)$/.exec(item);
    const r = m ? exact('usd', (m[2] as string).trim()) : undefined;
    if (!m || !r || !r.ok || r.value <= 0) throw new UsageError(`--withdraw: "${item}" is not ACCOUNT=AMOUNT`);
    out.set(accountId((m[1] as string).trim()), r.value);
  }
  return out;
}

export function registerHarvestCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('harvest')
    .description("the daily harvester: a household's proposed orders for a date, every loss's verdict and why")
    .requiredOption('-i, --input <file>', 'household case with taxProfile, targets and optional harvest settings')
    .option('--prices <dir>', 'price directory (default: $LOTSMITH_PRICES or ../shared/data/prices)')
    .option('-d, --date <date>', 'decision date, YYYY-MM-DD (default: today)')
    .option('--universe <file>', 'universe file (default: data/universe.json)')
    .option('--withdraw <ACCOUNT=AMOUNT>', 'cash to raise today; repeat per account', collect, [])
    .option('-f, --format <format>', 'table | json', 'table')
    .action((o: { input: string; prices?: string; date?: string; universe?: string; withdraw: string[]; format: string }) => {
      const format = formatOption(o.format, ['table', 'json'] as const, 'table');
      const date = dayOption('date', o.date) ?? io.today();
      const wanted = withdrawals(o.withdraw);
      const loaded = loadCase(o.input);
      if (!loaded.ok) return setExit(reportIssues(io, loaded.issues));
      const universe = loadUniverse(o.universe);
      if (!universe.ok) return setExit(reportIssues(io, universe.issues));
      const inputs = decodeHarvestInputs(loaded.value, universe.value);
      if (!inputs.ok) return setExit(reportIssues(io, inputs.issues));
      const unknown = [...wanted.keys()].filter((a) => !loaded.value.household.accounts.some((x) => x.id === a));
      if (unknown.length > 0) throw new UsageError(`--withdraw: unknown account ${unknown.join(', ')}`);
      const ledger = book(loaded.value.household, loaded.value.events, { through: date });
      if (!ledger.ok) return setExit(reportIssues(io, ledger.issues));
      const year = yearOf(date);
      const federal = loadFederalTable(year).ok ? loadFederalTable(year) : loadFederalTable(DEFAULT_TAX_YEAR);
      const states = loadStateTable(year).ok ? loadStateTable(year) : loadStateTable(DEFAULT_TAX_YEAR);
      if (!federal.ok) return setExit(reportIssues(io, federal.issues));
      if (!states.ok) return setExit(reportIssues(io, states.issues));
      const rates = marginalRates(federal.value, states.value, inputs.value.profile.profile, { stateDeductible: inputs.value.profile.stateDeductible });
      if (!rates.ok) return setExit(reportIssues(io, rates.issues));
      const dir = resolvePriceDir({ flag: o.prices, env: io.env, cwd: io.cwd, packageRoot: PACKAGE_ROOT });
      if (!dir.ok) {
        io.err(`lotsmith: ${dir.message}\n`);
        return setExit(1);
      }
      const held = new Set(ledger.value.openLots.map((l) => l.symbol as string));
      const symbols = [...new Set([...held, ...universe.value.classes.flatMap((c) => c.securities.filter((s) => s.priceData).map((s) => s.symbol as string))])];
      const prices = loadPriceBook(dir.dir, { symbols });
      const problems = prices.issues.filter((i) => [...held].some((s) => (i.at.file ?? '').endsWith(`/${s}.csv`)));
      if (problems.length > 0) return setExit(reportIssues(io, problems));
      const state = householdState({
        date,
        events: loaded.value.events,
        ledger: ledger.value,
        targets: inputs.value.targets,
        withdrawals: wanted,
        tax: { table: federal.value, profile: inputs.value.profile.profile, rates: rates.value },
      });
      const proposals = decide(date, state, marketOn(prices.book, date), { universe: universe.value, config: inputs.value.config });
      io.out(format === 'json' ? harvestJson(proposals) : harvestTable(proposals));
    });
}
