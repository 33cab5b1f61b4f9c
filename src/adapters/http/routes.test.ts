/**
 * Every route in process (`app.inject`) on the real stores (in-memory PGlite, one database for the
 * file): what each does, and the edge every route keeps — no key 401, a key without the scope 403,
 * another tenant's ids 404 (never data), bodies over the limit 413, malformed JSON and schema
 * violations 400 with the field's path, hostile strings stored and returned verbatim.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, importExample, testApp, type TestApp } from './testApp.test-util.js';

let t: TestApp;
let proposalA: string;
let backtestA: string;

/** A small backtest on the sample prices: two clients, two strategies, 2021. */
const TINY_BACKTEST = {
  window: { from: '2020-01-02', to: '2021-12-31' },
  split: '2021-01-01',
  calibrate: false,
  strategies: ['none', 'daily_cost_benefit'],
  accounts: { count: 2, vintages: [2021], riskScores: [8], initialDeposit: { min: 100000, max: 100000 }, startDay: 'first_trading_day' },
  profiles: [{ id: 'mfj-250k-NY', filingStatus: 'married_filing_jointly', grossOrdinaryIncome: 250000, state: 'NY' }],
  taxYear: 2025,
};

const CASE = {
  settings: { filingStatus: 'single', lotSelection: 'FIFO' },
  taxProfile: { ordinaryTaxableIncome: '200000', state: 'TX' },
  accounts: [
    { id: 'joint', type: 'taxable' },
    { id: 'ira', type: 'traditional_ira' },
  ],
  events: [
    { id: 'd1', date: '2025-03-03', account: 'joint', action: 'deposit', amount: '3000' },
    { id: 'd2', date: '2025-03-03', account: 'ira', action: 'deposit', amount: '2000' },
    { id: 'e1', date: '2025-03-03', account: 'joint', action: 'buy', symbol: 'VTI', shares: '10', price: '300.00' },
    { id: 'e2', date: '2025-04-10', account: 'ira', action: 'buy', symbol: 'VTI', shares: '5', price: '260.00' },
  ],
};

beforeAll(async () => {
  t = await testApp();
  expect((await importExample(t.app, t.keys.a.trade, 'hh-a')).statusCode).toBe(201);
  expect((await importExample(t.app, t.keys.b.trade, 'hh-b')).statusCode).toBe(201);
  const washy = await t.app.inject({ method: 'POST', url: '/api/v1/households/washy/imports', headers: auth(t.keys.a.trade), payload: { files: [{ name: 'washy.json', content: JSON.stringify(CASE) }] } });
  expect(washy.statusCode).toBe(201);
  expect((await t.app.inject({ method: 'POST', url: '/api/v1/runs', headers: auth(t.keys.a.trade), payload: { date: '2025-04-21' } })).statusCode).toBe(202);
  await t.service.idle();
  const list = (await t.app.inject({ url: '/api/v1/proposals?household=hh-a', headers: auth(t.keys.a.read) })).json<{ items: { id: string }[] }>();
  proposalA = (list.items[0] as { id: string }).id;
  const job = await t.app.inject({ method: 'POST', url: '/api/v1/backtests', headers: auth(t.keys.a.trade), payload: { config: TINY_BACKTEST } });
  expect(job.statusCode).toBe(202);
  backtestA = job.json<{ id: string }>().id;
}, 120_000);

afterAll(async () => {
  await t.close();
});

type Scope = 'read' | 'trade' | 'admin';
interface RouteCase {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly url: (ids: { household: string; proposal: string; run: string; key: string; backtest: string }) => string;
  readonly scope: Scope;
  readonly body?: unknown;
  /** Routes whose ids belong to a tenant: another tenant's id is 404. */
  readonly scoped: boolean;
}

