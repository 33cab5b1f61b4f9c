/**
 * A database of its own on a PostgreSQL server, for a benchmark or a test: created empty (or as a
 * copy of a template database), dropped afterwards with its connections.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface ScratchDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

async function admin<T>(server: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: server });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** `server` is any database URL on the server (its database is used only to connect). */
export async function scratchDatabase(server: string, prefix: string, template?: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin(server, (c) => c.query(`create database ${name}${template !== undefined ? ` template ${template}` : ''}`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => admin(server, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined) };
}
