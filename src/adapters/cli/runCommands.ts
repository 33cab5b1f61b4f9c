/**
 * The daily run's commands: `run` (a date over the whole book), `worker` (take batch jobs from
 * the queue), `runs` (what ran), `prices import` (closes into the book), `withdraw`, and the
 * proposals' life: `proposals list|approve|reject`, `orders export`, `fills import`. Each parses,
 * calls one use case and renders.
 */
import type { Command } from 'commander';
import { requestDailyRun, type DailyRunDeps } from '../../app/dailyRun.js';
import { householdId } from '../../app/ports.js';
import { approveProposal, exportOrders, importFills, rejectProposal } from '../../app/proposals.js';
import type { ProposalStatus, RunRecord } from '../../app/runPorts.js';
import { formatDay, type Day } from '../../core/kernel/calendar.js';
import { exact } from '../../core/kernel/exact.js';
import { accountId } from '../../core/ledger/household.js';
import { setupDecoder } from '../files/setupDecoder.js';
import { readDayPrices, readFills } from '../files/runFiles.js';
import { taxTableFiles } from '../files/taxTableFiles.js';
import { loadUniverse } from '../files/universeFile.js';
import { bossQueue, inProcessQueue, startBoss, workBatches } from '../jobs/batchQueue.js';
import { ordersCsv, proposalsJson, proposalsTable, runJson, runText } from '../render/runs.js';
import { bookStore } from '../store/bookStore.js';
import type { Database } from '../store/database.js';
import { bookMarket, priceStore } from '../store/priceStore.js';
import { runStore } from '../store/runStore.js';
import { reportIssues } from './caseCommands.js';
import { UsageError, type CliIo } from './io.js';
import { dayOption, formatOption } from './options.js';
import { addStoreOptions, withDatabase, type StoreFlags } from './storeOptions.js';

const PROPOSAL_STATUSES: readonly ProposalStatus[] = ['proposed', 'approved', 'rejected', 'expired', 'superseded', 'sent', 'partially_filled', 'filled', 'cancelled'];

function runDeps(database: Database): DailyRunDeps {
  const universe = loadUniverse();
  if (!universe.ok) throw new UsageError(`the universe file does not load: ${universe.issues.map((i) => i.message).join('; ')}`);
  return { runs: runStore(database), market: bookMarket(database), tax: taxTableFiles(), universe: universe.value, setups: setupDecoder };
}

