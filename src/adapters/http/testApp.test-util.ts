/**
 * A service for route tests: the real stores on a real database (in-memory PGlite, or a scratch
 * PostgreSQL database), the fixture's real closes of 2025 in the book, two tenants with keys of
 * every scope, and the example household imported through the API.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createApiKey, type Scope } from '../../app/apiKeys.js';
import { tenantId, type TenantId } from '../../app/ports.js';
import { parseDay, type Day } from '../../core/kernel/calendar.js';
import { loadPriceBook, SAMPLE_PRICES } from '../files/priceDirectory.js';
import { priceRecords } from '../files/priceRecords.js';
import { openDatabase, type Database, type StoreTarget } from '../store/database.js';
import { buildApp } from './app.js';
import { openService, type Service } from './service.js';

export const TENANT_A = tenantId('acme');
export const TENANT_B = tenantId('globex');

export interface TestApp {
  readonly app: FastifyInstance;
  readonly database: Database;
  readonly service: Service;
  /** Keys by tenant and scope set: keys.a.read, keys.a.trade, keys.a.admin, keys.b.… */
  readonly keys: { readonly a: Record<'read' | 'trade' | 'admin', string>; readonly b: Record<'read' | 'trade' | 'admin', string> };
  close(): Promise<void>;
}

export async function testApp(target: StoreTarget = { kind: 'pglite', dir: undefined }, options: { readonly boss?: boolean } = {}): Promise<TestApp> {
  const database = await openDatabase(target);
  const service = await openService(database, { boss: options.boss ?? false, pricesDir: SAMPLE_PRICES, backtestWorkers: 1, onJobError: (err) => { throw err; } });
  const { book, keys } = service.deps;
  const loaded = loadPriceBook(SAMPLE_PRICES);
  await service.deps.prices.put(priceRecords(loaded.book, parseDay('2024-11-01') as Day, parseDay('2025-12-31') as Day));
  const make = async (tenant: TenantId): Promise<Record<'read' | 'trade' | 'admin', string>> => {
    await book.ensureTenant(tenant, tenant);
    const one = async (scopes: Scope[]): Promise<string> => {
      const k = await createApiKey(keys, { tenant, name: scopes.join('+'), scopes });
      if (!k.ok) throw new Error('key');
      return k.value.key;
    };
    return { read: await one(['read']), trade: await one(['trade']), admin: await one(['admin']) };
  };
  const keyset = { a: await make(TENANT_A), b: await make(TENANT_B) };
  const app = await buildApp(service.deps);
  return {
    app,
    database,
    service,
    keys: keyset,
    async close() {
      await app.close();
      await service.stop();
      await database.close();
    },
  };
}

export const EXAMPLE = 'examples/households/harvest-2025-04.json';

/** Imports the example household (JSON case) as `id` with `key`. */
export function importExample(app: FastifyInstance, key: string, id: string): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `/api/v1/households/${encodeURIComponent(id)}/imports`,
    headers: { authorization: `Bearer ${key}` },
    payload: { files: [{ name: 'harvest-2025-04.json', content: readFileSync(EXAMPLE, 'utf8') }] },
  });
}

export const auth = (key: string): { authorization: string } => ({ authorization: `Bearer ${key}` });
