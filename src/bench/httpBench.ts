/**
 * The HTTP API under load: the demo book (example households and `clients` generated clients on
 * real closes, the day's harvest run) in a fresh PostgreSQL database, the service listening on a
 * port, and autocannon (in its own worker thread) driving `connections` concurrent clients for
 * `seconds` at each of
 *  - GET /health — no key, no database: the framework's floor, the baseline of the ratios;
 *  - GET a household's open lots, valued at the latest closes (read the events, book, value);
 *  - GET the proposals list (a page of 50 with orders and candidates);
 *  - POST a tax-impact preview of a withdrawal (book, choose lots, book again, tax before/after).
 * Reports requests/s, p50 and p99 latency, and each route's requests/s as a share of /health's.
 */
import autocannon from 'autocannon';
import { createApiKey } from '../app/apiKeys.js';
import { buildApp } from '../adapters/http/app.js';
import { DEMO_TENANT, seedDemo } from '../adapters/http/demoSeed.js';
import { openService } from '../adapters/http/service.js';
import { openDatabase } from '../adapters/store/database.js';
import { scratchDatabase } from '../adapters/store/scratchDatabase.js';
import { fmt, report } from './harness.js';

export interface HttpBenchSpec {
  readonly server: string;
  readonly pricesDir: string;
  readonly seconds: number;
  readonly connections: number;
  readonly clients: number;
}

interface Target {
  readonly label: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
}

export async function runHttpBench(spec: HttpBenchSpec): Promise<void> {
  const scratch = await scratchDatabase(spec.server, 'lotsmith_bench_http');
  const database = await openDatabase({ kind: 'postgres', url: scratch.url }, { poolSize: 10 });
  try {
    const service = await openService(database, { boss: false, pricesDir: spec.pricesDir });
    const setupStarted = performance.now();
    const seeded = await seedDemo(service, { pricesDir: spec.pricesDir, clients: spec.clients });
    const key = await createApiKey(service.deps.keys, { tenant: DEMO_TENANT, name: 'bench', scopes: ['read'] });
    if (!key.ok) throw new Error('bench key');
    const app = await buildApp(service.deps);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    const targets: Target[] = [
      { label: 'GET /health (baseline: no key, no database)', method: 'GET', path: '/health' },
      { label: 'GET /households/:id/lots', method: 'GET', path: '/api/v1/households/client-001/lots' },
      { label: 'GET /proposals?limit=50', method: 'GET', path: '/api/v1/proposals?limit=50' },
      { label: 'POST /households/:id/tax-preview (withdrawal)', method: 'POST', path: '/api/v1/households/client-001/tax-preview', body: { withdrawal: { account: 'joint', amount: '10000' } } },
    ];
    const rows: [string, string][] = [];
    let baseline = 0;
    for (const t of targets) {
      const r = await autocannon({
        url: `${base}${t.path}`,
        method: t.method,
        connections: spec.connections,
        duration: spec.seconds,
        workers: 1,
        headers: { authorization: `Bearer ${key.value.key}`, ...(t.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(t.body !== undefined ? { body: JSON.stringify(t.body) } : {}),
      });
      const rps = r.requests.average;
      if (baseline === 0) baseline = rps;
      const failed = r.non2xx + r.errors + r.timeouts;
      rows.push([t.label, `${fmt(rps, 0)} req/s, p50 ${fmt(r.latency.p50, 1)} ms, p99 ${fmt(r.latency.p99, 1)} ms; ${fmt((rps / baseline) * 100, 1)} % of /health${failed > 0 ? `; ${fmt(failed)} failed` : ''}`]);
    }
    report(
      `HTTP API on PostgreSQL (${seeded.households} households, proposals of ${seeded.latestClose === undefined ? 'no run' : 'the latest close'}; ${spec.connections} connections, ${spec.seconds} s per route; setup ${setupSeconds.toFixed(0)} s)`,
      rows,
    );
    await app.close();
    await service.stop();
  } finally {
    await database.close();
    await scratch.drop();
  }
}
