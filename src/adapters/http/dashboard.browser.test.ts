/**
 * The adviser dashboard in a real browser: Debian's Chromium (playwright-core) against the real
 * server listening on a free port, over a PGlite book seeded through the API — two example
 * households imported, real closes of the sample prices, the daily run of 2025-04-08. An adviser
 * signs in with a key, opens a household, downloads its Form 8949 CSV, approves a proposal, runs a
 * tax preview and opens the backtests page; every figure checked here is checked against the API's
 * own answer. A screenshot of each page goes to test-artifacts/dashboard/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../app/apiKeys.js';
import { tenantId } from '../../app/ports.js';
import { parseDay, type Day } from '../../core/kernel/calendar.js';
import { loadPriceBook, SAMPLE_PRICES } from '../files/priceDirectory.js';
import { priceRecords } from '../files/priceRecords.js';
import { openDatabase, type Database } from '../store/database.js';
import { buildApp } from './app.js';
import { launchChromium, type Browser } from './chromium.test-util.js';
import { openService, type Service } from './service.js';

const WEB = 'web/dist';
const SHOTS = 'test-artifacts/dashboard';
const TENANT = tenantId('demo');
const RUN_DATE = '2025-04-08';
const HARVEST = 'harvest-2025-04';
const HISTORY = 'household-2025';

/**
 * A client traded at real closes of the fixture (VTI and VEA, no splits since): a loss sale in
 * 2024 and, with HIFO, one in 2025, so 2025 has a loss and a beginning balance for its yield.
 */
const YIELD = 'client-yield';
const YIELD_CASE = {
  settings: { taxYear: 2025, filingStatus: 'single', lotSelection: 'HIFO' },
  taxProfile: { ordinaryTaxableIncome: '180000', state: 'CA' },
  accounts: [{ id: 'joint', type: 'taxable', owner: 'self' }],
  events: [
    { id: 'd1', date: '2024-01-02', account: 'joint', action: 'deposit', amount: '60000.00' },
    { id: 'b1', date: '2024-01-02', account: 'joint', action: 'buy', symbol: 'VTI', shares: '100', price: '235.63' },
    { id: 'b2', date: '2024-03-28', account: 'joint', action: 'buy', symbol: 'VEA', shares: '500', price: '50.17' },
    { id: 's1', date: '2024-08-05', account: 'joint', action: 'sell', symbol: 'VEA', shares: '500', price: '47.60' },
    { id: 'b3', date: '2024-12-16', account: 'joint', action: 'buy', symbol: 'VTI', shares: '50', price: '301.15' },
    { id: 's2', date: '2025-04-04', account: 'joint', action: 'sell', symbol: 'VTI', shares: '50', price: '248.47' },
  ],
};

/** A backtest that runs in seconds: three accounts over half a year, two strategies. */
const TINY_BACKTEST = {
  window: { from: '2024-01-02', to: '2024-06-28' },
  split: '2024-04-01',
  calibrate: false,
  verify: false,
  strategies: ['none', 'daily_cost_benefit'],
  focusStrategy: 'daily_cost_benefit',
  accounts: { count: 3, vintages: [2024], riskScores: [8], initialDeposit: { min: 50000, max: 100000 }, startDay: 'first_trading_day', seed: 1 },
  profiles: [{ id: 'single-120k-CA', filingStatus: 'single', grossOrdinaryIncome: 120000, state: 'CA' }],
  focusRiskScore: 8,
};

interface ApiProposal {
  readonly id: string;
  readonly household: string;
  readonly status: string;
  readonly benefit: string;
  readonly candidates: readonly { readonly verdict: string; readonly loss: string }[];
}