const positive = (name: string, text: string | undefined, fallback: number): number => {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name}: "${text}" is not a positive whole number`);
  return n;
};

export function registerRunCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  addStoreOptions(
    program
      .command('run')
      .description('the daily harvest over every household of the book for a date: proposals to approve')
      .option('-d, --date <date>', 'run date, YYYY-MM-DD (default: today)')
      .option('--closes <file>', "the date's closes (symbol,close[,dividend,split]) to store in the book first")
      .option('--replace', 'run the date again: a new generation supersedes the proposals not yet approved')
      .option('--batch-size <n>', 'households per job', '500')
      .option('--workers <n>', 'jobs this process works at once (PostgreSQL; two overlap one job\'s reads with the other\'s decisions)', '2')
      .option('--no-work', 'only queue the jobs (PostgreSQL): `lotsmith worker` processes take them')
      .option('--job-timeout <seconds>', 'a job active this long is presumed dead and retried (PostgreSQL)', '300')
      .option('-f, --format <format>', 'table | json', 'table'),
  ).action(async (o: StoreFlags & { date?: string; closes?: string; replace?: boolean; batchSize: string; workers: string; work: boolean; jobTimeout: string; format: string }) => {
    const fmt = formatOption(o.format, ['table', 'json'] as const, 'table');
    const date = dayOption('date', o.date) ?? io.today();
    const batchSize = positive('batch-size', o.batchSize, 500);
    const workers = positive('workers', o.workers, 2);
    const jobTimeoutSeconds = positive('job-timeout', o.jobTimeout, 300);
    const closes = o.closes === undefined ? undefined : readDayPrices(o.closes, date);
    if (closes !== undefined && !closes.ok) return setExit(reportIssues(io, closes.issues));
    setExit(
      await withDatabase(io, o, async (database, tenant) => {
        if (closes?.ok) await priceStore(database).put(closes.value);
        const deps = runDeps(database);
        const boss = database.url === undefined ? undefined : await startBoss(database.url, { jobTimeoutSeconds });
        try {
          const queue = boss === undefined ? inProcessQueue(deps) : bossQueue(boss, { jobTimeoutSeconds });
          const started = await requestDailyRun({ ...deps, queue }, { tenant, date, replace: o.replace === true, batchSize });
          if (!started.ok) return reportIssues(io, started.issues);
          let run = started.value.run;
          if (!started.value.created && run.status === 'done') io.err(`lotsmith: the run of ${formatDay(date)} was done already (${run.id}); --replace runs it again\n`);
          if (boss !== undefined && run.status !== 'done') {
            const worker = o.work ? await workBatches(boss, deps, workers) : undefined;
            if (worker === undefined) io.err(`lotsmith: ${run.batches} jobs queued; waiting for \`lotsmith worker\` processes to take them\n`);
            run = await waitForRun(deps, tenant, run);
            await worker?.stop();
          }
          const notes = await deps.runs.tenant(tenant).notes(run.id);
          io.out(fmt === 'json' ? runJson(run, notes) : runText(run, notes));
          return 0;
        } finally {
          await boss?.stop({ graceful: true, timeout: 10_000 });
        }
      }),
    );
  });

  addStoreOptions(
    program
      .command('worker')
      .description('take daily-run jobs from the PostgreSQL queue until stopped (SIGINT/SIGTERM)')
      .option('--concurrency <n>', 'jobs at once', '1')
      .option('--job-timeout <seconds>', 'a job active this long is presumed dead and retried', '300')
      .option('--maintenance <seconds>', 'how often the queue looks for dead jobs to retry', '30'),
  ).action(async (o: StoreFlags & { concurrency: string; jobTimeout: string; maintenance: string }) => {
    const concurrency = positive('concurrency', o.concurrency, 1);
    const jobTimeoutSeconds = positive('job-timeout', o.jobTimeout, 300);
    const maintenanceSeconds = positive('maintenance', o.maintenance, 30);
    setExit(
      await withDatabase(io, o, async (database) => {
        if (database.url === undefined) throw new UsageError('a worker needs a PostgreSQL book (--db URL or $DATABASE_URL); on the embedded store `lotsmith run` does the work itself');
        const boss = await startBoss(database.url, { jobTimeoutSeconds, maintenanceSeconds });
        const worker = await workBatches(boss, runDeps(database), concurrency);
        io.err(`lotsmith: worker ready (${concurrency} at a time); stop it with Ctrl-C\n`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await worker.stop();
        await boss.stop({ graceful: true, timeout: 30_000 });
        return 0;
      }),
    );
  });

  addStoreOptions(program.command('runs').description('the daily runs of the book, latest first').option('-f, --format <format>', 'table | json', 'table')).action(
    async (o: StoreFlags & { format: string }) => {
      const fmt = formatOption(o.format, ['table', 'json'] as const, 'table');
      setExit(
        await withDatabase(io, o, async (database, tenant) => {
          const page = await runStore(database).tenant(tenant).runs({ limit: 50 });
          io.out(fmt === 'json' ? `${JSON.stringify(page.items.map((r) => JSON.parse(runJson(r, []))), null, 2)}\n` : page.items.map((r) => runText(r, [])).join('\n'));
          return 0;
        }),
      );
    },
  );

  const prices = program.command('prices').description("the book's daily closes");
  addStoreOptions(
    prices
      .command('import')
      .description("store a day's closes (symbol,close[,dividend,split], as traded that day) in the book")
      .argument('<file>', 'CSV of closes')
      .requiredOption('-d, --date <date>', 'the date of the closes'),
  ).action(async (file: string, o: StoreFlags & { date: string }) => {
    const date = dayOption('date', o.date) as Day;
    const closes = readDayPrices(file, date);
    if (!closes.ok) return setExit(reportIssues(io, closes.issues));
    setExit(
      await withDatabase(io, o, async (database) => {
        const n = await priceStore(database).put(closes.value);
        io.out(`${n} closes of ${formatDay(date)} stored\n`);
        return 0;
      }),
    );
  });

  addStoreOptions(
    program
      .command('withdraw')
      .description('ask for cash out of an account: the next run raises it, tax-aware')
      .requiredOption('--household <id>', 'household')
      .requiredOption('--account <id>', 'account')
      .requiredOption('--amount <usd>', 'amount in dollars')
      .option('-d, --date <date>', 'from this day on (default: today)'),
  ).action(async (o: StoreFlags & { household: string; account: string; amount: string; date?: string }) => {
    const amount = exact('usd', o.amount);
    if (!amount.ok || amount.value <= 0) throw new UsageError(`--amount: "${o.amount}" is not a positive amount of dollars`);
    const date = dayOption('date', o.date) ?? io.today();
    setExit(
      await withDatabase(io, o, async (database, tenant) => {
        const h = await bookStore(database).tenant(tenant).household(householdId(o.household));
        if (h === undefined) return reportIssues(io, [{ code: 'NOT_FOUND', message: `no household "${o.household}"`, at: { field: 'household' } }]);
        if (!h.household.accounts.some((a) => a.id === o.account)) return reportIssues(io, [{ code: 'UNKNOWN_ACCOUNT', message: `household ${o.household} has no account "${o.account}"`, at: { field: 'account' } }]);
        const id = await runStore(database).tenant(tenant).requestWithdrawal(h.id, accountId(o.account), amount.value, date);
        io.out(`withdrawal ${id} requested\n`);
        return 0;
      }),
    );
  });

  const proposals = program.command('proposals').description("the daily run's proposals");
  addStoreOptions(
    proposals
      .command('list')
      .description('proposals, filtered')
      .option('--status <status>', PROPOSAL_STATUSES.join(' | '))
      .option('--household <id>', 'household')
      .option('-d, --date <date>', 'run date')
      .option('-f, --format <format>', 'table | json', 'table'),
  ).action(async (o: StoreFlags & { status?: string; household?: string; date?: string; format: string }) => {
    const fmt = formatOption(o.format, ['table', 'json'] as const, 'table');
    if (o.status !== undefined && !(PROPOSAL_STATUSES as readonly string[]).includes(o.status)) throw new UsageError(`--status: "${o.status}" is not one of ${PROPOSAL_STATUSES.join(', ')}`);
    const runDate = dayOption('date', o.date);
    setExit(
      await withDatabase(io, o, async (database, tenant) => {
        const t = runStore(database).tenant(tenant);
        const filter = { ...(o.status !== undefined ? { status: o.status as ProposalStatus } : {}), ...(o.household !== undefined ? { household: householdId(o.household) } : {}), ...(runDate !== undefined ? { runDate } : {}) };
        const all = [];
        let after: string | undefined;
        for (;;) {
          const page = await t.proposals(filter, { ...(after !== undefined ? { after } : {}), limit: 500 });
          all.push(...page.items);
          if (page.next === undefined) break;
          after = page.next;
        }
        io.out(fmt === 'json' ? proposalsJson(all) : proposalsTable(all));
        return 0;
      }),
    );
  });
  addStoreOptions(
    proposals
      .command('approve')
      .description('approve proposals (their harvests are re-priced at the closes of --date first)')
      .argument('<ids...>', 'proposal ids')
      .option('--version <n>', 'the version you reviewed (one proposal)')
      .option('-d, --date <date>', 'approval date for re-pricing (default: today)'),
  ).action(async (ids: string[], o: StoreFlags & { version?: string; date?: string }) => {
    const date = dayOption('date', o.date) ?? io.today();
    if (o.version !== undefined && ids.length > 1) throw new UsageError('--version names the version of one proposal');
    const version = o.version === undefined ? undefined : positive('version', o.version, 1);
    setExit(
      await withDatabase(io, o, async (database, tenant) => {
        let failed = 0;
        for (const id of ids) {
          const r = await approveProposal({ runs: runStore(database), market: bookMarket(database) }, { tenant, id, date, ...(version !== undefined ? { version } : {}) });
          if (r.ok) io.out(`${id}: approved (version ${r.value.version})\n`);
          else {
            failed++;
            for (const i of r.issues) io.err(`error: ${id}: ${i.message}\n`);
          }
        }
        return failed > 0 ? 1 : 0;
      }),
    );
  });
  addStoreOptions(
    proposals.command('reject').description('reject proposals, saying why').argument('<ids...>', 'proposal ids').requiredOption('--reason <text>', 'why'),
  ).action(async (ids: string[], o: StoreFlags & { reason: string }) => {
    setExit(
      await withDatabase(io, o, async (database, tenant) => {
        let failed = 0;
        for (const id of ids) {
          const r = await rejectProposal(runStore(database), { tenant, id, reason: o.reason });
          if (r.ok) io.out(`${id}: rejected\n`);
          else {
            failed++;
            for (const i of r.issues) io.err(`error: ${id}: ${i.message}\n`);
          }
        }
        return failed > 0 ? 1 : 0;
      }),
    );
  });

  const orders = program.command('orders').description('orders of approved proposals');
  addStoreOptions(orders.command('export').description('approved orders as CSV for the custodian (the proposals become sent)')).action(async (o: StoreFlags) => {
    setExit(
      await withDatabase(io, o, async (database, tenant) => {
        io.out(ordersCsv(await exportOrders(runStore(database), tenant)));
        return 0;
      }),
    );
  });

  const fills = program.command('fills').description('executions of exported orders');
  addStoreOptions(fills.command('import').description('book fills (proposal,line,date,shares,price[,fees][,fill_id]) as ledger events, once').argument('<file>', 'fills CSV')).action(
    async (file: string, o: StoreFlags) => {
      const parsed = readFills(file);
      if (!parsed.ok) return setExit(reportIssues(io, parsed.issues));
      setExit(
        await withDatabase(io, o, async (database, tenant) => {
          const r = await importFills({ runs: runStore(database), book: bookStore(database) }, tenant, parsed.value);
          if (!r.ok) return reportIssues(io, r.issues);
          io.out(`${r.value.recorded} fills booked (${r.value.eventsAdded} ledger events), ${r.value.known} already known\n`);
          return 0;
        }),
      );
    },
  );
}

async function waitForRun(deps: DailyRunDeps, tenant: Parameters<DailyRunDeps['runs']['tenant']>[0], run: RunRecord): Promise<RunRecord> {
  for (;;) {
    const now = await deps.runs.tenant(tenant).run(run.id);
    if (now === undefined || now.status === 'done') return now ?? run;
    await new Promise((r) => setTimeout(r, 250));
  }
}
