/**
 * The book's commands: `lotsmith import` (case files and broker exports into a household),
 * `lotsmith households` (what the book holds) and `lotsmith book verify` (the kept booked state
 * against a full re-booking). Each parses, calls one use case and renders.
 */
import type { Command } from 'commander';
import { householdEvents, verifyBook } from '../../app/bookHousehold.js';
import { importFiles } from '../../app/importFiles.js';
import { householdId, type HouseholdSummary, type NewHousehold } from '../../app/ports.js';
import { formatDay } from '../../core/kernel/calendar.js';
import { ACCOUNT_TYPES, accountId, DEFAULT_SETTINGS, type AccountType } from '../../core/ledger/household.js';
import { FILE_FORMATS } from '../brokers/formats.js';
import { readImportSources } from '../files/importSources.js';
import { renderBeancount } from '../render/beancount.js';
import { discrepancyText, importJson, importText } from '../render/imports.js';
import { table } from '../render/text.js';
import { reportIssues } from './caseCommands.js';
import { UsageError, type CliIo } from './io.js';
import { formatOption } from './options.js';
import { addStoreOptions, withBook, type StoreFlags } from './storeOptions.js';

interface ImportFlags extends StoreFlags {
  readonly household: string;
  readonly account?: string;
  readonly accountType?: string;
  readonly name?: string;
  readonly rebook?: boolean;
  readonly format: string;
}

export function registerBookCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  addStoreOptions(
    program
      .command('import')
      .description('import case files and broker exports into a household of the book (atomic and idempotent)')
      .argument('<files...>', 'case JSON, case directory or transactions.csv, or a broker export')
      .requiredOption('--household <id>', 'household to import into (created when missing)')
      .option('--account <id>', 'book every event of a single-account file into this account (created when missing)')
      .option('--account-type <type>', `type of accounts the import creates when the file does not say (${ACCOUNT_TYPES.join(', ')})`)
      .option('--name <name>', 'name of the household when the import creates it')
      .option('--rebook', 'allow events dated before the last booked day (rebooks the household)')
      .option('-f, --format <format>', 'table | json', 'table'),
  ).action(async (files: string[], o: ImportFlags) => {
    const fmt = formatOption(o.format, ['table', 'json'] as const, 'table');
    if (o.accountType !== undefined && !(ACCOUNT_TYPES as readonly string[]).includes(o.accountType)) {
      throw new UsageError(`--account-type: "${o.accountType}" is not one of ${ACCOUNT_TYPES.join(', ')}`);
    }
    const read = readImportSources(files, FILE_FORMATS, o.name ?? o.household);
    if (!read.ok) return setExit(reportIssues(io, read.issues));
    const create: NewHousehold = read.value.caseHousehold ?? { name: o.name ?? o.household, settings: DEFAULT_SETTINGS, documents: {} };
    setExit(
      await withBook(io, o, async (store, tenant) => {
        const result = await importFiles(store, {
          tenant,
          household: householdId(o.household),
          sources: read.value.sources,
          create: o.name !== undefined ? { ...create, name: o.name } : create,
          ...(o.account !== undefined ? { account: accountId(o.account) } : {}),
          ...(o.accountType !== undefined ? { accountType: o.accountType as AccountType } : {}),
          ...(o.rebook === true ? { allowBackdated: true } : {}),
        });
        if (!result.ok) return reportIssues(io, result.issues);
        for (const d of result.value.discrepancies) io.err(`warning: ${discrepancyText(d)}\n`);
        io.out(fmt === 'json' ? importJson(result.value) : importText(result.value));
        return 0;
      }),
    );
  });

  addStoreOptions(
    program
      .command('households')
      .description('the households of the book, with their accounts and events')
      .option('-f, --format <format>', 'table | json', 'table'),
  ).action(async (o: StoreFlags & { format: string }) => {
    const fmt = formatOption(o.format, ['table', 'json'] as const, 'table');
    setExit(
      await withBook(io, o, async (store, tenant) => {
        const all: HouseholdSummary[] = [];
        let after: string | undefined;
        for (;;) {
          const page = await store.tenant(tenant).listHouseholds({ ...(after !== undefined ? { after } : {}), limit: 500 });
          all.push(...page.items);
          if (page.next === undefined) break;
          after = page.next;
        }
        if (fmt === 'json') {
          io.out(`${JSON.stringify(all.map((h) => ({ ...h, lastEventDate: h.lastEventDate === undefined ? null : formatDay(h.lastEventDate) })), null, 2)}\n`);
          return 0;
        }
        io.out(
          `${table(
            ['household', 'name', 'filing status', 'accounts', 'events', 'last event'],
            all.map((h) => [h.id, h.name, h.filingStatus, String(h.accounts), String(h.eventCount), h.lastEventDate === undefined ? '' : formatDay(h.lastEventDate)]),
          )}\n`,
        );
        return 0;
      }),
    );
  });

  addStoreOptions(
    program
      .command('export')
      .description("a household of the book as a beancount ledger (lots with cost and date; wash sales as metadata)")
      .requiredOption('--household <id>', 'household to export')
      .option('-f, --format <format>', 'beancount', 'beancount'),
  ).action(async (o: StoreFlags & { household: string; format: string }) => {
    formatOption(o.format, ['beancount'] as const, 'beancount');
    setExit(
      await withBook(io, o, async (store, tenant) => {
        const found = await householdEvents(store, tenant, householdId(o.household));
        if (!found.ok) return reportIssues(io, found.issues);
        const text = renderBeancount(found.value.stored.household, found.value.events);
        if (!text.ok) return reportIssues(io, text.issues);
        io.out(text.value);
        return 0;
      }),
    );
  });

  const bookCmd = program.command('book').description('checks of the book');
  addStoreOptions(bookCmd.command('verify').description("re-book every household from its events and compare with the book's kept lots, sales and cash")).action(
    async (o: StoreFlags) => {
      setExit(
        await withBook(io, o, async (store, tenant) => {
          const outcomes = await verifyBook(store, tenant);
          const bad = outcomes.filter((x) => x.differences.length > 0);
          for (const x of bad) for (const d of x.differences) io.err(`error: household ${x.household}: ${d}\n`);
          io.out(`${outcomes.length} household${outcomes.length === 1 ? '' : 's'} verified: ${outcomes.length - bad.length} match a full re-booking, ${bad.length} differ\n`);
          return bad.length > 0 ? 1 : 0;
        }),
      );
    },
  );
}