const ROUTES: RouteCase[] = [
  { method: 'GET', url: () => '/api/v1/me', scope: 'read', scoped: false },
  { method: 'GET', url: () => '/api/v1/households', scope: 'read', scoped: false },
  { method: 'POST', url: () => '/api/v1/households', scope: 'trade', scoped: false, body: { id: 'new-one', name: 'New' } },
  { method: 'GET', url: (i) => `/api/v1/households/${i.household}`, scope: 'read', scoped: true },
  { method: 'PATCH', url: (i) => `/api/v1/households/${i.household}`, scope: 'trade', scoped: true, body: { version: 1, name: 'Renamed' } },
  { method: 'GET', url: (i) => `/api/v1/households/${i.household}/accounts`, scope: 'read', scoped: true },
  { method: 'POST', url: (i) => `/api/v1/households/${i.household}/accounts`, scope: 'trade', scoped: true, body: { id: 'roth', type: 'roth_ira' } },
  { method: 'GET', url: (i) => `/api/v1/households/${i.household}/lots`, scope: 'read', scoped: true },
  { method: 'GET', url: (i) => `/api/v1/households/${i.household}/lots.csv`, scope: 'read', scoped: true },
  { method: 'GET', url: (i) => `/api/v1/households/${i.household}/gains`, scope: 'read', scoped: true },
  { method: 'GET', url: (i) => `/api/v1/households/${i.household}/gains.csv`, scope: 'read', scoped: true },
  { method: 'GET', url: (i) => `/api/v1/households/${i.household}/gains.txf`, scope: 'read', scoped: true },
  { method: 'GET', url: (i) => `/api/v1/households/${i.household}/wash-sales`, scope: 'read', scoped: true },
  { method: 'POST', url: (i) => `/api/v1/households/${i.household}/tax-preview`, scope: 'read', scoped: true, body: { date: '2025-04-21', withdrawal: { account: 'joint', amount: '1000' } } },
  { method: 'POST', url: () => '/api/v1/runs', scope: 'trade', scoped: false, body: { date: '2025-04-22' } },
  { method: 'GET', url: () => '/api/v1/runs', scope: 'read', scoped: false },
  { method: 'GET', url: (i) => `/api/v1/runs/${i.run}`, scope: 'read', scoped: true },
  { method: 'GET', url: () => '/api/v1/proposals', scope: 'read', scoped: false },
  { method: 'GET', url: (i) => `/api/v1/proposals/${i.proposal}`, scope: 'read', scoped: true },
  { method: 'POST', url: (i) => `/api/v1/proposals/${i.proposal}/approve`, scope: 'trade', scoped: true, body: { date: '2025-04-21' } },
  { method: 'POST', url: (i) => `/api/v1/proposals/${i.proposal}/reject`, scope: 'trade', scoped: true, body: { reason: 'client on vacation' } },
  { method: 'POST', url: () => '/api/v1/orders/export', scope: 'trade', scoped: false },
  { method: 'POST', url: () => '/api/v1/fills', scope: 'trade', scoped: false, body: { fills: [{ key: 'x1', proposal: 'p', line: 0, date: '2025-04-22', shares: '1', price: '1' }] } },
  { method: 'POST', url: () => '/api/v1/backtests', scope: 'trade', scoped: false, body: { config: TINY_BACKTEST } },
  { method: 'GET', url: (i) => `/api/v1/backtests/${i.backtest}`, scope: 'read', scoped: true },
  { method: 'GET', url: (i) => `/api/v1/backtests/${i.backtest}/report`, scope: 'read', scoped: true },
  { method: 'GET', url: () => '/api/v1/keys', scope: 'admin', scoped: false },
  { method: 'POST', url: () => '/api/v1/keys', scope: 'admin', scoped: false, body: { name: 'n', scopes: ['read'] } },
  { method: 'DELETE', url: (i) => `/api/v1/keys/${i.key}`, scope: 'admin', scoped: true },
  // An import creates a missing household: into another tenant's id it makes the caller's own (tested below).
  { method: 'POST', url: (i) => `/api/v1/households/${i.household}/imports`, scope: 'trade', scoped: false, body: { files: [{ name: 'c.json', content: '{}' }] } },
];

