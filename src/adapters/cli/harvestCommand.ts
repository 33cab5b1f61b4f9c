/**
 * `lotsmith harvest --input HOUSEHOLD --prices DIR --date D`: the daily run for one household from a
 * case file. Parses the options, loads the case, and calls the `dailyHarvest` use case with the
 * price directory and the tax tables as its ports; prints the proposals.
 */
import type { Command } from 'commander';
import { dailyHarvest } from '../../app/dailyHarvest.js';
import { formatDay } from '../../core/kernel/calendar.js';
import { exact, type Usd } from '../../core/kernel/exact.js';
import { accountId, type AccountId } from '../../core/ledger/household.js';
import { loadCase } from '../files/caseFile.js';
import { decodeHarvestInputs } from '../files/harvestInput.js';
import { priceDirectoryMarket } from '../files/priceDirectoryMarket.js';
import { PACKAGE_ROOT, resolvePriceDir } from '../files/priceDirectory.js';
import { taxTableFiles } from '../files/taxTableFiles.js';
import { loadUniverse } from '../files/universeFile.js';
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
    .action(async (o: { input: string; prices?: string; date?: string; universe?: string; withdraw: string[]; format: string }) => {
      const format = formatOption(o.format, ['table', 'json'] as const, 'table');
      const date = dayOption('date', o.date) ?? io.today();
      const wanted = withdrawals(o.withdraw);
      const loaded = loadCase(o.input);
      if (!loaded.ok) return setExit(reportIssues(io, loaded.issues));
      const universe = loadUniverse(o.universe);
      if (!universe.ok) return setExit(reportIssues(io, universe.issues));
      const inputs = decodeHarvestInputs(loaded.value, universe.value);
      if (!inputs.ok) return setExit(reportIssues(io, inputs.issues));
      const dir = resolvePriceDir({ flag: o.prices, env: io.env, cwd: io.cwd, packageRoot: PACKAGE_ROOT });
      if (!dir.ok) {
        io.err(`lotsmith: ${dir.message}\n`);
        return setExit(1);
      }
      const result = await dailyHarvest(
        { market: priceDirectoryMarket(dir.dir), tax: taxTableFiles(), universe: universe.value },
        {
          household: loaded.value.household,
          events: loaded.value.events,
          setup: { profile: inputs.value.profile.profile, stateDeductible: inputs.value.profile.stateDeductible, targets: inputs.value.targets, config: inputs.value.config },
          date,
          withdrawals: wanted,
        },
      );
      if (!result.ok) {
        if (o.date === undefined && result.issues.some((i) => i.code === 'NO_CLOSES')) {
          io.err(`lotsmith: no --date was given, so the date is today (${formatDay(date)}); pass --date YYYY-MM-DD for a day the price data covers\n`);
        }
        return setExit(reportIssues(io, result.issues.map((i) => (i.at.file === undefined ? { ...i, at: { ...i.at, file: o.input } } : i))));
      }
      for (const note of result.value.notes) io.err(`lotsmith: note: ${note}\n`);
      io.out(format === 'json' ? harvestJson(result.value.proposals) : harvestTable(result.value.proposals));
    });
}
