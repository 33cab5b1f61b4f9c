/**
 * The demo book `npm start` serves: on first start, a `demo` tenant holding the example
 * households (examples/households) and generated client households traded on real closes, all
 * booked through the import use case as case files; the closes of the last stretch of the price
 * data put in the book; the daily harvest run for the latest price date; and a demo key with every
 * scope. A second start finds the tenant seeded and changes nothing.
 *
 * The generated clients buy the universe's primary funds on real trading days of the year before
 * the latest close, at that day's real close (as traded), so their gains and losses are the
 * market's own. A fund that split between a purchase and the latest close is not bought then
 * (the lot would need the split event), so every lot is in today's share units.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiKey } from '../../app/apiKeys.js';
import { requestDailyRun } from '../../app/dailyRun.js';
import { importFiles } from '../../app/importFiles.js';
import { householdId, tenantId, type TenantId } from '../../app/ports.js';
import { addDays, formatDay, type Day } from '../../core/kernel/calendar.js';
import { prng } from '../../core/kernel/random.js';
import { DEFAULT_SETTINGS } from '../../core/ledger/household.js';
import type { PriceBook, PriceSeries } from '../../core/market/prices.js';
import { asTraded } from '../../core/market/shareUnits.js';
import { FILE_FORMATS } from '../brokers/formats.js';
import { caseBatch, caseHousehold } from '../files/caseBatch.js';
import { decodeCaseDocument } from '../files/caseFile.js';
import { readImportSources } from '../files/importSources.js';
import { loadPriceBook, PACKAGE_ROOT } from '../files/priceDirectory.js';
import { priceRecords } from '../files/priceRecords.js';
import type { Service } from './service.js';

export const DEMO_TENANT = tenantId('demo');
const KEY_FILE = 'demo-key';
const EXAMPLES = join(PACKAGE_ROOT, 'examples', 'households');
/** How much of the price history goes into the book (the clients' purchases fall inside it). */
const HISTORY_DAYS = 400;

export interface SeedOptions {
  /** A price directory, or undefined when there is none: the demo then has no prices and no run. */
  readonly pricesDir: string | undefined;
  readonly clients: number;
  readonly seed?: number;
  readonly progress?: (line: string) => void;
}

export interface SeedOutcome {
  readonly seeded: boolean;
  readonly households: number;
  readonly latestClose: Day | undefined;
  readonly runId: string | undefined;
  readonly problems: readonly string[];
}

export async function seedDemo(service: Service, options: SeedOptions): Promise<SeedOutcome> {
  const { book, prices } = service.deps;
  await book.ensureTenant(DEMO_TENANT, 'Demo advisers');
  const existing = await book.tenant(DEMO_TENANT).listHouseholds({ limit: 1 });
  if (existing.items.length > 0) return { seeded: false, households: 0, latestClose: await prices.latestDate(), runId: undefined, problems: [] };
  const say = options.progress ?? (() => undefined);
  const problems: string[] = [];
  let households = 0;
  for (const name of readdirSync(EXAMPLES).sort()) {
    const path = join(EXAMPLES, name);
    const id = name.replace(/\.json$/, '');
    const read = readImportSources([path], FILE_FORMATS, id);
    if (!read.ok) {
      problems.push(`${name}: ${read.issues[0]?.message ?? 'unreadable'}`);
      continue;
    }
    const done = await importFiles(book, {
      tenant: DEMO_TENANT,
      household: householdId(id),
      sources: read.value.sources,
      create: read.value.caseHousehold ?? { name: id, settings: DEFAULT_SETTINGS, documents: {} },
    });
    if (done.ok) households++;
    else problems.push(`${name}: ${done.issues[0]?.message ?? 'not imported'}`);
  }
  say(`${households} example households imported`);
  if (options.pricesDir === undefined) return { seeded: true, households, latestClose: undefined, runId: undefined, problems };

  const loaded = loadPriceBook(options.pricesDir, { symbols: demoFunds(service) });
  const last = latestDay(loaded.book);
  if (last === undefined) return { seeded: true, households, latestClose: undefined, runId: undefined, problems: [...problems, `no closes in ${options.pricesDir}`] };
  const stored = await prices.put(priceRecords(loaded.book, addDays(last, -HISTORY_DAYS), last));
  say(`${stored} closes stored (${formatDay(addDays(last, -HISTORY_DAYS))} to ${formatDay(last)})`);
  const rand = prng(options.seed ?? 20260713);
  for (let i = 0; i < options.clients; i++) {
    const doc = clientCase(loaded.book, last, i, rand);
    const id = `client-${String(i + 1).padStart(3, '0')}`;
    const decoded = decodeCaseDocument(doc, `${id}.json`);
    if (!decoded.ok) {
      problems.push(`${id}: ${decoded.issues[0]?.message ?? 'bad case'}`);
      continue;
    }
    const done = await importFiles(book, {
      tenant: DEMO_TENANT,
      household: householdId(id),
      sources: [{ batch: caseBatch(decoded.value), sha256: `demo-${i}` }],
      create: caseHousehold(decoded.value, `Client ${i + 1}`),
    });
    if (done.ok) households++;
    else problems.push(`${id}: ${done.issues[0]?.message ?? 'not imported'}`);
  }
  say(`${households} households in the demo book; running the daily harvest for ${formatDay(last)}`);
  const run = await requestDailyRun(service.deps, { tenant: DEMO_TENANT, date: last });
  await service.idle();
  if (!run.ok) problems.push(`daily run: ${run.issues[0]?.message ?? 'failed'}`);
  return { seeded: true, households, latestClose: last, runId: run.ok ? run.value.run.id : undefined, problems };
}