const ids = async () => {
  const runs = (await t.app.inject({ url: '/api/v1/runs', headers: auth(t.keys.a.read) })).json<{ items: { id: string }[] }>();
  const keys = (await t.app.inject({ url: '/api/v1/keys', headers: auth(t.keys.a.admin) })).json<{ items: { id: string }[] }>();
  return { backtest: backtestA, household: 'hh-a', proposal: proposalA, run: (runs.items[0] as { id: string }).id, key: (keys.items[0] as { id: string }).id };
};

/** A key of the same tenant that lacks the route's scope (admin does not include read or trade). */
const weaker = (s: Scope): Scope => (s === 'read' || s === 'trade' ? (s === 'read' ? 'admin' : 'read') : 'trade');

describe.each(ROUTES)('$method $scope route %#', (r) => {
  it('without a key: 401', async () => {
    const res = await t.app.inject({ method: r.method, url: r.url(await ids()), ...(r.body !== undefined ? { payload: r.body as object } : {}) });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });

  it('with a made-up key: 401', async () => {
    const res = await t.app.inject({ method: r.method, url: r.url(await ids()), headers: auth(`lsk_0123456789abcdef_${'0'.repeat(48)}`), ...(r.body !== undefined ? { payload: r.body as object } : {}) });
    expect(res.statusCode).toBe(401);
  });

  it(`with a key without ${r.scope}: 403`, async () => {
    const res = await t.app.inject({ method: r.method, url: r.url(await ids()), headers: auth(t.keys.a[weaker(r.scope)]), ...(r.body !== undefined ? { payload: r.body as object } : {}) });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  if (r.scoped) {
    it("another tenant's id: 404 and no data", async () => {
      const res = await t.app.inject({ method: r.method, url: r.url(await ids()), headers: auth(t.keys.b[r.scope === 'read' ? 'trade' : r.scope]), ...(r.body !== undefined ? { payload: r.body as object } : {}) });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
      expect(res.body).not.toContain('VTI');
    });
  }

  if (r.body !== undefined) {
    it('malformed JSON: 400 naming the body', async () => {
      const res = await t.app.inject({ method: r.method, url: r.url(await ids()), headers: { ...auth(t.keys.a[r.scope]), 'content-type': 'application/json' }, payload: '{"id": "x", ' });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'BAD_REQUEST', path: 'body' } });
    });

    it('a schema violation: 400 with the field path', async () => {
      const res = await t.app.inject({ method: r.method, url: r.url(await ids()), headers: auth(t.keys.a[r.scope]), payload: { ...(r.body as object), unexpectedField: 1 } });
      expect(res.statusCode).toBe(400);
      expect(JSON.stringify(res.json())).toContain('body');
    });

    it('a body over the limit: 413', async () => {
      const big = 'x'.repeat(r.url(await ids()).endsWith('/imports') ? 11 * 1024 * 1024 : 1100 * 1024);
      const res = await t.app.inject({ method: r.method, url: r.url(await ids()), headers: { ...auth(t.keys.a[r.scope]), 'content-type': 'application/json' }, payload: JSON.stringify({ pad: big }) });
      expect(res.statusCode).toBe(413);
      expect(res.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    });
  }
});

