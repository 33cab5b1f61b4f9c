/** The daily run and the proposals' life: trigger a run, its status and per-household notes; list, approve and reject proposals; export orders; book fills. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requestDailyRun } from '../../../app/dailyRun.js';
import { householdId, type TenantId } from '../../../app/ports.js';
import { approveProposal, exportOrders, importFills, type FillReport } from '../../../app/proposals.js';
import type { ProposalRecord, RunNote, RunRecord } from '../../../app/runPorts.js';
import { parseDay, type Day } from '../../../core/kernel/calendar.js';
import type { Issue } from '../../../core/kernel/errors.js';
import { exact, format, type Price, type Shares, type Usd } from '../../../core/kernel/exact.js';
import { ordersCsv, proposalsJson, runJson } from '../../render/runs.js';
import { rejectProposal } from '../../../app/proposals.js';
import { reply, tenantOf, type RouteContext } from '../context.js';
import { ApiError, issuesError } from '../errors.js';
import { ApproveBody, FillsBody, IdParams, OrdersQuery, PageQuery, ProposalQuery, RejectBody, RunBody } from '../schemas.js';

const runDoc = (r: RunRecord, notes: readonly RunNote[] = []): unknown => JSON.parse(runJson(r, notes));
/** The CLI's proposal documents, each candidate with its term, replacement and economics (benefit, spread, opportunity cost, net) for review. */
function proposalDocs(list: readonly ProposalRecord[]): unknown[] {
  const docs = JSON.parse(proposalsJson(list)) as { candidates: Record<string, unknown>[] }[];
  return docs.map((d, i) => ({
    ...d,
    candidates: d.candidates.map((c, j) => {
      const r = list[i]?.candidates[j];
      const e = r?.economics;
      return {
        ...c,
        term: r?.term ?? null,
        replacement: r?.replacement ?? null,
        economics:
          e === undefined
            ? null
            : { benefit: format('usd', e.benefit.total), spreadCost: format('usd', e.spreadCost), commission: format('usd', e.commission), opportunityCost: format('usd', e.opportunityCost), net: format('usd', e.net) },
      };
    }),
  }));
}

