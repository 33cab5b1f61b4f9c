/**
 * The demo book of `npm start`, seeded in process on the compact real sample: the example
 * households and generated clients imported, the day's run done with proposals, the key kept for
 * the next start, and a second start that changes nothing. Also `lotsmith keys`: a key printed
 * once, accepted by the API, listed without its secret, revoked.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { authenticate } from '../../app/apiKeys.js';
import { lotsmith } from '../cli/testIo.test-util.js';
import { SAMPLE_PRICES } from '../files/priceDirectory.js';
import { openDatabase } from '../store/database.js';
import { keyStore } from '../store/keyStore.js';
import { DEMO_TENANT, demoKey, seedDemo } from './demoSeed.js';
import { openService } from './service.js';

const dir = mkdtempSync(join(tmpdir(), 'lotsmith-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('seeds once: example and generated households on real closes, the latest day run, the key kept', async () => {
  const database = await openDatabase({ kind: 'pglite', dir });
  try {
    const service = await openService(database, { backtestWorkers: 1 });
    const first = await seedDemo(service, { pricesDir: SAMPLE_PRICES, clients: 3 });
    expect(first).toMatchObject({ seeded: true, households: 7, problems: [] });
    expect(first.latestClose).toBe(await service.deps.prices.latestDate());
    const run = await service.deps.runs.tenant(DEMO_TENANT).run(first.runId as string);
    expect(run).toMatchObject({ status: 'done', households: 7 });
    const proposals = await service.deps.runs.tenant(DEMO_TENANT).proposals({}, { limit: 50 });
    expect(proposals.items.length).toBeGreaterThan(0);
    const key = await demoKey(service, dir);
    expect(readFileSync(join(dir, 'demo-key'), 'utf8').trim()).toBe(key);
    expect(await authenticate(service.deps.keys, key)).toMatchObject({ tenant: DEMO_TENANT, scopes: ['read', 'trade', 'admin'] });
    const second = await seedDemo(service, { pricesDir: SAMPLE_PRICES, clients: 3 });
    expect(second.seeded).toBe(false);
    expect(await demoKey(service, dir)).toBe(key);
    await service.stop();
  } finally {
    await database.close();
  }
}, 180_000);

it('lotsmith keys create prints a key once; list shows no secret; revoke ends it', async () => {
  const data = join(dir, 'keys');
  const made = await lotsmith('keys', 'create', '--tenant', 'acme', '--scope', 'read,trade', '--name', 'robo', '--data', data);
  expect(made.code).toBe(0);
  const key = made.out.trim();
  expect(key).toMatch(/^lsk_[0-9a-f]{16}_[0-9a-f]{48}$/);
  const id = key.slice(4, 20);
  const listed = await lotsmith('keys', 'list', '--tenant', 'acme', '--data', data);
  expect(listed.out).toContain(`${id}  robo  read,trade`);
  expect(listed.out).not.toContain(key.slice(21));
  expect((await lotsmith('keys', 'create', '--tenant', 'acme', '--scope', 'root', '--data', data)).code).not.toBe(0);
  expect((await lotsmith('keys', 'revoke', id, '--tenant', 'globex', '--data', data)).code).toBe(1);
  expect((await lotsmith('keys', 'revoke', id, '--tenant', 'acme', '--data', data)).code).toBe(0);
  const database = await openDatabase({ kind: 'pglite', dir: data });
  try {
    expect(await authenticate(keyStore(database), key)).toBeUndefined();
  } finally {
    await database.close();
  }
}, 120_000);

it('without price data seeds the example households, stores no closes and runs nothing', async () => {
  const database = await openDatabase({ kind: 'pglite', dir: undefined });
  try {
    const service = await openService(database, { backtestWorkers: 1 });
    const seeded = await seedDemo(service, { pricesDir: undefined, clients: 3 });
    expect(seeded).toMatchObject({ seeded: true, households: 4, latestClose: undefined, runId: undefined });
    expect(await service.deps.prices.latestDate()).toBeUndefined();
    await service.stop();
  } finally {
    await database.close();
  }
}, 60_000);