describe('households', () => {
  it('are created, read, renamed with their version, and listed a page at a time', async () => {
    for (const id of ['p1', 'p2', 'p3']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/households', headers: auth(t.keys.a.trade), payload: { id, name: `Page ${id}`, settings: { filingStatus: 'single' }, taxProfile: { ordinaryTaxableIncome: '90000', state: 'NY' } } });
      expect(res.statusCode).toBe(201);
    }
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/households', headers: auth(t.keys.a.trade), payload: { id: 'p1', name: 'dup' } });
    expect(again.statusCode).toBe(409);
    const first = (await t.app.inject({ url: '/api/v1/households?limit=2', headers: auth(t.keys.a.read) })).json<{ items: { id: string }[]; next: string }>();
    expect(first.items).toHaveLength(2);
    const rest = (await t.app.inject({ url: `/api/v1/households?limit=500&after=${first.next}`, headers: auth(t.keys.a.read) })).json<{ items: { id: string }[]; next: null }>();
    const all = [...first.items, ...rest.items].map((h) => h.id);
    expect(all).toEqual([...all].sort());
    expect(all).toEqual(expect.arrayContaining(['hh-a', 'p1', 'p2', 'p3', 'washy']));
    expect(all).not.toContain('hh-b');
    const renamed = await t.app.inject({ method: 'PATCH', url: '/api/v1/households/p1', headers: auth(t.keys.a.trade), payload: { version: 1, name: 'First page' } });
    expect(renamed.json()).toMatchObject({ name: 'First page', version: 2 });
    const stale = await t.app.inject({ method: 'PATCH', url: '/api/v1/households/p1', headers: auth(t.keys.a.trade), payload: { version: 1, name: 'Lost update' } });
    expect(stale.statusCode).toBe(409);
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/households', headers: auth(t.keys.a.trade), payload: { id: 'p9', name: 'x', settings: { filingStatus: 'married' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { path: 'body.settings.filingStatus' } });
  });

  it('store SQL-ish and script-ish strings verbatim', async () => {
    const name = `Robert'); DROP TABLE households;-- <script>alert("x")</script> \u00e9\u{1F600}`;
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/households', headers: auth(t.keys.a.trade), payload: { id: "o'brien;--", name } });
    expect(res.statusCode).toBe(201);
    const read = await t.app.inject({ url: `/api/v1/households/${encodeURIComponent("o'brien;--")}`, headers: auth(t.keys.a.read) });
    expect(read.json()).toMatchObject({ id: "o'brien;--", name });
    expect(read.headers['content-type']).toContain('application/json');
    const account = await t.app.inject({ method: 'POST', url: `/api/v1/households/${encodeURIComponent("o'brien;--")}/accounts`, headers: auth(t.keys.a.trade), payload: { id: 'acct1', type: 'taxable', title: '<img src=x onerror=alert(1)>', custodian: "x' OR '1'='1" } });
    expect(account.json()).toMatchObject({ title: '<img src=x onerror=alert(1)>', custodian: "x' OR '1'='1" });
    expect((await t.app.inject({ url: '/api/v1/households?limit=500', headers: auth(t.keys.a.read) })).statusCode).toBe(200);
  });
});

describe('imports', () => {
  it('report a bad file as the CLI does, with file, row and field, and apply nothing', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/households/typo/imports',
      headers: auth(t.keys.a.trade),
      payload: { files: [{ name: 'accounts.csv', content: 'id,type,owner\njoint,taxable,self\n' }, { name: 'transactions.csv', content: 'id,date,account,action,symbol,shares,price,feez\ne1,2025-01-06,joint,buy,VOO,10,540.12,4.95\n' }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: {
        code: 'UNKNOWN_FIELD',
        message: 'transactions.csv, row 1, field feez: unknown field (did you mean "fees"?); a field of your own must start with "x_" [UNKNOWN_FIELD]',
        path: 'transactions.csv:row 1:feez',
      },
    });
    expect((await t.app.inject({ url: '/api/v1/households/typo', headers: auth(t.keys.a.read) })).statusCode).toBe(404);
  });

  it("into another tenant's household id create the caller's own household and leave the other untouched", async () => {
    const before = (await t.app.inject({ url: '/api/v1/households/hh-a', headers: auth(t.keys.a.read) })).json<{ version: number; eventCount: number }>();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/households/hh-a/imports', headers: auth(t.keys.b.trade), payload: { files: [{ name: 'washy.json', content: JSON.stringify(CASE) }] } });
    expect(res.json()).toMatchObject({ householdCreated: true, eventsAdded: 4 });
    expect((await t.app.inject({ url: '/api/v1/households/hh-a', headers: auth(t.keys.a.read) })).json()).toMatchObject(before);
  });

  it('are idempotent: the same file again adds nothing', async () => {
    const res = await importExample(t.app, t.keys.a.trade, 'hh-a');
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ eventsAdded: 0, householdCreated: false, files: [{ file: 'harvest-2025-04.json', known: 13 }] });
  });
});

