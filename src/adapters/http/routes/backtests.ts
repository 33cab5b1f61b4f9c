/** Backtests as jobs: submit a config, poll its status and progress, fetch its report (results JSON). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { reply, tenantOf, type RouteContext } from '../context.js';
import { ApiError } from '../errors.js';
import { BacktestBody, IdParams } from '../schemas.js';

export function backtestRoutes(app: FastifyInstance, { deps }: RouteContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const TAG = ['backtests'];

  api.post('/backtests', { schema: { tags: TAG, summary: 'Submit a backtest config (as data/backtest-default.json); it runs as a job', body: BacktestBody }, config: { scope: 'trade' } }, async (req, res) => {
    const submitted = await deps.backtests.submit(tenantOf(req), req.body.config);
    return reply(res, submitted, (v) => v, 202);
  });

  api.get('/backtests/:id', { schema: { tags: TAG, summary: "A backtest job's status and progress", params: IdParams }, config: { scope: 'read' } }, async (req) => {
    const job = await deps.backtests.get(tenantOf(req), req.params.id);
    if (job === undefined) throw new ApiError(404, 'NOT_FOUND', `no backtest "${req.params.id}"`, 'params.id');
    return job;
  });

  api.get('/backtests/:id/report', { schema: { tags: TAG, summary: "A done backtest's report (the results JSON of `lotsmith backtest --format json`)", params: IdParams }, config: { scope: 'read' } }, async (req) => {
    const report = await deps.backtests.report(tenantOf(req), req.params.id);
    if (report === undefined) throw new ApiError(404, 'NOT_FOUND', `no backtest "${req.params.id}"`, 'params.id');
    if (report === null) throw new ApiError(409, 'CONFLICT', `backtest ${req.params.id} is not done yet: poll /backtests/${req.params.id}`);
    return report;
  });
}