export function runRoutes(app: FastifyInstance, { deps }: RouteContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const runDeps = { runs: deps.runs, market: deps.market, tax: deps.tax, universe: deps.universe, setups: deps.setups, queue: deps.queue };

  const latestClose = async (): Promise<Day> => (await deps.prices.latestDate()) ?? deps.clock.today();

  api.post('/runs', { schema: { tags: ['runs'], summary: "Start the daily run of a date (or find it); its batches run in the background", body: RunBody }, config: { scope: 'trade' } }, async (req, res) => {
    const started = await requestDailyRun(runDeps, { tenant: tenantOf(req), date: parseDay(req.body.date) as Day, replace: req.body.replace === true });
    return reply(res, started, (v) => ({ run: runDoc(v.run), created: v.created }), 202);
  });

  api.get('/runs', { schema: { tags: ['runs'], summary: 'The runs of the tenant, latest first', querystring: PageQuery }, config: { scope: 'read' } }, async (req) => {
    const page = await deps.runs.tenant(tenantOf(req)).runs({ limit: req.query.limit, ...(req.query.after !== undefined ? { after: req.query.after } : {}) });
    return { items: page.items.map((r) => runDoc(r)), next: page.next ?? null };
  });

  api.get('/runs/:id', { schema: { tags: ['runs'], summary: "A run's status and totals, and the households it could not decide (with why)", params: IdParams }, config: { scope: 'read' } }, async (req) => {
    const runs = deps.runs.tenant(tenantOf(req));
    const run = await runs.run(req.params.id);
    if (run === undefined) throw new ApiError(404, 'NOT_FOUND', `no run "${req.params.id}"`, 'params.id');
    return runDoc(run, await runs.notes(run.id));
  });

  api.get('/proposals', { schema: { tags: ['proposals'], summary: 'Proposals, filtered by status, household or run date', querystring: ProposalQuery }, config: { scope: 'read' } }, async (req) => {
    const q = req.query;
    const page = await deps.runs.tenant(tenantOf(req)).proposals(
      { ...(q.status !== undefined ? { status: q.status } : {}), ...(q.household !== undefined ? { household: householdId(q.household) } : {}), ...(q.runDate !== undefined ? { runDate: parseDay(q.runDate) as Day } : {}) },
      { limit: q.limit, ...(q.after !== undefined ? { after: q.after } : {}) },
    );
    return { items: proposalDocs(page.items), next: page.next ?? null };
  });

  const oneProposal = async (tenant: TenantId, id: string): Promise<ProposalRecord> => {
    const p = await deps.runs.tenant(tenant).proposal(id);
    if (p === undefined) throw new ApiError(404, 'NOT_FOUND', `no proposal "${id}"`, 'params.id');
    return p;
  };

  api.get('/proposals/:id', { schema: { tags: ['proposals'], summary: 'A proposal: orders, candidates with verdicts and sentences, status', params: IdParams }, config: { scope: 'read' } }, async (req) => {
    return proposalDocs([await oneProposal(tenantOf(req), req.params.id)])[0];
  });

  api.post(
    '/proposals/:id/approve',
    { schema: { tags: ['proposals'], summary: 'Approve a proposal (re-priced at the closes of `date`, default the latest in the book)', params: IdParams, body: ApproveBody }, config: { scope: 'trade' } },
    async (req, res) => {
      const tenant = tenantOf(req);
      await oneProposal(tenant, req.params.id);
      const date = req.body.date !== undefined ? (parseDay(req.body.date) as Day) : await latestClose();
      const approved = await approveProposal(deps, { tenant, id: req.params.id, date, ...(req.body.version !== undefined ? { version: req.body.version } : {}) });
      return reply(res, approved, (p) => proposalDocs([p])[0]);
    },
  );

  api.post('/proposals/:id/reject', { schema: { tags: ['proposals'], summary: 'Reject a proposal, saying why', params: IdParams, body: RejectBody }, config: { scope: 'trade' } }, async (req, res) => {
    const tenant = tenantOf(req);
    await oneProposal(tenant, req.params.id);
    const rejected = await rejectProposal(deps.runs, { tenant, id: req.params.id, reason: req.body.reason, ...(req.body.version !== undefined ? { version: req.body.version } : {}) });
    return reply(res, rejected, (p) => proposalDocs([p])[0]);
  });

  api.post('/orders/export', { schema: { tags: ['orders'], summary: "The approved proposals' orders for the custodian; each exported proposal becomes sent", querystring: OrdersQuery }, config: { scope: 'trade' } }, async (req, res) => {
    const orders = await exportOrders(deps.runs, tenantOf(req));
    if (req.query.format === 'csv') return res.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="orders.csv"').send(ordersCsv(orders));
    return {
      items: orders.map((o) => ({
        ...o,
        shares: format('shares', o.shares),
        price: format('price', o.price),
        amount: o.amount === undefined ? null : format('usd', o.amount),
        lots: o.lots.map((l) => ({ lotId: l.lotId, shares: format('shares', l.shares) })),
      })),
    };
  });

  api.post('/fills', { schema: { tags: ['orders'], summary: 'Book fills of sent orders as ledger events (idempotent by key)', body: FillsBody }, config: { scope: 'trade' } }, async (req, res) => {
    const problems: Issue[] = [];
    const num = <U extends 'shares' | 'price' | 'usd'>(unit: U, v: string | number, field: string) => {
      const r = exact(unit, v);
      if (!r.ok) problems.push({ code: 'BAD_NUMBER', message: r.reason, at: { field } });
      return r.ok ? r.value : 0;
    };
    const fills: FillReport[] = req.body.fills.map((f, i) => ({
      key: f.key,
      proposal: f.proposal,
      line: f.line,
      date: parseDay(f.date) as Day,
      shares: num('shares', f.shares, `fills.${i}.shares`) as Shares,
      price: num('price', f.price, `fills.${i}.price`) as Price,
      fees: num('usd', f.fees ?? 0, `fills.${i}.fees`) as Usd,
      source: { file: 'request', row: i + 1 },
    }));
    if (problems.length > 0) {
      const e = issuesError(problems);
      return res.code(e.status).send(e.body);
    }
    const booked = await importFills(deps, tenantOf(req), fills);
    return reply(res, booked, (v) => v);
  });
}