describe('lots and gains', () => {
  it('values open lots at the closes of a date', async () => {
    const res = (await t.app.inject({ url: '/api/v1/households/washy/lots?date=2025-04-21', headers: auth(t.keys.a.read) })).json<{ asOf: string; openLots: { lotId: string; price: number; unrealizedGainLoss: number }[] }>();
    expect(res.asOf).toBe('2025-04-21');
    const joint = res.openLots.find((l) => l.lotId === 'e1');
    expect(joint?.price).toBeGreaterThan(200);
    expect(joint?.unrealizedGainLoss).toBeLessThan(0);
    const csv = await t.app.inject({ url: '/api/v1/households/washy/lots.csv?date=2025-04-21', headers: auth(t.keys.a.read) });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toBe('account,symbol,lot_id,shares,acquired_date,adjusted_acquisition_date,adjusted_basis,wash_adjustment,term,price,market_value,unrealized_gain_loss');
  });

  it('gives Form 8949 as JSON, CSV and TXF', async () => {
    const json = (await t.app.inject({ url: '/api/v1/households/hh-a/gains?year=2025', headers: auth(t.keys.a.read) })).json<Record<string, unknown>>();
    expect(Object.keys(json)).toEqual(['year', 'dispositions', 'openLots', 'totals']);
    const csv = await t.app.inject({ url: '/api/v1/households/hh-a/gains.csv?year=2025', headers: auth(t.keys.a.read) });
    expect(csv.headers['content-disposition']).toBe('attachment; filename="form8949-hh-a-2025.csv"');
    expect(csv.body.startsWith('part,description,date_acquired,date_sold,proceeds,cost_basis')).toBe(true);
    const txf = await t.app.inject({ url: '/api/v1/households/hh-a/gains.txf', headers: auth(t.keys.a.read) });
    expect(txf.body.startsWith('V042\nALotsmith\n')).toBe(true);
  });
});

describe('wash-sale calendar', () => {
  it('blocks loss sales of a security for 30 days after any purchase of it, in every taxable account', async () => {
    const res = (await t.app.inject({ url: '/api/v1/households/washy/wash-sales?date=2025-04-21', headers: auth(t.keys.a.read) })).json<{ items: { account: string; symbol: string; blocks: string; blockedThrough: string; reason: string }[] }>();
    expect(res.items).toEqual([
      expect.objectContaining({ account: 'joint', symbol: 'VTI', blocks: 'loss_sale', blockedThrough: '2025-05-10' }),
    ]);
    expect(res.items[0]?.reason).toContain('bought in ira on 2025-04-10');
    const later = (await t.app.inject({ url: '/api/v1/households/washy/wash-sales?date=2025-06-30', headers: auth(t.keys.a.read) })).json<{ items: unknown[] }>();
    expect(later.items).toEqual([]);
  });
});

