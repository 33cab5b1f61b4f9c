/**
 * `--data DIR` / `--db URL` / `--tenant ID`, shared by every command that reads or writes the book,
 * and the one place the CLI opens it (and always closes it, so PGlite's directory lock is freed).
 */
import type { Command } from 'commander';
import { tenantId, type BookStore, type TenantId } from '../../app/ports.js';
import { bookStore } from '../store/bookStore.js';
import { openDatabase, StoreUnavailable, storeTarget, DATA_ENV, DB_ENV, type Database } from '../store/database.js';
import type { CliIo } from './io.js';

export interface StoreFlags {
  readonly data?: string;
  readonly db?: string;
  readonly tenant?: string;
}

export const TENANT_ENV = 'LOTSMITH_TENANT';
export const DEFAULT_TENANT = 'default';

export function addStoreOptions(cmd: Command): Command {
  return cmd
    .option('--data <dir>', `embedded book (PGlite) directory (default: $${DATA_ENV} or ./.lotsmith)`)
    .option('--db <url>', `PostgreSQL connection string (default: $${DB_ENV} when set)`)
    .option('--tenant <id>', `tenant whose book to use (default: $${TENANT_ENV} or "${DEFAULT_TENANT}")`);
}

export function tenantOf(io: CliIo, flags: StoreFlags): TenantId {
  return tenantId(flags.tenant ?? io.env[TENANT_ENV] ?? DEFAULT_TENANT);
}

/** Opens the book's database, runs `work`, closes it; an unreachable store is exit code 1 with the reason. */
export async function withDatabase(io: CliIo, flags: StoreFlags, work: (database: Database, tenant: TenantId) => Promise<number>): Promise<number> {
  const target = storeTarget({ db: flags.db, data: flags.data, env: io.env, cwd: io.cwd });
  let database: Database;
  try {
    database = await openDatabase(target);
  } catch (err) {
    if (err instanceof StoreUnavailable) {
      io.err(`lotsmith: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  try {
    const tenant = tenantOf(io, flags);
    await bookStore(database).ensureTenant(tenant, tenant);
    return await work(database, tenant);
  } finally {
    await database.close();
  }
}

/** `withDatabase` for commands that only need the book of households. */
export function withBook(io: CliIo, flags: StoreFlags, work: (store: BookStore, tenant: TenantId) => Promise<number>): Promise<number> {
  return withDatabase(io, flags, (database, tenant) => work(bookStore(database), tenant));
}