/**
 * The demo key, kept in the data directory so every start can print it (a local demo's
 * convenience; a real deployment creates keys with `lotsmith keys create` and keeps them itself).
 */
export async function demoKey(service: Service, dataDir: string | undefined, tenant: TenantId = DEMO_TENANT): Promise<string> {
  const file = dataDir === undefined ? undefined : join(dataDir, KEY_FILE);
  if (file !== undefined && existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    const m = /^lsk_([0-9a-f]{16})_/.exec(key);
    const stored = m === null ? undefined : await service.deps.keys.byId(m[1] as string);
    if (stored !== undefined && stored.revokedAt === undefined && stored.tenant === tenant) return key;
  }
  const created = await createApiKey(service.deps.keys, { tenant, name: 'demo', scopes: ['read', 'trade', 'admin'] });
  if (!created.ok) throw new Error('the demo key could not be created');
  if (dataDir !== undefined && file !== undefined) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${created.value.key}\n`, { mode: 0o600 });
  }
  return created.value.key;
}

function demoFunds(service: Service): string[] {
  return service.deps.universe.classes.flatMap((c) => c.securities.filter((s) => s.priceData).map((s) => s.symbol as string));
}

function latestDay(b: PriceBook): Day | undefined {
  let last: Day | undefined;
  for (const s of b.series.values()) {
    for (let i = s.days.length - 1; i >= 0; i--) {
      if (Number.isFinite(s.close[i] as number)) {
        const d = s.days[i] as Day;
        if (last === undefined || d > last) last = d;
        break;
      }
    }
  }
  return last;
}

const STATES = ['CA', 'NY', 'TX', 'FL', 'IL', 'WA', 'MA', 'NJ'];

/** One generated client as a JSON case: deposits, then purchases of primary funds at real closes. */
function clientCase(b: PriceBook, last: Day, n: number, rand: () => number): Record<string, unknown> {
  const funds = [...b.series.values()].filter((s) => tradable(s, addDays(last, -365), last));
  const ira = rand() < 0.4;
  const accounts = [{ id: 'joint', type: 'taxable', owner: 'self' }, ...(ira ? [{ id: 'ira', type: 'traditional_ira', owner: 'self' }] : [])];
  const events: Record<string, unknown>[] = [];
  const first = addDays(last, -360);
  let spent = 0;
  const buys = 5 + Math.floor(rand() * 10);
  for (let k = 0; k < buys && funds.length > 0; k++) {
    const s = funds[Math.floor(rand() * funds.length)] as PriceSeries;
    const traded = asTraded(s.close, s.dividend, s.split);
    const day = addDays(first, Math.floor(rand() * 330));
    let i = s.days.findIndex((d) => d >= day);
    if (i < 0) i = s.days.length - 1;
    const close = traded.close[i] as number;
    if (!Number.isFinite(close) || close <= 0) continue;
    const shares = Math.max(1, Math.round((5_000 + rand() * 25_000) / close));
    spent += shares * close;
    const account = ira && rand() < 0.3 ? 'ira' : 'joint';
    events.push({ id: `b${k + 1}`, date: formatDay(s.days[i] as Day), account, action: 'buy', symbol: s.symbol, shares: String(shares), price: close.toFixed(2) });
  }
  events.sort((a, b) => String(a['date']).localeCompare(String(b['date'])));
  const deposit = (Math.ceil(spent * 1.05) + 5_000).toFixed(2);
  const deposits = accounts.map((a) => ({ id: `d-${a.id}`, date: formatDay(first), account: a.id, action: 'deposit', amount: deposit }));
  return {
    description: `Generated client ${n + 1} (demo)`,
    settings: { filingStatus: rand() < 0.6 ? 'married_filing_jointly' : 'single', lotSelection: 'HIFO' },
    taxProfile: { ordinaryTaxableIncome: String(80_000 + Math.floor(rand() * 420_000)), state: STATES[Math.floor(rand() * STATES.length)] },
    ...(rand() < 0.5 ? { targets: { joint: { riskScore: 3 + Math.floor(rand() * 8) } } } : {}),
    accounts,
    events: [...deposits, ...events],
  };
}

/** A fund with closes over the window and no split inside it (its lots stay in today's units). */
function tradable(s: PriceSeries, from: Day, to: Day): boolean {
  let closes = 0;
  for (let i = 0; i < s.days.length; i++) {
    const d = s.days[i] as Day;
    if (d < from || d > to) continue;
    if ((s.split[i] as number) !== 1 && Number.isFinite(s.split[i] as number)) return false;
    if (Number.isFinite(s.close[i] as number)) closes++;
  }
  return closes > 100;
}