describe('tax preview', () => {
  it('names the wash sale a sale would cause and why (IRA purchase 11 days before: disallowed for good)', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/households/washy/tax-preview', headers: auth(t.keys.a.read), payload: { date: '2025-04-21', lots: [{ lotId: 'e1' }] } });
    expect(res.statusCode).toBe(200);
    const p = res.json<{ sales: { gain: number; proceeds: number }[]; washSales: { disallowed: number; permanent: boolean; replacement: { account: string; date: string }; why: string }[]; realized: { shortTerm: number }; tax: { change: number }; washWindowEnd: string }>();
    const sale = p.sales[0] as { gain: number; proceeds: number };
    expect(sale.gain).toBeCloseTo(sale.proceeds - 3000, 2);
    expect(sale.gain).toBeLessThan(0);
    const wash = p.washSales[0] as (typeof p.washSales)[number];
    // 5 of the 10 shares sold are replaced by the IRA's 5: half the loss, never recovered.
    expect(wash.disallowed).toBeCloseTo(-sale.gain / 2, 2);
    expect(wash.permanent).toBe(true);
    expect(wash.replacement).toMatchObject({ account: 'ira', date: '2025-04-10' });
    expect(wash.why).toContain('traditional_ira');
    expect(p.realized.shortTerm).toBeCloseTo(sale.gain + wash.disallowed, 2);
    expect(p.tax.change).toBeLessThan(0);
    expect(p.washWindowEnd).toBe('2025-05-21');
    const after = (await t.app.inject({ url: '/api/v1/households/washy/lots?date=2025-04-21', headers: auth(t.keys.a.read) })).json<{ openLots: unknown[] }>();
    expect(after.openLots).toHaveLength(2);
  });

  it('chooses the lots of a withdrawal in tax order, after the cash', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/households/washy/tax-preview', headers: auth(t.keys.a.read), payload: { date: '2025-04-21', withdrawal: { account: 'joint', amount: '1000' } } });
    const p = res.json<{ sales: { lotId: string; shares: number }[]; proceeds: number; notes: string[] }>();
    expect(p.sales).toEqual([expect.objectContaining({ lotId: 'e1', shares: 4 })]);
    expect(p.proceeds).toBeGreaterThanOrEqual(1000);
    const tooMuch = await t.app.inject({ method: 'POST', url: '/api/v1/households/washy/tax-preview', headers: auth(t.keys.a.read), payload: { date: '2025-04-21', withdrawal: { account: 'joint', amount: '1000000' } } });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json()).toMatchObject({ error: { path: 'body.withdrawal.amount' } });
    const unknownLot = await t.app.inject({ method: 'POST', url: '/api/v1/households/washy/tax-preview', headers: auth(t.keys.a.read), payload: { date: '2025-04-21', lots: [{ lotId: 'nope' }] } });
    expect(unknownLot.json()).toMatchObject({ error: { code: 'NOT_FOUND', path: 'body.lots.0.lotId' } });
  });
});

describe('the run and its proposals', () => {
  it('reports a run with its totals and the households it could not decide', async () => {
    const list = (await t.app.inject({ url: '/api/v1/runs', headers: auth(t.keys.a.read) })).json<{ items: { id: string; status: string }[] }>();
    const run = (await t.app.inject({ url: `/api/v1/runs/${(list.items[0] as { id: string }).id}`, headers: auth(t.keys.a.read) })).json<{ status: string; notes: unknown[]; totals: { screened: number } }>();
    expect(run.status).toBe('done');
    expect(run.totals.screened).toBeGreaterThan(0);
    expect((await t.app.inject({ url: '/api/v1/runs', headers: auth(t.keys.b.read) })).json()).toEqual({ items: [], next: null });
    const noCloses = await t.app.inject({ method: 'POST', url: '/api/v1/runs', headers: auth(t.keys.a.trade), payload: { date: '2031-01-02' } });
    expect(noCloses.statusCode).toBe(422);
  });

  it('approves, exports, fills; rejects with a reason; refuses a second decision', async () => {
    const washyProposals = (await t.app.inject({ url: '/api/v1/proposals?household=washy&status=proposed', headers: auth(t.keys.a.read) })).json<{ items: { id: string; orders: { line: number; shares: string; side: string }[] }[] }>();
    const approved = await t.app.inject({ method: 'POST', url: `/api/v1/proposals/${proposalA}/approve`, headers: auth(t.keys.a.trade), payload: { date: '2025-04-21', version: 1 } });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', version: 2 });
    const twice = await t.app.inject({ method: 'POST', url: `/api/v1/proposals/${proposalA}/reject`, headers: auth(t.keys.a.trade), payload: { reason: 'too late' } });
    expect(twice.statusCode).toBe(409);
    const orders = await t.app.inject({ method: 'POST', url: '/api/v1/orders/export?format=csv', headers: auth(t.keys.a.trade) });
    expect(orders.body.split('\n')[0]).toBe('proposal,line,household,account,symbol,side,shares,reference_price,amount,lots,all_or_none');
    expect(orders.body).toContain(proposalA);
    const sent = (await t.app.inject({ url: `/api/v1/proposals/${proposalA}`, headers: auth(t.keys.a.read) })).json<{ status: string; orders: { line: number; side: string; shares: string; allOrNone?: boolean }[] }>();
    expect(sent.status).toBe('sent');
    const line = sent.orders.find((o) => o.side === 'sell') as { line: number; shares: string };
    const fill = { key: 'exec-1', proposal: proposalA, line: line.line, date: '2025-04-22', shares: line.shares, price: '250.10' };
    const filled = await t.app.inject({ method: 'POST', url: '/api/v1/fills', headers: auth(t.keys.a.trade), payload: { fills: [fill] } });
    expect(filled.json()).toMatchObject({ recorded: 1, eventsAdded: 1 });
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/fills', headers: auth(t.keys.a.trade), payload: { fills: [fill] } });
    expect(again.json()).toMatchObject({ recorded: 0, known: 1, eventsAdded: 0 });
    const foreign = await t.app.inject({ method: 'POST', url: '/api/v1/fills', headers: auth(t.keys.b.trade), payload: { fills: [{ ...fill, key: 'exec-2' }] } });
    expect(foreign.statusCode).toBe(404);
    if (washyProposals.items.length > 0) {
      const reason = `client said no'; DELETE FROM proposals;-- <b>bold</b>`;
      const rejected = await t.app.inject({ method: 'POST', url: `/api/v1/proposals/${(washyProposals.items[0] as { id: string }).id}/reject`, headers: auth(t.keys.a.trade), payload: { reason } });
      expect(rejected.json()).toMatchObject({ status: 'rejected', reason });
    }
  });
});

