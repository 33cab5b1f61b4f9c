/**
 * A household's book: imports (uploads through the import use case, as `lotsmith import`), open
 * lots (valued at the book's closes), realized gains as JSON, Form 8949 CSV and TXF, and the
 * tax-impact preview of a sale or withdrawal.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { bookHousehold, householdEvents } from '../../../app/bookHousehold.js';
import { holdingsOn } from '../../../app/holdings.js';
import { importFiles } from '../../../app/importFiles.js';
import { householdId, type NewHousehold } from '../../../app/ports.js';
import { washCalendar } from '../../../app/washCalendar.js';
import { previewSale, type PreviewSale, type TaxPreview } from '../../../app/taxPreview.js';
import { formatDay, lastDayOfYear, parseDay, type Day } from '../../../core/kernel/calendar.js';
import type { Issue } from '../../../core/kernel/errors.js';
import { exact, toNumber, type Shares, type Usd } from '../../../core/kernel/exact.js';
import { book } from '../../../core/ledger/booking.js';
import { form8949 } from '../../../core/ledger/form8949.js';
import { accountId, DEFAULT_SETTINGS } from '../../../core/ledger/household.js';
import { FILE_FORMATS } from '../../brokers/formats.js';
import { gainsCsv, gainsJson, gainsTxf, type GainsView } from '../../render/gains.js';
import { importJson } from '../../render/imports.js';
import { lotsCsv, lotsJson } from '../../render/lots.js';
import { reply, sendJsonText, tenantOf, type RouteContext } from '../context.js';
import { ApiError, issuesError } from '../errors.js';
import { DateQuery, IdParams, ImportBody, TaxPreviewBody, YearQuery } from '../schemas.js';
import { readUploads } from '../uploads.js';

const TAG = ['book'];
export const IMPORT_BODY_LIMIT = 10 * 1024 * 1024;

const notFound = (id: string): ApiError => new ApiError(404, 'NOT_FOUND', `no household "${id}"`, 'params.id');

export function holdingRoutes(app: FastifyInstance, { deps }: RouteContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/households/:id/imports',
    {
      schema: { tags: TAG, summary: 'Import case files or broker exports into a household (atomic, idempotent; created when missing)', params: IdParams, body: ImportBody },
      config: { scope: 'trade' },
      bodyLimit: IMPORT_BODY_LIMIT,
    },
    async (req, res) => {
      const b = req.body;
      const read = readUploads(b.files, FILE_FORMATS, b.name ?? req.params.id);
      if (!read.ok) {
        const e = issuesError(read.issues);
        return res.code(e.status).send(e.body);
      }
      const create: NewHousehold = read.value.caseHousehold ?? { name: b.name ?? req.params.id, settings: DEFAULT_SETTINGS, documents: {} };
      const result = await importFiles(deps.book, {
        tenant: tenantOf(req),
        household: householdId(req.params.id),
        sources: read.value.sources,
        create: b.name !== undefined ? { ...create, name: b.name } : create,
        ...(b.account !== undefined ? { account: accountId(b.account) } : {}),
        ...(b.accountType !== undefined ? { accountType: b.accountType } : {}),
        ...(b.rebook === true ? { allowBackdated: true } : {}),
      });
      if (!result.ok) {
        const e = issuesError(result.issues);
        return res.code(e.status === 404 ? 400 : e.status).send(e.body);
      }
      return sendJsonText(res, importJson(result.value), 201);
    },
  );

  const lotsOf = async (tenant: ReturnType<typeof tenantOf>, id: string, date: string | undefined) => {
    const found = await householdEvents(deps.book, tenant, householdId(id));
    if (!found.ok) throw notFound(id);
    const { stored, events } = found.value;
    let asOf: Day | undefined = date === undefined ? undefined : parseDay(date);
    if (asOf === undefined) {
      const latest = await deps.prices.latestDate();
      asOf = latest !== undefined && (stored.lastEventDate === undefined || latest >= stored.lastEventDate) ? latest : undefined;
    }
    const valued = await holdingsOn({ market: deps.market }, { household: stored.household, events, ...(asOf !== undefined ? { asOf } : {}) });
    // Without a date asked for, a book the closes do not cover is still shown, unvalued.
    if (!valued.ok && date === undefined) {
      const plain = await holdingsOn({}, { household: stored.household, events });
      if (plain.ok) return { ok: true as const, value: { ...plain.value, notes: [`not valued: ${valued.issues.map((i) => i.message).join('; ')}`] } };
    }
    return valued;
  };

  api.get('/households/:id/lots', { schema: { tags: TAG, summary: 'Open lots valued at the closes of a date (default: the latest in the book)', params: IdParams, querystring: DateQuery }, config: { scope: 'read' } }, async (req, res) => {
    const held = await lotsOf(tenantOf(req), req.params.id, req.query.date);
    return reply(res, held, (h) => ({
      ...(JSON.parse(lotsJson({ asOf: h.asOf, lots: h.lots, cash: h.cash })) as Record<string, unknown>),
      tradingDay: h.tradingDay === undefined ? null : formatDay(h.tradingDay),
      notes: h.notes,
    }), 200, 'query');
  });

  api.get('/households/:id/lots.csv', { schema: { tags: TAG, summary: 'Open lots as CSV (as `lotsmith lots --format csv`)', params: IdParams, querystring: DateQuery }, config: { scope: 'read' } }, async (req, res) => {
    const held = await lotsOf(tenantOf(req), req.params.id, req.query.date);
    if (!held.ok) return reply(res, held, () => null, 200, 'query');
    return res
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="lots-${safeName(req.params.id)}.csv"`)
      .send(lotsCsv({ asOf: held.value.asOf, lots: held.value.lots, cash: held.value.cash }));
  });

  const gainsOf = async (tenant: ReturnType<typeof tenantOf>, id: string, year: number | undefined): Promise<GainsView | Issue[]> => {
    const booked = await bookHousehold(deps.book, tenant, householdId(id));
    if (!booked.ok) {
      if (booked.issues.some((i) => i.code === 'NOT_FOUND')) throw notFound(id);
      return [...booked.issues];
    }
    let openLots = booked.value.openLots;
    if (year !== undefined) {
      const found = await householdEvents(deps.book, tenant, householdId(id));
      if (!found.ok) throw notFound(id);
      const atYearEnd = book(found.value.stored.household, found.value.events, { through: lastDayOfYear(year) });
      if (!atYearEnd.ok) return [...atYearEnd.issues];
      openLots = atYearEnd.value.openLots;
    }
    return { report: form8949(booked.value, year), openLots, explain: true };
  };

  const gainsRoute = (suffix: '' | '.csv' | '.txf', summary: string) =>
    api.get(`/households/:id/gains${suffix}`, { schema: { tags: TAG, summary, params: IdParams, querystring: YearQuery }, config: { scope: 'read' } }, async (req, res) => {
      const view = await gainsOf(tenantOf(req), req.params.id, req.query.year);
      if (Array.isArray(view)) {
        const e = issuesError(view);
        return res.code(e.status).send(e.body);
      }
      const file = `form8949-${safeName(req.params.id)}${req.query.year !== undefined ? `-${req.query.year}` : ''}`;
      if (suffix === '.csv') return res.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file}.csv"`).send(gainsCsv({ ...view, explain: false }));
      if (suffix === '.txf') return res.type('text/plain; charset=utf-8').header('content-disposition', `attachment; filename="${file}.txf"`).send(gainsTxf({ ...view, explain: false }, deps.clock.today()));
      return sendJsonText(res, gainsJson(view));
    });
  gainsRoute('', 'Form 8949 rows with wash sales explained, Schedule D totals and open lots');
  gainsRoute('.csv', 'Form 8949 CSV for a tax preparer');
  gainsRoute('.txf', 'TXF v042 (Form 8949 box A) for tax software');

  api.post(
    '/households/:id/tax-preview',
    {
      schema: { tags: TAG, summary: 'What selling named lots, or raising a withdrawal, would realize, cost in tax and wash — nothing is written', params: IdParams, body: TaxPreviewBody },
      config: { scope: 'read' },
    },
    async (req, res) => {
      const b = req.body;
      const problems: Issue[] = [];
      let sale: PreviewSale;
      if ('lots' in b) {
        sale = {
          kind: 'lots',
          lots: b.lots.map((l, i) => {
            if (l.shares === undefined) return { lotId: l.lotId };
            const s = exact('shares', l.shares);
            if (!s.ok) problems.push({ code: 'BAD_NUMBER', message: s.reason, at: { field: `lots.${i}.shares` } });
            return { lotId: l.lotId, shares: (s.ok ? s.value : 0) as Shares };
          }),
        };
      } else {
        const amount = exact('usd', b.withdrawal.amount);
        if (!amount.ok) problems.push({ code: 'BAD_NUMBER', message: amount.reason, at: { field: 'withdrawal.amount' } });
        sale = { kind: 'withdrawal', account: accountId(b.withdrawal.account), amount: (amount.ok ? amount.value : 0) as Usd };
      }
      if (problems.length > 0) {
        const e = issuesError(problems);
        return res.code(e.status).send(e.body);
      }
      const tenant = tenantOf(req);
      const stored = await deps.book.tenant(tenant).household(householdId(req.params.id));
      if (stored === undefined) throw notFound(req.params.id);
      const date = b.date !== undefined ? (parseDay(b.date) as Day) : await defaultDate(stored.lastEventDate);
      const preview = await previewSale(deps, { tenant, household: householdId(req.params.id), date, sale });
      return reply(res, preview, previewJson);
    },
  );

  api.get(
    '/households/:id/wash-sales',
    { schema: { tags: TAG, summary: 'The wash-sale calendar on a date: purchases and loss sales blocked, through which day, and why', params: IdParams, querystring: DateQuery }, config: { scope: 'read' } },
    async (req, res) => {
      const tenant = tenantOf(req);
      const stored = await deps.book.tenant(tenant).household(householdId(req.params.id));
      if (stored === undefined) throw notFound(req.params.id);
      const date = req.query.date !== undefined ? (parseDay(req.query.date) as Day) : await defaultDate(stored.lastEventDate);
      const calendar = await washCalendar(deps.book, tenant, householdId(req.params.id), date);
      return reply(res, calendar, (c) => ({
        date: formatDay(c.date),
        items: c.items.map((b) => ({ ...b, blockedThrough: formatDay(b.blockedThrough), eventDate: formatDay(b.eventDate), saleId: b.blocks === 'purchase' ? b.eventId : null, lossSaleDate: b.blocks === 'purchase' ? formatDay(b.eventDate) : null })),
      }));
    },
  );

  const defaultDate = async (lastEvent: Day | undefined): Promise<Day> => {
    const latest = await deps.prices.latestDate();
    if (latest === undefined) return lastEvent ?? deps.clock.today();
    return lastEvent !== undefined && lastEvent > latest ? lastEvent : latest;
  };
}

const safeName = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_');
const usd = (v: number): number => toNumber('usd', v);

function previewJson(p: TaxPreview): Record<string, unknown> {
  return {
    date: formatDay(p.date),
    tradingDay: formatDay(p.tradingDay),
    sales: p.lines.map((l) => ({
      account: l.account,
      symbol: l.symbol,
      lotId: l.lotId,
      shares: toNumber('shares', l.shares),
      price: toNumber('price', l.price),
      proceeds: usd(l.proceeds),
      basis: usd(l.basis),
      gain: usd(l.gain),
      disallowed: usd(l.disallowed),
      term: l.term,
      taxable: l.taxable,
    })),
    proceeds: usd(p.proceeds),
    realized: { shortTerm: usd(p.realized.shortTerm), longTerm: usd(p.realized.longTerm) },
    tax: p.tax === undefined ? null : { year: p.tax.year, before: usd(p.tax.before), after: usd(p.tax.after), change: usd(p.tax.change) },
    washSales: p.washSales.map((w) => ({
      account: w.account,
      symbol: w.symbol,
      lotId: w.lotId,
      loss: usd(w.loss),
      disallowed: usd(w.disallowed),
      permanent: w.permanent,
      replacement: { ...w.replacement, date: formatDay(w.replacement.date) },
      why: w.why,
    })),
    washWindowEnd: p.washWindowEnd === undefined ? null : formatDay(p.washWindowEnd),
    notes: p.notes,
  };
}