/** Dollars as the dashboard prints them, for figures checked against the API's. */
const dollars = (v: number): string => `${v < 0 ? '-' : ''}$${Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

describe.skipIf(!existsSync(join(WEB, 'index.html')))('the dashboard in Chromium', () => {
  let database: Database;
  let service: Service;
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base: string;
  let key: string;

  const api = async <T>(method: 'GET' | 'POST', url: string, payload?: unknown): Promise<T> => {
    const r = await app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${key}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });
    if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
    return String(r.headers['content-type']).includes('json') ? (JSON.parse(r.body) as T) : (r.body as T);
  };
  const importCase = (id: string) => api('POST', `/households/${id}/imports`, { files: [{ name: `${id}.json`, content: readFileSync(`examples/households/${id}.json`, 'utf8') }] });
  const focusedText = (): Promise<string> => page.evaluate<string>("document.activeElement?.textContent?.trim() ?? ''");
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    // Chromium starts while the database is opened and seeded (each takes seconds on a loaded machine).
    const launched = launchChromium();
    launched.catch(() => undefined);
    database = await openDatabase({ kind: 'pglite', dir: undefined });
    service = await openService(database, { boss: false, pricesDir: SAMPLE_PRICES, backtestWorkers: 1, onJobError: (err) => { throw err; } });
    const prices = loadPriceBook(SAMPLE_PRICES);
    // Closes through the run date only: an approval re-prices at the book's latest close.
    await service.deps.prices.put(priceRecords(prices.book, parseDay('2023-12-01') as Day, parseDay(RUN_DATE) as Day));
    await service.deps.book.ensureTenant(TENANT, 'Demo advisers');
    const created = await createApiKey(service.deps.keys, { tenant: TENANT, name: 'browser test', scopes: ['read', 'trade'] });
    if (!created.ok) throw new Error('no key');
    key = created.value.key;
    app = await buildApp(service.deps, { webDir: WEB });
    await importCase(HARVEST);
    await importCase(HISTORY);
    await api('POST', `/households/${YIELD}/imports`, { files: [{ name: `${YIELD}.json`, content: JSON.stringify(YIELD_CASE) }] });
    await api('POST', '/runs', { date: RUN_DATE });
    await service.idle();
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launched;
    page = await browser.context.newPage();
    page.on('pageerror', (e) => {
      throw e;
    });
  }, 180_000);

  // What the browser showed when a step failed, beside the pages' screenshots.
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') await page?.screenshot({ path: join(SHOTS, `failed-${task.name.replace(/\W+/g, '-')}.png`), fullPage: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await service?.stop();
    await database?.close();
  });

  it('signs in with a key and shows the overview', async () => {
    await page.goto(base);
    await page.getByLabel('API key').fill('lsk_not_a_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/401/);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await expect.poll(focusedText).toBe('Overview');
    expect(await page.evaluate("sessionStorage.getItem('lotsmith.apiKey')")).toBe(key);
    const proposed = (await api<{ items: ApiProposal[] }>('GET', '/proposals?status=proposed')).items;
    expect(proposed.length).toBeGreaterThan(0);
    const awaiting = page.locator('.stat', { hasText: 'Awaiting approval' }).locator('.stat-value');
    await expect.poll(() => awaiting.textContent()).toBe(String(proposed.length));
    await page.locator('.stat', { hasText: 'Last run' }).getByText('done').waitFor();
    await page.getByRole('link', { name: HISTORY }).first().waitFor();
    await shot('overview');
  });

  it('opens a household: lots, loss sales and its Form 8949 CSV', async () => {
    await page.getByRole('link', { name: HISTORY }).first().click();
    await page.getByRole('heading', { name: 'Open lots' }).waitFor();
    await page.locator('ls-chart canvas').waitFor();
    const gains = await api<{ dispositions: { saleEventId: string; realizedGainLoss: number }[] }>('GET', `/households/${HISTORY}/gains`);
    const lossSales = gains.dispositions.filter((d) => d.realizedGainLoss < 0);
    await expect.poll(() => page.getByRole('table', { name: 'Loss sales' }).locator('tbody tr').count()).toBe(lossSales.length);
    await shot('household');

    await page.getByLabel('Tax year').selectOption('2025');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download Form 8949 CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`form8949-${HISTORY}-2025.csv`);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).toBe(await api<string>('GET', `/households/${HISTORY}/gains.csv?year=2025`));
    const [head, ...rows] = csv.trimEnd().split('\n');
    expect(head).toMatch(/^part,description,date_acquired,date_sold,proceeds,cost_basis,adjustment_code,adjustment_amount,gain_or_loss/);
    const rows2025 = (await api<{ dispositions: unknown[] }>('GET', `/households/${HISTORY}/gains?year=2025`)).dispositions;
    expect(rows).toHaveLength(rows2025.length);
    expect(rows.some((r) => r.includes(',W,'))).toBe(true); // a wash sale's adjustment code
    await page.getByText(`Downloaded form8949-${HISTORY}-2025.csv (${rows.length} rows)`).waitFor();
  });

  it('shows Harvesting Yield by year: the year\'s losses over its beginning balance', async () => {
    await page.goto(`${base}/households/${YIELD}`);
    await page.locator('ls-chart canvas').waitFor();
    // 2025: the HIFO sale of the 2024-12-16 lot, (301.15 - 248.47) x 50 = 2,634.00, over 150 VTI at
    // the 2024-12-31 close of 289.81 plus the cash left, 20,094.50: 63,566.00.
    const gains = await api<{ dispositions: { realizedGainLoss: number }[] }>('GET', `/households/${YIELD}/gains?year=2025`);
    const loss = -gains.dispositions.reduce((sum, d) => sum + Math.round(d.realizedGainLoss * 100), 0);
    const start = await api<{ openLots: { marketValue: number }[]; cash: Record<string, number> }>('GET', `/households/${YIELD}/lots?date=2025-01-01`);
    const balance = start.openLots.reduce((sum, l) => sum + Math.round(l.marketValue * 100), 0) + Object.values(start.cash).reduce((sum, c) => sum + Math.round(c * 100), 0);
    expect([loss, balance]).toEqual([263400, 6356600]);
    const table = page.getByRole('table', { name: 'Harvesting Yield by year' });
    await expect.poll(() => table.locator('tbody tr').allInnerTexts()).toEqual([
      '2024\t$1,285.00\t—\t—', // funded during 2024: no beginning balance, no yield
      `2025\t$2,634.00\t$63,566.00\t${((loss / balance) * 100).toFixed(2)}%`,
    ]);
    // The VTI loss sale of 2025-04-04 blocks buying VTI (in any account) for 30 days after it.
    const calendar = await api<{ date: string; items: { symbol: string; account: string; blocks: string; blockedThrough: string }[] }>('GET', `/households/${YIELD}/wash-sales`);
    expect(calendar.date).toBe(RUN_DATE);
    expect(calendar.items.map((b) => [b.symbol, b.account, b.blocks, b.blockedThrough])).toEqual([['VTI', 'joint', 'purchase', '2025-05-04']]);
    const shown = await page.getByRole('table', { name: 'Wash-sale calendar' }).locator('tbody tr').allInnerTexts();
    expect(shown.map((r) => r.split('\t').slice(0, 5))).toEqual([['VTI', 'joint', 'buying', 'May 4, 2025', '27']]);
    await shot('household-yield');
  });

  it('approves a proposal and shows its new status', async () => {
    await page.getByRole('link', { name: 'Proposals', exact: true }).first().click();
    const first = page.locator('article.proposal').first();
    await first.waitFor();
    const id = await first.getAttribute('data-proposal');
    expect(id).not.toBeNull();
    await expect.poll(() => first.getByTestId('status').textContent()).toBe('proposed');
    await shot('proposals');
    await first.getByRole('button', { name: 'Approve', exact: true }).click();
    await expect.poll(() => first.getByTestId('status').textContent()).toBe('approved');
    const approved = await api<ApiProposal>('GET', `/proposals/${id}`);
    expect(approved.status).toBe('approved');
    // The overview now counts it: its harvested losses and the run's estimate of the tax saved.
    const harvested = approved.candidates.filter((c) => c.verdict === 'harvest').reduce((sum, c) => sum + Math.round(Number(c.loss) * 100), 0);
    expect(harvested).toBeGreaterThan(0);
    await page.getByRole('link', { name: 'Overview' }).click();
    const figure = (label: string) => page.locator('.stat', { hasText: label }).locator('.stat-value').textContent();
    await expect.poll(() => figure('Losses harvested in 2025')).toBe(dollars(harvested / 100));
    await expect.poll(() => figure('Estimated tax saved')).toBe(dollars(Number(approved.benefit)));
  });

  it('previews the tax of selling a lot', async () => {
    await page.getByRole('link', { name: 'Tax preview' }).click();
    await page.getByLabel('Household').selectOption(HARVEST);
    const lot = page.getByRole('checkbox', { name: /Sell lot .* \(VTI in joint\)/ }).first();
    await lot.check();
    const lotId = /Sell lot (\S+)/.exec((await lot.getAttribute('aria-label')) ?? '')?.[1];
    await page.getByRole('button', { name: 'Preview taxes' }).click();
    await page.getByRole('heading', { name: 'Result' }).waitFor();
    await page.getByRole('table', { name: 'Lots sold' }).waitFor();
    const preview = await api<{ realized: { shortTerm: number }; tax: { change: number } | null }>('POST', `/households/${HARVEST}/tax-preview`, { lots: [{ lotId }] });
    await expect.poll(() => page.locator('.stat', { hasText: 'Short-term gain' }).locator('.stat-value').textContent()).toBe(dollars(preview.realized.shortTerm));
    expect(preview.tax).not.toBeNull();
    const change = preview.tax?.change ?? 0;
    await expect.poll(() => page.locator('.stat', { hasText: change < 0 ? 'Tax saved' : 'Added tax' }).locator('.stat-value').textContent()).toBe(dollars(Math.abs(change)));
    await shot('tax-preview');
  });

  it('submits a backtest, follows it and shows its report', async () => {
    await page.getByRole('link', { name: 'Backtests' }).click();
    await page.getByLabel(/^Config/).fill(JSON.stringify(TINY_BACKTEST));
    await page.getByRole('button', { name: 'Run backtest' }).click();
    await page.getByRole('heading', { name: /^Backtest / }).waitFor();
    await expect.poll(() => page.getByTestId('backtest-status').textContent(), { timeout: 60_000 }).toBe('done');
    await page.locator('ls-chart canvas').waitFor();
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');
    const report = await api<{ strategies: { label: string }[] }>('GET', `/backtests/${id}/report`);
    const rows = await page.getByRole('table', { name: 'Backtest report' }).locator('tbody tr td:first-child').allInnerTexts();
    expect(rows.slice(0, report.strategies.length)).toEqual(report.strategies.map((x, i) => (i === 1 ? `${x.label} (focus)` : x.label)));
    await shot('backtests');
  });

  it('works by keyboard and at phone width', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await focusedText()).toBe('Skip to content');
    const stops: string[] = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      stops.push(await focusedText());
    }
    expect(stops).toEqual(expect.arrayContaining(['Overview', 'Proposals', 'Tax preview', 'Backtests']));
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Backtests', level: 1 }).waitFor();

    await page.setViewportSize({ width: 390, height: 844 });
    for (const [name, path, heading] of [['overview', '/', 'Overview'], ['household', `/households/${HISTORY}`, 'Open lots'], ['proposals', '/proposals?status=', 'Proposals']] as const) {
      await page.goto(`${base}${path}`);
      await page.getByRole('heading', { name: heading }).first().waitFor();
      await page.waitForLoadState('networkidle');
      // Nothing wider than the phone: wide tables scroll inside their own box.
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await shot(`${name}-phone`);
    }
  });
});
