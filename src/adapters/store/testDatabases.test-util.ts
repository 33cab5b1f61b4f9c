/**
 * The databases every store test runs against: the embedded PGlite (in memory) and the real
 * PostgreSQL server (a fresh database per test file, dropped afterwards). No mock stands in for
 * either. The server is $LOTSMITH_TEST_PG, else postgres://postgres@127.0.0.1:5432/test (the
 * server of every development and CI machine).
 */
import type { StoreTarget } from './database.js';
import { scratchDatabase } from './scratchDatabase.js';

export const TEST_PG = process.env['LOTSMITH_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  readonly name: 'pglite' | 'postgres';
  readonly target: StoreTarget;
  drop(): Promise<void>;
}

/** A new empty PostgreSQL database on the test server (a copy of `template` when given); `drop` removes it. */
export async function freshPostgres(template?: string): Promise<TestDatabase> {
  const db = await scratchDatabase(TEST_PG, 'lotsmith_t', template);
  return { name: 'postgres', target: { kind: 'postgres', url: db.url }, drop: db.drop };
}

export function memoryPglite(): TestDatabase {
  return { name: 'pglite', target: { kind: 'pglite', dir: undefined }, drop: async () => undefined };
}

/** Both kinds, for `describe.each`: the contract holds on each. */
export const DATABASE_KINDS = ['pglite', 'postgres'] as const;

export async function testDatabase(kind: (typeof DATABASE_KINDS)[number]): Promise<TestDatabase> {
  return kind === 'pglite' ? memoryPglite() : freshPostgres();
}
