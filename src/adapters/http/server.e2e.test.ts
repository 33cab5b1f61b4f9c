/**
 * End to end over a real socket against PostgreSQL: the service listening on a port, the daily run
 * queued on pg-boss and worked in process, a client that only speaks HTTP.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshPostgres, type TestDatabase } from '../store/testDatabases.test-util.js';
import { EXAMPLE, testApp, type TestApp } from './testApp.test-util.js';

let pg: TestDatabase;
let t: TestApp;
let base: string;

beforeAll(async () => {
  pg = await freshPostgres();
  t = await testApp(pg.target, { boss: true });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
}, 120_000);

afterAll(async () => {
  await t?.close();
  await pg?.drop();
});

const call = async (method: string, path: string, key: string | undefined, body?: unknown): Promise<{ status: number; json: unknown; text: string }> => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(key !== undefined ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, text, json: res.headers.get('content-type')?.includes('json') === true ? JSON.parse(text) : undefined };
};

it('imports, runs the day on the queue, approves and downloads Form 8949 over HTTP', async () => {
  const key = t.keys.a.trade;
  expect((await call('GET', '/ready', undefined)).status).toBe(200);
  expect((await call('GET', '/api/v1/households', undefined)).status).toBe(401);
  const imported = await call('POST', '/api/v1/households/e2e/imports', key, { files: [{ name: 'harvest-2025-04.json', content: readFileSync(EXAMPLE, 'utf8') }] });
  expect(imported.status).toBe(201);
  const started = await call('POST', '/api/v1/runs', key, { date: '2025-04-21' });
  expect(started.status).toBe(202);
  const runId = (started.json as { run: { id: string } }).run.id;
  let status = 'running';
  for (let i = 0; i < 120 && status !== 'done'; i++) {
    await new Promise((r) => setTimeout(r, 500));
    status = ((await call('GET', `/api/v1/runs/${runId}`, key)).json as { status: string }).status;
  }
  expect(status).toBe('done');
  const proposals = (await call('GET', '/api/v1/proposals?status=proposed', key)).json as { items: { id: string; household: string }[] };
  const mine = proposals.items.find((p) => p.household === 'e2e');
  expect(mine).toBeDefined();
  const approved = await call('POST', `/api/v1/proposals/${mine?.id ?? ''}/approve`, key, { date: '2025-04-21' });
  expect(approved.json).toMatchObject({ status: 'approved' });
  expect((await call('GET', `/api/v1/proposals/${mine?.id ?? ''}`, t.keys.b.trade)).status).toBe(404);
  const csv = await call('GET', '/api/v1/households/e2e/gains.csv', key);
  expect(csv.status).toBe(200);
  expect(csv.text.startsWith('part,description')).toBe(true);
}, 180_000);
