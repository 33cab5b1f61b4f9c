/**
 * What every route module gets: the service's ports (wired once by the server, or by a test), and
 * the helpers that keep routes to parse → one use case → render.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KeyCache, KeyStore, Principal, Scope } from '../../app/apiKeys.js';
import type { SetupDecoder } from '../../app/dailyRun.js';
import type { BookStore, Clock, MarketSource, TaxTables, TenantId } from '../../app/ports.js';
import type { BatchQueue, PriceStore, RunStore } from '../../app/runPorts.js';
import type { Result } from '../../core/kernel/errors.js';
import type { Universe } from '../../core/securities/universe.js';
import type { BacktestJobs } from '../jobs/backtestJobs.js';
import { ApiError, issuesError } from './errors.js';

export interface ApiDeps {
  readonly book: BookStore;
  readonly runs: RunStore;
  readonly prices: PriceStore;
  readonly market: MarketSource;
  readonly keys: KeyStore;
  readonly tax: TaxTables;
  readonly universe: Universe;
  readonly setups: SetupDecoder;
  readonly queue: BatchQueue;
  readonly clock: Clock;
  readonly backtests: BacktestJobs;
  /** Whether the store answers (for /ready). */
  readonly ping: () => Promise<boolean>;
}


export interface RouteContext {
  readonly deps: ApiDeps;
  readonly cache: KeyCache;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** The scope a route needs; routes without one are public (health, docs, the dashboard). */
    scope?: Scope;
  }
}

export function tenantOf(request: FastifyRequest): TenantId {
  if (request.principal === null) throw new ApiError(401, 'UNAUTHORIZED', 'send an API key: Authorization: Bearer lsk_…');
  return request.principal.tenant;
}

/** Sends a use case's value through `render`, or its issues as the error shape. */
export function reply<T>(res: FastifyReply, result: Result<T>, render: (value: T) => unknown, status = 200, where = 'body'): FastifyReply {
  if (!result.ok) {
    const e = issuesError(result.issues, where);
    return res.code(e.status).send(e.body);
  }
  return res.code(status).send(render(result.value));
}

/** A rendered JSON document (the CLI's renderers return text). */
export function sendJsonText(res: FastifyReply, text: string, status = 200): FastifyReply {
  return res.code(status).type('application/json; charset=utf-8').send(text);
}
