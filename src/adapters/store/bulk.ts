/**
 * Bulk inserts: one `INSERT ... SELECT * FROM unnest($1::type[], ...)` per chunk, whose parameters
 * are one array per column. A million-event import is then a few dozen statements rather than a
 * million, on PGlite and PostgreSQL alike (both take array parameters).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from './database.js';

export type Executor = Pick<Db, 'execute'>;

export interface Column<R> {
  readonly name: string;
  /** The PostgreSQL type of the column's array parameter, e.g. 'text', 'numeric', 'date', 'jsonb'. */
  readonly type: string;
  readonly get: (row: R) => unknown;
}

const CHUNK = 25_000;

export async function insertRows<R>(db: Executor, table: string, fixed: Readonly<Record<string, string>>, columns: readonly Column<R>[], rows: readonly R[]): Promise<void> {
  const fixedNames = Object.keys(fixed);
  const names = [...fixedNames, ...columns.map((c) => c.name)].map((n) => sql.identifier(n));
  for (let start = 0; start < rows.length; start += CHUNK) {
    const part = rows.slice(start, start + CHUNK);
    const arrays: SQL[] = columns.map((c) => sql`${sql.param(part.map((r) => encode(c.get(r), c.type)))}::${sql.raw(c.type)}[]`);
    const constants: SQL[] = fixedNames.map((n) => sql`${fixed[n]}::text`);
    const select = constants.length > 0 ? sql`select ${sql.join(constants, sql`, `)}, u.* from unnest(${sql.join(arrays, sql`, `)}) as u` : sql`select * from unnest(${sql.join(arrays, sql`, `)})`;
    await db.execute(sql`insert into ${sql.identifier(table)} (${sql.join(names, sql`, `)}) ${select}`);
  }
}

function encode(v: unknown, type: string): unknown {
  if (v === undefined || v === null) return null;
  return type === 'jsonb' ? JSON.stringify(v) : v;
}