describe('backtests', () => {
  it('run as a job: queued, then done with progress and the report', async () => {
    await t.service.deps.backtests.idle();
    const job = (await t.app.inject({ url: `/api/v1/backtests/${backtestA}`, headers: auth(t.keys.a.read) })).json<{ status: string; progress: { done: number; total: number } }>();
    expect(job).toMatchObject({ status: 'done', progress: { done: 2, total: 2 } });
    const report = (await t.app.inject({ url: `/api/v1/backtests/${backtestA}/report`, headers: auth(t.keys.a.read) })).json<Record<string, unknown>>();
    expect(Object.keys(report).length).toBeGreaterThan(0);
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/backtests', headers: auth(t.keys.a.trade), payload: { config: { ...TINY_BACKTEST, strategies: ['daily_cost_benefit'] } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { path: 'body.config.strategies[0]' } });
  }, 120_000);
});

describe('keys', () => {
  it('are created once, listed without secrets, and stop working when revoked', async () => {
    const made = (await t.app.inject({ method: 'POST', url: '/api/v1/keys', headers: auth(t.keys.a.admin), payload: { name: 'robo', scopes: ['read'] } })).json<{ id: string; key: string }>();
    expect((await t.app.inject({ url: '/api/v1/me', headers: auth(made.key) })).json()).toEqual({ tenant: 'acme', keyId: made.id, scopes: ['read'] });
    const list = await t.app.inject({ url: '/api/v1/keys', headers: auth(t.keys.a.admin) });
    expect(list.body).not.toContain(made.key.slice(-48));
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/keys/${made.id}`, headers: auth(t.keys.a.admin) })).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/v1/me', headers: auth(made.key) })).statusCode).toBe(401);
  });
});

describe('service', () => {
  it('answers health, readiness, the OpenAPI document and its docs page without a key', async () => {
    expect((await t.app.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ url: '/ready' })).json()).toEqual({ status: 'ready' });
    const doc = (await t.app.inject({ url: '/openapi.json' })).json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/households', '/api/v1/households/{id}/tax-preview', '/api/v1/proposals/{id}/approve']));
    expect((await t.app.inject({ url: '/docs/' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/nothing', headers: auth(t.keys.a.read) })).json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
