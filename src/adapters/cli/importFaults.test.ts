/**
 * Fault injection for imports, on both stores, through the built CLI in child processes:
 *  - an import killed with SIGKILL at a random point leaves the book exactly as before (or, if the
 *    kill came after the commit, holding the whole file): never part of it, never a broken book;
 *  - two imports into one household started at once never interleave their events.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBook } from '../../app/bookHousehold.js';
import { householdId, tenantId } from '../../app/ports.js';
import { prng } from '../../core/kernel/random.js';
import { bookStore } from '../store/bookStore.js';
import { openDatabase, type StoreTarget } from '../store/database.js';
import { freshPostgres, type TestDatabase } from '../store/testDatabases.test-util.js';

const CLI = join(process.cwd(), 'dist/adapters/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'lotsmith-faults-'));

/** A CSV case of `n` events in one account: buys, and sells of part of the position, 40 a day (or all on `onDay`). */
function bigCase(name: string, n: number, from: number, onDay?: string): string {
  const caseDir = join(dir, name);
  mkdirSync(caseDir, { recursive: true });
  writeFileSync(join(caseDir, 'accounts.csv'), 'id,type,owner\nmain,taxable,self\n');
  const rows = ['id,date,account,action,symbol,shares,price,fees'];
  for (let i = 0; i < n; i++) {
    const d = onDay ?? new Date(Date.UTC(2001, 0, 1) + Math.floor((from + i) / 40) * 86_400_000).toISOString().slice(0, 10);
    const sell = i % 4 === 3;
    rows.push(`${name}-${i},${d},main,${sell ? 'sell' : 'buy'},VTI,${sell ? '1' : '2'},${(100 + (i % 17)).toFixed(2)},0`);
  }
  writeFileSync(join(caseDir, 'transactions.csv'), `${rows.join('\n')}\n`);
  return caseDir;
}

function cli(target: StoreTarget, ...args: string[]): { status: number; out: string } {
  try {
    return { status: 0, out: execFileSync(process.execPath, [CLI, ...args, ...targetArgs(target)], { encoding: 'utf8', env: { PATH: process.env['PATH'] } }) };
  } catch (err) {
    return { status: (err as { status: number }).status, out: String((err as { stdout: string }).stdout) };
  }
}

const targetArgs = (t: StoreTarget): string[] => (t.kind === 'postgres' ? ['--db', t.url] : ['--data', t.dir as string]);

/** Runs an import and kills it with SIGKILL after `ms`; resolves when the process is gone. */
function importKilledAfter(target: StoreTarget, caseDir: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'import', '--household', 'h', caseDir, ...targetArgs(target)], { stdio: 'ignore', env: { PATH: process.env['PATH'] } });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function bookOf(target: StoreTarget): Promise<{ events: number; clean: boolean }> {
  const store = bookStore(await openDatabase(target, { lockWaitMs: 10_000 }));
  try {
    const t = tenantId('default');
    const events = (await store.tenant(t).events(householdId('h'))).length;
    const verified = await verifyBook(store, t);
    return { events, clean: verified.every((v) => v.differences.length === 0) };
  } finally {
    await store.close();
  }
}

const BASE = 200;
const BIG = 12_000;
const base = bigCase('base', BASE, 0);
const big = bigCase('big', BIG, BASE);

describe.each(['pglite', 'postgres'] as const)('an import killed midway on %s', (kind) => {
  let template: StoreTarget;
  let pgTemplate: TestDatabase | undefined;
  let fullRunMs = 0;
  const trials: TestDatabase[] = [];

  beforeAll(async () => {
    if (kind === 'pglite') {
      template = { kind: 'pglite', dir: join(dir, 'template') };
    } else {
      pgTemplate = await freshPostgres();
      template = pgTemplate.target;
    }
    expect(cli(template, 'import', '--household', 'h', base).status).toBe(0);
    const scratch = await copyOf(kind, template, 'calibrate', trials);
    const started = Date.now();
    expect(cli(scratch, 'import', '--household', 'h', big).status).toBe(0);
    fullRunMs = Date.now() - started;
  }, 300_000);
  afterAll(async () => {
    for (const t of trials) await t.drop();
    await pgTemplate?.drop();
  });

  it('leaves the book as it was, or with the whole file, whenever the kill lands (4 trials)', { timeout: 600_000 }, async () => {
    const rand = prng(kind === 'pglite' ? 11 : 12);
    const seen: number[] = [];
    for (let trial = 0; trial < 4; trial++) {
      const target = await copyOf(kind, template, `trial${trial}`, trials);
      // Kills land between startup and the commit, where the writes happen.
      await importKilledAfter(target, big, Math.round((0.3 + 0.7 * rand()) * fullRunMs));
      const after = await bookOf(target);
      expect(after.clean).toBe(true);
      expect([BASE, BASE + BIG]).toContain(after.events);
      seen.push(after.events);
      if (trial === 0) {
        // The book stays usable: the import completes on a second try (a stale PGlite lock is taken over).
        expect(cli(target, 'import', '--household', 'h', big).status).toBe(0);
        expect((await bookOf(target)).events).toBe(BASE + BIG);
      }
    }
    expect(seen).toContain(BASE);
  });
});

describe('two imports into one household at once (PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshPostgres();
  });
  afterAll(async () => db.drop());

  it('never interleave: each file is appended as one contiguous run', { timeout: 300_000 }, async () => {
    // Both files trade on one day after the base, so either may be appended first.
    const a = bigCase('ca', 3000, 0, '2030-01-02');
    const b = bigCase('cb', 3000, 0, '2030-01-02');
    expect(cli(db.target, 'import', '--household', 'h', base).status).toBe(0);
    const codes = await Promise.all([runImport(db.target, a), runImport(db.target, b)]);
    expect(codes).toEqual([{ code: 0, err: '' }, { code: 0, err: '' }]);
    const client = new pg.Client({ connectionString: (db.target as { url: string }).url });
    await client.connect();
    const rows = (await client.query<{ import_id: string | null; seq: number }>('select import_id, seq from events order by seq')).rows;
    await client.end();
    const runs = rows.filter((r, i) => i === 0 || r.import_id !== rows[i - 1]?.import_id).length;
    expect(rows.length).toBe(BASE + 6000);
    expect(runs).toBe(3);
  });
});

function runImport(target: StoreTarget, caseDir: string): Promise<{ code: number; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'import', '--household', 'h', caseDir, ...targetArgs(target)], { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env['PATH'] } });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code: code ?? -1, err }));
  });
}

async function copyOf(kind: 'pglite' | 'postgres', template: StoreTarget, name: string, trials: TestDatabase[]): Promise<StoreTarget> {
  if (kind === 'pglite') {
    const target = join(dir, name);
    cpSync(template.kind === 'pglite' ? (template.dir as string) : '', target, { recursive: true });
    return { kind: 'pglite', dir: target };
  }
  const copy = await freshPostgres(new URL((template as { url: string }).url).pathname.slice(1));
  trials.push(copy);
  return copy.target;
}
